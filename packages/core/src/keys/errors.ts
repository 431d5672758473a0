const invalidKeyMarker = Symbol.for('claw.error.InvalidSessionKeyError');
const inputMarker = Symbol.for('claw.error.SessionKeyInputError');

/**
 * Thrown by {@link parseSessionKey} (and by builders given a base key) when a string is not a
 * session key in canonical form. `reason` says what is wrong.
 */
export class InvalidSessionKeyError extends Error {
  readonly [invalidKeyMarker] = true;
  override readonly name = 'InvalidSessionKeyError';
  /** The offending key, as given. */
  readonly key: unknown;
  /** What is wrong with it, in plain words. */
  readonly reason: string;

  constructor(key: unknown, reason: string, options?: { cause?: unknown }) {
    super(
      `Invalid session key ${typeof key === 'string' ? JSON.stringify(key) : String(key)}: ${reason}`,
      options,
    );
    this.key = key;
    this.reason = reason;
  }

  /** True for an `InvalidSessionKeyError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is InvalidSessionKeyError {
    return typeof error === 'object' && error !== null && invalidKeyMarker in error;
  }
}

/**
 * Thrown by the session-key builders when an input cannot be encoded: an unknown peer kind or
 * scope, an id of the wrong type, a blank run id …. `field` names the input field.
 */
export class SessionKeyInputError extends Error {
  readonly [inputMarker] = true;
  override readonly name = 'SessionKeyInputError';
  /** The input field that is wrong, e.g. `peer.kind`. */
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`Invalid session key input: ${field}: ${message}`, options);
    this.field = field;
  }

  /** True for a `SessionKeyInputError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is SessionKeyInputError {
    return typeof error === 'object' && error !== null && inputMarker in error;
  }
}
