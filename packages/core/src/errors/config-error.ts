const marker = Symbol.for('claw.error.ConfigError');

/** One problem found in a configuration: where it is and what is wrong. */
export interface ConfigIssue {
  /** Dotted path of the offending setting, e.g. `bindings.3.agentId`. Empty for the whole config. */
  readonly path: string;
  /** What is wrong and what is allowed, in plain words. */
  readonly message: string;
}

/**
 * Thrown when a configuration is invalid. Configs are validated once, up front; the error lists
 * every problem by path in plain words, so one run shows everything to fix.
 */
export class ConfigError extends Error {
  readonly [marker] = true;
  override readonly name = 'ConfigError';
  /** Every problem found, by path. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown; subject?: string }) {
    const subject = options?.subject ?? 'configuration';
    const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`);
    super(
      `Invalid ${subject} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      options,
    );
    this.issues = issues;
  }

  /** True for a `ConfigError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ConfigError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
