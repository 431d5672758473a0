import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NoSuchProviderError } from '../errors/no-such-provider-error.js';
import type { Provider } from '../spec/model.js';
import { createMockModel } from '../testing/mock-model.js';
import { createProviderRegistry } from './create-provider-registry.js';

const provider = (name: string): Provider => ({
  specificationVersion: 'v1',
  name,
  languageModel: (modelId) => createMockModel([], { provider: name, modelId }),
});

describe('the provider registry', () => {
  const registry = createProviderRegistry({ anthropic: provider('anthropic'), ollama: provider('ollama') });

  it('resolves "provider:model" ids, splitting at the first colon only', () => {
    expect(registry.languageModel('anthropic:claude-sonnet-4-5')).toMatchObject({
      provider: 'anthropic',
      modelId: 'claude-sonnet-4-5',
    });
    expect(registry.languageModel('ollama:llama3.1:8b').modelId).toBe('llama3.1:8b');
  });

  it('names the known providers when asked for an unknown one', () => {
    const error = (() => {
      try {
        registry.languageModel('openai:gpt-4o');
      } catch (e) {
        return e;
      }
    })();
    expect(NoSuchProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ providerName: 'openai', knownProviders: ['anthropic', 'ollama'] });
    expect((error as Error).message).toBe(
      'No provider "openai" for model id "openai:gpt-4o" (known: anthropic, ollama).',
    );
  });

  it.each(['claude-sonnet-4-5', ':claude', 'anthropic:', ''])('rejects the malformed id "%s"', (id) => {
    expect(() => registry.languageModel(id)).toThrow(/not of the form "provider:modelId"/);
  });

  it('rejects provider names with a colon or capitals, and values that are not providers', () => {
    expect(() => createProviderRegistry({ 'my:provider': provider('x') })).toThrow(InvalidArgumentError);
    expect(() => createProviderRegistry({ Anthropic: provider('x') })).toThrow(/providers\.Anthropic/);
    expect(() => createProviderRegistry({ broken: {} as Provider })).toThrow(/expected a Provider/);
  });

  it('lists its providers and gives them back by name', () => {
    expect(registry.providerNames).toEqual(['anthropic', 'ollama']);
    expect(registry.provider('ollama')?.name).toBe('ollama');
    expect(registry.provider('nope')).toBeUndefined();
  });
});
