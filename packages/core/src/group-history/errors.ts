const marker = Symbol.for('claw.error.GroupHistoryError');

/** Thrown when the pending group history is called with a bad key or entry. */
export class GroupHistoryError extends Error {
  readonly [marker] = true;
  override readonly name = 'GroupHistoryError';

  /** True for a `GroupHistoryError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is GroupHistoryError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
