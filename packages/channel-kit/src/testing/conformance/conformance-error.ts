const marker = Symbol.for('claw.error.ConformanceError');

/**
 * Thrown by a conformance check when an adapter breaks the contract. The message says which
 * check, what was expected, what happened and, where it helps, what to change.
 */
export class ConformanceError extends Error {
  readonly [marker] = true;
  override readonly name = 'ConformanceError';
  /** Name of the failed check. */
  readonly check: string;

  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super(`[${check}] ${message}`, options);
    this.check = check;
  }

  /** True for a `ConformanceError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ConformanceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
