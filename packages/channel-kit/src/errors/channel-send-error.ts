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

const retryableReasons: ReadonlySet<ChannelSendErrorReason> = new Set(['rate_limited', 'network']);

/** Options for {@link ChannelSendError}. */
export interface ChannelSendErrorOptions {
  /** Why the send failed. */
  readonly reason: ChannelSendErrorReason;
  /** How long the platform asked us to wait before retrying, in milliseconds. */
  readonly retryAfterMs?: number;
  /** Override whether a retry may succeed (defaults from `reason`). */
  readonly retryable?: boolean;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * Thrown by `ChannelAdapter.send` (and `edit`, `react`) when a send fails. The dispatcher retries
 * retryable failures with backoff (honouring `retryAfterMs`) and reports permanent ones.
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
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for a `ChannelSendError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ChannelSendError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
