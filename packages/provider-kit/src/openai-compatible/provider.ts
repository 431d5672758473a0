import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError } from '../errors/model-error.js';
import { readServerSentEvents } from '../http/server-sent-events.js';
import { providerNamePattern } from '../registry/create-provider-registry.js';
import type { LanguageModel, ModelCapabilities, Provider } from '../spec/model.js';
import { formatRequestIssues, validateModelRequest } from '../spec/validate-request.js';
import { guardStream } from '../stream/guard-stream.js';
import { toChatCompletionsBody } from './convert-request.js';
import { errorFromResponse } from './errors.js';
import { parseChatCompletionsStream } from './parse-stream.js';

/** Options of {@link openaiCompatible}. */
export interface OpenAICompatibleOptions {
  /**
   * Provider name, used in errors, in `finish.response` and as the `providerOptions` key (e.g.
   * `openai`, `ollama`, `vllm`, `moonshot`). Lowercase letters, digits, `.`, `_`, `-`.
   */
  readonly name: string;
  /** The API base URL including the version segment, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  readonly baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Local servers (Ollama, vLLM) usually need none. */
  readonly apiKey?: string | undefined;
  /** Extra headers for every request (e.g. `OpenAI-Organization`). */
  readonly headers?: { readonly [name: string]: string };
  /**
   * What the models can do (default: tools and streaming, no images). A function decides per
   * model id, for servers hosting models of different abilities.
   */
  readonly capabilities?: Partial<ModelCapabilities> | ((modelId: string) => Partial<ModelCapabilities>);
  /** Ask for token usage in the stream (`stream_options.include_usage`, default true). Turn off for servers that reject it. */
  readonly includeUsage?: boolean;
  /** Name of the token limit parameter (default `max_tokens`; OpenAI reasoning models need `max_completion_tokens`). */
  readonly maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** The `fetch` to use (default: the global one). Inject it to add proxies, logging or tests. */
  readonly fetch?: typeof fetch;
}

const defaultCapabilities: ModelCapabilities = { tools: true, streaming: true, images: false };

/**
 * A provider for any server speaking the OpenAI chat-completions API with SSE streaming: OpenAI,
 * Ollama, vLLM, llama.cpp, LM Studio, Moonshot (Kimi), DeepSeek, Groq, OpenRouter … — chosen by
 * `baseURL`. Uses `fetch` only; no SDK needed.
 *
 * ```ts
 * const ollama = openaiCompatible({ name: 'ollama', baseURL: 'http://127.0.0.1:11434/v1' });
 * const model = ollama.languageModel('llama3.1:8b');
 * ```
 *
 * @throws InvalidArgumentError when `name` or `baseURL` is missing or malformed.
 */
export function openaiCompatible(options: OpenAICompatibleOptions): Provider {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected { name, baseURL, apiKey?, … }');
  }
  const { name } = options;
  if (typeof name !== 'string' || !providerNamePattern.test(name)) {
    throw new InvalidArgumentError(
      'options.name',
      `${JSON.stringify(name)} is not a valid provider name; use lowercase letters, digits, ".", "_" or "-" (e.g. "ollama")`,
    );
  }
  let base: URL;
  try {
    base = new URL(options.baseURL);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new InvalidArgumentError(
      'options.baseURL',
      `${JSON.stringify(options.baseURL)} is not an http(s) URL (e.g. "https://api.openai.com/v1")`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidArgumentError('options.fetch', 'must be a fetch function');
  }
  const endpoint = `${base.href.replace(/\/+$/, '')}/chat/completions`;
  const settings = {
    name,
    includeUsage: options.includeUsage ?? true,
    maxTokensParam: options.maxTokensParam ?? 'max_tokens',
  } as const;

  return {
    specificationVersion: 'v1',
    name,
    languageModel(modelId) {
      if (typeof modelId !== 'string' || modelId === '') {
        throw new InvalidArgumentError('modelId', `expected a non-empty model id for provider "${name}"`);
      }
      const caps =
        typeof options.capabilities === 'function' ? options.capabilities(modelId) : options.capabilities;
      const model: LanguageModel = {
        specificationVersion: 'v1',
        provider: name,
        modelId,
        capabilities: { ...defaultCapabilities, ...caps },
        stream(request, streamOptions = {}) {
          const context = { provider: name, modelId };
          return guardStream(
            async function* (signal) {
              const issues = validateModelRequest(request);
              if (issues.length > 0) {
                throw new ModelError(`invalid request: ${formatRequestIssues(issues)}`, {
                  ...context,
                  kind: 'invalid_request',
                });
              }
              const doFetch = options.fetch ?? globalThis.fetch;
              const response = await doFetch(endpoint, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  accept: 'text/event-stream',
                  ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
                  ...options.headers,
                  ...streamOptions.headers,
                },
                body: JSON.stringify(toChatCompletionsBody(modelId, request, settings)),
                signal,
              });
              if (!response.ok) throw await errorFromResponse(response, context);
              if (!response.body) {
                throw new ModelError(`${name} returned an empty response body`, {
                  ...context,
                  kind: 'transport',
                });
              }
              yield* parseChatCompletionsStream(readServerSentEvents(response.body), context);
            },
            { ...context, signal: streamOptions.signal },
          );
        },
      };
      return model;
    },
  };
}
