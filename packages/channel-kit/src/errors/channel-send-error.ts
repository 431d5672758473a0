const marker = Symbol.for('claw.error.ChannelSendError');

/**
 * Why a send failed.
 * - `rate_limited`: the platform asked us to slow down (retryable, honour `retryAfterMs`).
 * - `network`: a transport failure or a 5xx (retryable).
 * - `auth`: the bot's credentials were rejected (permanent).
 * - `not_found`: the conversation or message does not exist or the bot was removed (permanent).
 * - `too_long`: the message exceeds what the platform accepts (permanent).
 * - `forbidden`: the bot may not post there (permanent).
 * - `invalid`: the platform rejected the request as malformed (permanent).
 */
export type ChannelSendErrorReason =
  | 'rate_limited'
  | 'network'
  | 'auth'
  | 'not_found'
  | 'too_long'
  | 'forbidden'
  | 'invalid';

/** Every {@link ChannelSendErrorReason}, in a stable order (for validation and exhaustive tests). */
export const channelSendErrorReasons: readonly ChannelSendErrorReason[] = Object.freeze([
  'rate_limited',
  'network',
  'auth',
  'not_found',
  'too_long',
  'forbidden',
  'invalid',
]);

const retryableReasons: ReadonlySet<ChannelSendErrorReason> = new Set(['rate_limited', 'network']);

/** True when `value` is one of the {@link ChannelSendErrorReason}s. */
export function isChannelSendErrorReason(value: unknown): value is ChannelSendErrorReason {
  return typeof value === 'string' && (channelSendErrorReasons as readonly string[]).includes(value);
}

/** Options for {@link ChannelSendError}. */
export interface ChannelSendErrorOptions {
  /** Why the send failed. */
  readonly reason: ChannelSendErrorReason;
  /**
   * How long the platform asked us to wait before retrying, in milliseconds (Telegram's
   * `parameters.retry_after` is in seconds: multiply by 1000). A negative or non-finite value
   * is ignored rather than thrown, so building the error never hides the failure it reports.
   */
  readonly retryAfterMs?: number;
  /** Override whether a retry may succeed (defaults from `reason`). */
  readonly retryable?: boolean;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * Thrown by `ChannelAdapter.send` (and `edit`, `react`) when a send fails. The dispatcher retries
 * retryable failures with backoff (honouring `retryAfterMs`) and reports permanent ones.
 *
 * Map platform failures by what a retry could achieve: HTTP 429 → `rate_limited` (with
 * `retryAfterMs`), 5xx / connection reset / timeout → `network`, 401 → `auth`, 403 →
 * `forbidden`, "chat not found" → `not_found`, "message is too long" → `too_long`, other 400s →
 * `invalid`. Anything else an adapter throws is treated by the core as a permanent failure.
 */
export class ChannelSendError extends Error {
  readonly [marker] = true;
  override readonly name = 'ChannelSendError';
  /** Why the send failed. */
  readonly reason: ChannelSendErrorReason;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** True when retrying cannot help (the inverse of `retryable`). */
  readonly permanent: boolean;
  /** How long the platform asked us to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ChannelSendErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = options.reason;
    this.retryable = options.retryable ?? retryableReasons.has(options.reason);
    this.permanent = !this.retryable;
    const wait = options.retryAfterMs;
    this.retryAfterMs = wait !== undefined && Number.isFinite(wait) && wait >= 0 ? wait : undefined;
  }

  /** True for a `ChannelSendError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ChannelSendError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
