const marker = Symbol.for('claw.error.InvalidArgumentError');

/**
 * Thrown synchronously when a public function is called with an argument it cannot accept
 * (a bad tool name, a negative `maxSteps`, a registry entry that is not a provider …). It is a
 * programming error, not a model failure, so it is never retried.
 */
export class InvalidArgumentError extends Error {
  readonly [marker] = true;
  override readonly name = 'InvalidArgumentError';
  /** Which argument was wrong, as a dotted path from the function's parameters (e.g. `policy.maxRetries`). */
  readonly argument: string;

  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super(`Invalid ${argument}: ${message}`, options);
    this.argument = argument;
  }

  /** True for an `InvalidArgumentError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is InvalidArgumentError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
