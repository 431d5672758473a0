import { describe, it } from 'vitest';
import { conformanceChecks, runConformanceCheck } from './checks.js';
import type { ChannelConformanceOptions, MakeAdapter } from './types.js';

/**
 * Register the channel conformance suite with vitest: one test per check, switched on by the
 * capabilities the adapter declares (a check that does not apply is reported as skipped, with
 * the reason). Call it at the top level of a test file, next to the setup of your fake platform.
 *
 * `makeAdapter` is called once per check (inside the test, so after your `beforeAll`), and
 * `options` tells the suite how to observe and drive the platform: where to send, what the
 * platform received, how to make it fail and how to make it deliver inbound messages.
 *
 * @example
 * let server: FakeBotApi;
 * beforeAll(async () => { server = await startFakeBotApi(); });
 * afterAll(() => server.close());
 * channelConformance(() => createTelegramChannel({ token: 't', baseUrl: server.url }), {
 *   targets: { direct: …, group: …, topic: … },
 *   received: () => server.messages(),
 *   reset: () => server.reset(),
 *   failNextSend: (failure) => server.failNext(failure),
 *   deliverInbound: (request) => server.pushUpdate(request),
 * });
 */
export function channelConformance(makeAdapter: MakeAdapter, options: ChannelConformanceOptions): void {
  if (typeof makeAdapter !== 'function') {
    throw new TypeError(
      'channelConformance: makeAdapter must be a function returning a (fresh) channel adapter',
    );
  }
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.received !== 'function' ||
    typeof options.targets !== 'object'
  ) {
    throw new TypeError('channelConformance: options must give at least { targets, received() }');
  }
  describe(`channel conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    for (const check of conformanceChecks) {
      it(check.name, async (context) => {
        const outcome = await runConformanceCheck(check.name, makeAdapter, options);
        if (outcome.status === 'skipped') context.skip(outcome.reason);
      });
    }
  });
}
