import { createProviderRegistry, type LanguageModel, withRetry } from '@claw/provider-kit';
import { anthropic } from '@claw/provider-kit/anthropic';
import { openaiCompatible } from '@claw/provider-kit/openai-compatible';
import { createScriptedModel } from './scripted-model.js';

/** The model the demo talks to, and a line saying which and why. */
export interface ModelChoice {
  readonly model: LanguageModel;
  readonly description: string;
}

/** Default model when `ANTHROPIC_API_KEY` is set and no `--model` is given. */
export const defaultAnthropicModel = 'anthropic:claude-sonnet-4-5';

/**
 * Pick the demo's model: `--model provider:model` wins; else a real Anthropic model when
 * `ANTHROPIC_API_KEY` is set; else the scripted model (no network, no key).
 */
export function chooseModel(modelId: string | undefined, env: NodeJS.ProcessEnv): ModelChoice {
  const id = modelId ?? (env.ANTHROPIC_API_KEY ? defaultAnthropicModel : undefined);
  if (id === undefined || id === 'scripted') {
    return {
      model: createScriptedModel(),
      description: 'scripted model (set ANTHROPIC_API_KEY or --model for a real one)',
    };
  }
  const registry = createProviderRegistry({
    anthropic: anthropic(env.ANTHROPIC_API_KEY ? { apiKey: env.ANTHROPIC_API_KEY } : {}),
    openai: openaiCompatible({
      name: 'openai',
      baseURL: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    }),
    ollama: openaiCompatible({ name: 'ollama', baseURL: env.OLLAMA_BASE_URL ?? 'http://127.0.0.1:11434/v1' }),
  });
  return { model: withRetry(registry.languageModel(id), { maxRetries: 2 }), description: id };
}
