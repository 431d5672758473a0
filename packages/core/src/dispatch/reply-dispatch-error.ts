const marker = Symbol.for('claw.error.ReplyDispatchError');

/**
 * Why the dispatcher refused a call.
 * - `invalid_input`: the target, message or options of a call are malformed (the message says how).
 * - `closed`: the stream was already ended or aborted.
 */
export type ReplyDispatchErrorCode = 'invalid_input' | 'closed';

/**
 * Thrown (as a rejection) by the reply dispatcher for calls it cannot accept. Delivery failures
 * are never thrown: they are results and `reply:failed` events.
 */
export class ReplyDispatchError extends Error {
  readonly [marker] = true;
  override readonly name = 'ReplyDispatchError';
  /** Why the call was refused. */
  readonly code: ReplyDispatchErrorCode;

  constructor(code: ReplyDispatchErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** True for a `ReplyDispatchError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ReplyDispatchError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
