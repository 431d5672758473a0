import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NoSuchProviderError } from '../errors/no-such-provider-error.js';
import { assertLanguageModel } from '../spec/assert-model.js';
import type { LanguageModel, Provider } from '../spec/model.js';

/** Names a provider may be registered under: lowercase letters, digits, `.`, `_`, `-` (no `:`). */
export const providerNamePattern: RegExp = /^[a-z0-9][a-z0-9._-]*$/;

/** Resolves `"provider:modelId"` ids to models. */
export interface ProviderRegistry {
  /**
   * The model for `id` = `"<provider>:<modelId>"`. Only the first `:` separates the two, so model
   * ids containing `:` (`ollama:llama3.1:8b`) work.
   *
   * @throws NoSuchProviderError when no provider is registered under that name (the error lists
   *   the known ones).
   * @throws InvalidArgumentError when `id` is not of the form `provider:modelId`.
   */
  languageModel(id: string): LanguageModel;
  /** The provider registered under `name`, or undefined. */
  provider(name: string): Provider | undefined;
  /** The registered provider names, sorted. */
  readonly providerNames: readonly string[];
}

/**
 * A registry of providers by name, so code picks models by configuration
 * (`registry.languageModel(config.model)`) instead of by `if`/`else`.
 *
 * ```ts
 * const registry = createProviderRegistry({
 *   anthropic: anthropic({ apiKey }),
 *   ollama: openaiCompatible({ name: 'ollama', baseURL: 'http://127.0.0.1:11434/v1' }),
 * });
 * const model = registry.languageModel('anthropic:claude-sonnet-4-5');
 * ```
 *
 * @throws InvalidArgumentError when a name is not allowed or a value is not a provider.
 */
export function createProviderRegistry(providers: { readonly [name: string]: Provider }): ProviderRegistry {
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    throw new InvalidArgumentError('providers', 'expected an object mapping provider names to providers');
  }
  const byName = new Map<string, Provider>();
  for (const [name, provider] of Object.entries(providers)) {
    if (!providerNamePattern.test(name)) {
      throw new InvalidArgumentError(
        `providers.${name}`,
        `"${name}" is not a valid provider name; use lowercase letters, digits, ".", "_" or "-" (no ":")`,
      );
    }
    if (typeof provider !== 'object' || provider === null || typeof provider.languageModel !== 'function') {
      throw new InvalidArgumentError(
        `providers.${name}`,
        'expected a Provider ({ specificationVersion, name, languageModel(modelId) })',
      );
    }
    byName.set(name, provider);
  }
  const providerNames = Object.freeze([...byName.keys()].sort());

  return {
    languageModel(id) {
      if (typeof id !== 'string') {
        throw new InvalidArgumentError('id', `expected a "provider:modelId" string, got ${typeof id}`);
      }
      const colon = id.indexOf(':');
      if (colon <= 0 || colon === id.length - 1) {
        throw new InvalidArgumentError(
          'id',
          `"${id}" is not of the form "provider:modelId" (e.g. "${providerNames[0] ?? 'anthropic'}:model-name"); known providers: ${providerNames.join(', ') || 'none'}`,
        );
      }
      const name = id.slice(0, colon);
      const modelId = id.slice(colon + 1);
      const provider = byName.get(name);
      if (!provider) throw new NoSuchProviderError(id, name, providerNames);
      const model = provider.languageModel(modelId);
      assertLanguageModel(model, `providers.${name}.languageModel("${modelId}")`);
      return model;
    },
    provider(name) {
      return byName.get(name);
    },
    providerNames,
  };
}
