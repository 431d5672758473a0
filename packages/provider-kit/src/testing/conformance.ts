import { describe, it } from 'vitest';
import type { ModelErrorKind } from '../errors/model-error.js';
import type { LanguageModel } from '../spec/model.js';
import {
  type ConformanceScenario,
  checkAbortBeforeStart,
  checkAbortMidStream,
  checkEarlyBreak,
  checkErrorKind,
  checkInvalidRequest,
  checkTextTurn,
  checkToolCallTurn,
} from './conformance-checks.js';

/** Options of {@link providerConformance}. */
export interface ProviderConformanceOptions {
  /** Title of the test suite (default `provider conformance`). */
  readonly name?: string;
  /** A model set up to produce `scenario` (e.g. pointed at a fake server replaying a recording). */
  makeModel(scenario: ConformanceScenario): LanguageModel | Promise<LanguageModel>;
  /** The error kinds the provider can report and the test can trigger (`aborted` is always checked). */
  readonly errorKinds?: readonly Exclude<ModelErrorKind, 'aborted'>[];
  /** Kinds the test can trigger after the first streamed part (checked to be marked `afterFirstPart`). */
  readonly midStreamErrorKinds?: readonly Exclude<ModelErrorKind, 'aborted'>[];
  /** Whether the `rate_limited` scenario sends a retry-after that must surface as `retryAfterMs`. */
  readonly expectRetryAfter?: boolean;
  /** Whether to run the mid-stream abort check (needs a `stall` scenario; default true). */
  readonly midStreamAbort?: boolean;
}

/**
 * A vitest suite that checks a provider keeps the `LanguageModel` contract: the stream grammar, a
 * text turn, a tool-call turn, error classification for every kind it can produce, abort before
 * and during a stream, early break, and request validation. Call it at the top level of a test
 * file (it registers `describe`/`it` blocks). Each check is also exported as a plain function.
 *
 * ```ts
 * providerConformance({
 *   name: 'my provider',
 *   makeModel: (scenario) => myProvider({ baseURL: server.baseURL(fixtureFor(scenario)) }).languageModel('m'),
 *   errorKinds: ['rate_limited', 'auth'],
 * });
 * ```
 */
export function providerConformance(options: ProviderConformanceOptions): void {
  const make = (scenario: ConformanceScenario) => Promise.resolve(options.makeModel(scenario));
  describe(options.name ?? 'provider conformance', () => {
    it('streams a text answer that follows the grammar and finishes with "end"', async () => {
      await checkTextTurn(await make({ type: 'text' }));
    });
    it('streams a complete tool call and finishes with "tool_calls"', async () => {
      await checkToolCallTurn(await make({ type: 'tool-call' }));
    });
    for (const kind of options.errorKinds ?? []) {
      it(`reports a "${kind}" failure as an error part of that kind`, async () => {
        const expectRetryAfter = options.expectRetryAfter ?? false;
        await checkErrorKind(
          await make({ type: 'error', kind }),
          { type: 'error', kind },
          { expectRetryAfter },
        );
      });
    }
    for (const kind of options.midStreamErrorKinds ?? []) {
      it(`reports a "${kind}" failure after the first part as afterFirstPart`, async () => {
        const scenario = { type: 'error', kind, afterFirstPart: true } as const;
        await checkErrorKind(await make(scenario), scenario);
      });
    }
    it('ends an already-aborted call with a single "aborted" error', async () => {
      await checkAbortBeforeStart(await make({ type: 'text' }));
    });
    if (options.midStreamAbort ?? true) {
      it('ends a stalled stream promptly with "aborted" when the signal fires', async () => {
        await checkAbortMidStream(await make({ type: 'stall' }));
      });
    }
    it('lets the consumer break out of the stream early', async () => {
      await checkEarlyBreak(await make({ type: 'text' }));
    });
    it('reports an invalid request as an "invalid_request" error part', async () => {
      await checkInvalidRequest(await make({ type: 'text' }));
    });
  });
}
