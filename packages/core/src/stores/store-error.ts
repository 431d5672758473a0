const marker = Symbol.for('claw.error.StoreError');

/**
 * What went wrong in a store.
 * - `invalid_argument`: the caller passed something the store cannot keep (the message says what).
 * - `not_found`: the operation needs a record that does not exist.
 * - `corrupt`: a stored record cannot be read back (a file was edited or damaged by hand).
 * - `io`: the storage itself failed (disk full, permissions …); `cause` has the system error.
 */
export type StoreErrorCode = 'invalid_argument' | 'not_found' | 'corrupt' | 'io';

/** Options of {@link StoreError}. */
export interface StoreErrorOptions {
  /** What went wrong. */
  readonly code: StoreErrorCode;
  /** Which store (`sessions`, `outbox`, …). */
  readonly store: string;
  /** Which operation (`touch`, `markSent`, …). */
  readonly operation: string;
  /** The key involved, when there is one. */
  readonly key?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** Thrown by the built-in stores (and welcome in host stores) when an operation cannot be done. */
export class StoreError extends Error {
  readonly [marker] = true;
  override readonly name = 'StoreError';
  /** What went wrong. */
  readonly code: StoreErrorCode;
  /** Which store. */
  readonly store: string;
  /** Which operation. */
  readonly operation: string;
  /** The key involved, when there is one. */
  readonly key: string | undefined;

  constructor(detail: string, options: StoreErrorOptions) {
    super(
      `${options.store}.${options.operation}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code;
    this.store = options.store;
    this.operation = options.operation;
    this.key = options.key;
  }

  /** True for a `StoreError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is StoreError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
