const marker = Symbol.for('claw.error.InvalidMessageError');

/** One problem found in an inbound message: where it is and what is wrong. */
export interface MessageIssue {
  /** Dotted path of the offending field, e.g. `peer.kind` or `mentions.users.2`. */
  readonly path: string;
  /** What is wrong and what is allowed, in plain words. */
  readonly message: string;
}

/**
 * Thrown when an inbound message does not have the shape of an {@link InboundMessage}.
 * The message names every offending field; nothing else happens to a rejected message.
 */
export class InvalidMessageError extends Error {
  readonly [marker] = true;
  override readonly name = 'InvalidMessageError';
  /** Every problem found, by field path. */
  readonly issues: readonly MessageIssue[];

  constructor(issues: readonly MessageIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid inbound message: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      options,
    );
    this.issues = issues;
  }

  /** True for an `InvalidMessageError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is InvalidMessageError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
