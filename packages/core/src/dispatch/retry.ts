/** How transient send failures are retried. */
export interface RetryPolicy {
  /** Attempts in total, the first included. Default 3. */
  readonly attempts: number;
  /** Delay before the first retry; doubles each time. Default 500 ms. */
  readonly baseDelayMs: number;
  /** Longest delay computed by backoff. Default 30 s. A platform's `retryAfterMs` may exceed it. */
  readonly maxDelayMs: number;
  /** Random spread, as a fraction of the delay (0.1 = ±10 %). Default 0.1. */
  readonly jitter: number;
}

/** The default {@link RetryPolicy} (dispatch.md §7.3: 3 attempts, exponential, capped at 30 s, ±10 %). */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 0.1,
});

/**
 * The wait before retry number `attempt` (1 = the wait after the first failure):
 * `baseDelayMs × 2^(attempt-1)`, spread by ±`jitter`, clamped to `[baseDelayMs, maxDelayMs]` —
 * and never shorter than the platform's `retryAfterMs`, which is honoured even above
 * `maxDelayMs` (retrying earlier would only be refused again).
 *
 * @param random a source of uniform numbers in [0, 1) (inject it to make the jitter deterministic).
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new TypeError(
      `retryDelay: attempt must be an integer >= 1 (1 = the wait after the first failure), got ${attempt}`,
    );
  }
  if (typeof random !== 'function')
    throw new TypeError('retryDelay: random must be a function returning numbers in [0, 1)');
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const spread = 1 + policy.jitter * (2 * random() - 1);
  const backoff = Math.min(policy.maxDelayMs, Math.max(policy.baseDelayMs, Math.round(exponential * spread)));
  return retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > backoff
    ? Math.ceil(retryAfterMs)
    : backoff;
}
