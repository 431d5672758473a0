const marker = Symbol.for('claw.error.InvalidAdapterError');

/** One problem found in a channel adapter: which member and what is wrong. */
export interface AdapterIssue {
  /** Dotted path of the offending member, e.g. `capabilities.textChunkLimit` or `edit`. Empty for the whole adapter. */
  readonly path: string;
  /** What is wrong and what is allowed, in plain words. */
  readonly message: string;
}

/**
 * Thrown by `defineChannel` when an adapter does not satisfy the contract: a missing or invalid
 * id, an unknown `specificationVersion`, malformed capabilities, or declared capabilities that
 * disagree with the implemented methods. Lists every problem at once.
 */
export class InvalidAdapterError extends Error {
  readonly [marker] = true;
  override readonly name = 'InvalidAdapterError';
  /** Every problem found, by member path. */
  readonly issues: readonly AdapterIssue[];
  /** The adapter's id when it had a usable one, for messages and logs. */
  readonly adapterId: string | undefined;

  constructor(issues: readonly AdapterIssue[], options?: { adapterId?: string; cause?: unknown }) {
    const subject =
      options?.adapterId === undefined ? 'channel adapter' : `channel adapter "${options.adapterId}"`;
    const lines = issues.map((i) => `  - ${i.path || '(adapter)'}: ${i.message}`);
    super(
      `Invalid ${subject} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.issues = issues;
    this.adapterId = options?.adapterId;
  }

  /** True for an `InvalidAdapterError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is InvalidAdapterError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
