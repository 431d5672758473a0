const marker = Symbol.for('claw.error.NoSuchProviderError');

/** Thrown by a provider registry asked for a model of a provider it does not know. */
export class NoSuchProviderError extends Error {
  readonly [marker] = true;
  override readonly name = 'NoSuchProviderError';
  /** The provider name that was asked for. */
  readonly providerName: string;
  /** The full model id that was asked for (`provider:model`). */
  readonly id: string;
  /** The provider names the registry knows, sorted. */
  readonly knownProviders: readonly string[];

  constructor(id: string, providerName: string, knownProviders: readonly string[]) {
    const known = knownProviders.length === 0 ? 'none are registered' : `known: ${knownProviders.join(', ')}`;
    super(`No provider "${providerName}" for model id "${id}" (${known}).`);
    this.id = id;
    this.providerName = providerName;
    this.knownProviders = knownProviders;
  }

  /** True for a `NoSuchProviderError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is NoSuchProviderError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
