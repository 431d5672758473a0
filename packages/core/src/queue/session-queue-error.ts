const marker = Symbol.for('claw.error.SessionQueueError');

/**
 * Why the session queues refused a call.
 * - `stopped`: `enqueue` after `stop()` — the gateway is shutting down.
 * - `invalid_input`: the message or the settings override is malformed (the message says how).
 */
export type SessionQueueErrorCode = 'stopped' | 'invalid_input';

/** Thrown by `SessionQueues.enqueue`. */
export class SessionQueueError extends Error {
  readonly [marker] = true;
  override readonly name = 'SessionQueueError';
  /** Why the call was refused. */
  readonly code: SessionQueueErrorCode;

  constructor(code: SessionQueueErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** True for a `SessionQueueError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is SessionQueueError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
