import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  isRetryableKind,
  type ModelError,
  type ModelErrorKind,
  modelErrorKinds,
} from '../errors/model-error.js';
import { abortedError } from '../errors/to-model-error.js';
import { assertLanguageModel } from '../spec/assert-model.js';
import type { LanguageModel } from '../spec/model.js';
import type { StreamPart } from '../spec/stream.js';
import { guardStream } from '../stream/guard-stream.js';
import { sleep as realSleep } from './sleep.js';

/** What `onRetry` is told before each retry. */
export interface RetryEvent {
  /** 1 for the first retry, 2 for the second … */
  readonly attempt: number;
  /** How long the wrapper waits before the retry, in milliseconds. */
  readonly delayMs: number;
  /** The failure being retried. */
  readonly error: ModelError;
}

/** How {@link withRetry} retries. Every field is optional. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 2; 0 disables retrying). */
  readonly maxRetries?: number;
  /** Backoff before the first retry, in ms (default 1000). */
  readonly initialDelayMs?: number;
  /** Growth factor of the backoff per retry (default 2). */
  readonly factor?: number;
  /** Upper bound of the backoff, in ms (default 30 000). */
  readonly maxDelayMs?: number;
  /**
   * Longest `retry-after` the wrapper waits, in ms (default 60 000). When the provider asks for
   * longer, the error is passed on at once, so a `withFallback` around it can move to another model.
   */
  readonly maxRetryAfterMs?: number;
  /** Which kinds to retry (default `rate_limited`, `overloaded`, `transport`; `aborted` is never retried). */
  readonly retryOn?: readonly ModelErrorKind[];
  /** Called before each retry (for logging and metrics). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Waits between attempts; must reject when the signal fires. Injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). Injectable for tests. */
  readonly random?: () => number;
}

/**
 * The delay before retry number `attempt` (1-based): exponential backoff with "equal jitter"
 * (between half and all of the exponential delay, so retries of many clients spread out but never
 * come back immediately), or exactly the provider's `retry-after` when it gave one.
 */
export function retryDelay(
  attempt: number,
  error: { readonly retryAfterMs?: number | undefined },
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'factor' | 'maxDelayMs' | 'random'> = {},
): number {
  if (error.retryAfterMs !== undefined) return Math.max(0, error.retryAfterMs);
  const initial = policy.initialDelayMs ?? 1000;
  const factor = policy.factor ?? 2;
  const max = policy.maxDelayMs ?? 30_000;
  const exponential = Math.min(max, initial * factor ** (attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/**
 * Wrap a model so that failed calls are retried with exponential backoff and jitter, honouring the
 * provider's `retry-after`. Only retryable kinds are retried (by default `rate_limited`,
 * `overloaded`, `transport`), and only when the failure came before the first streamed part — once
 * text has been streamed, a retry would repeat it, so the error is passed on instead.
 *
 * @throws InvalidArgumentError when the model or the policy is invalid.
 */
export function withRetry(model: LanguageModel, policy: RetryPolicy = {}): LanguageModel {
  assertLanguageModel(model, 'model');
  validatePolicy(policy);
  const maxRetries = policy.maxRetries ?? 2;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? 60_000;
  const retryOn = new Set(policy.retryOn ?? modelErrorKinds.filter(isRetryableKind));
  const wait = policy.sleep ?? realSleep;
  const shouldRetry = (error: ModelError, attempt: number): boolean =>
    !error.afterFirstPart &&
    attempt < maxRetries &&
    retryOn.has(error.kind) &&
    (error.retryAfterMs === undefined || error.retryAfterMs <= maxRetryAfterMs);

  return {
    specificationVersion: 'v1',
    provider: model.provider,
    modelId: model.modelId,
    capabilities: model.capabilities,
    stream(request, options = {}) {
      const context = { provider: model.provider, modelId: model.modelId };
      return guardStream(
        async function* (signal): AsyncGenerator<StreamPart> {
          for (let attempt = 0; ; attempt++) {
            let retryable: ModelError | undefined;
            let first = true;
            for await (const part of model.stream(request, { ...options, signal })) {
              if (first && part.type === 'error' && shouldRetry(part.error, attempt)) {
                retryable = part.error;
                break;
              }
              first = false;
              yield part;
            }
            if (!retryable) return;
            const delayMs = retryDelay(attempt + 1, retryable, policy);
            policy.onRetry?.({ attempt: attempt + 1, delayMs, error: retryable });
            try {
              await wait(delayMs, signal);
            } catch (reason) {
              yield { type: 'error', error: abortedError({ ...context, reason }) };
              return;
            }
          }
        },
        { ...context, signal: options.signal },
      );
    },
  };
}

function validatePolicy(policy: RetryPolicy): void {
  if (typeof policy !== 'object' || policy === null) {
    throw new InvalidArgumentError('policy', 'expected a retry policy object');
  }
  const counts: [keyof RetryPolicy, number | undefined][] = [
    ['maxRetries', policy.maxRetries],
    ['initialDelayMs', policy.initialDelayMs],
    ['maxDelayMs', policy.maxDelayMs],
    ['maxRetryAfterMs', policy.maxRetryAfterMs],
  ];
  for (const [name, value] of counts) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new InvalidArgumentError(
        `policy.${name}`,
        `must be a non-negative integer, got ${String(value)}`,
      );
    }
  }
  if (policy.factor !== undefined && !(Number.isFinite(policy.factor) && policy.factor >= 1)) {
    throw new InvalidArgumentError('policy.factor', `must be a number ≥ 1, got ${String(policy.factor)}`);
  }
  for (const kind of policy.retryOn ?? []) {
    if (!modelErrorKinds.includes(kind) || kind === 'aborted') {
      throw new InvalidArgumentError(
        'policy.retryOn',
        `"${String(kind)}" cannot be retried; allowed: ${modelErrorKinds.filter((k) => k !== 'aborted').join(', ')}`,
      );
    }
  }
  for (const name of ['onRetry', 'sleep', 'random'] as const) {
    if (policy[name] !== undefined && typeof policy[name] !== 'function') {
      throw new InvalidArgumentError(`policy.${name}`, 'must be a function');
    }
  }
}
