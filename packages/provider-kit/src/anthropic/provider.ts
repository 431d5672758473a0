import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError } from '../errors/model-error.js';
import type { LanguageModel, ModelCapabilities, Provider } from '../spec/model.js';
import { formatRequestIssues, validateModelRequest } from '../spec/validate-request.js';
import { guardStream } from '../stream/guard-stream.js';
import { toMessagesBody } from './convert-request.js';
import { modelErrorFromAnthropic } from './errors.js';
import { type AnthropicStreamEvent, parseMessagesStream } from './parse-stream.js';

/**
 * The part of an `@anthropic-ai/sdk` client this provider uses (`client.messages.create` with
 * `stream: true`). An `Anthropic` instance fits, and so do the SDK's Bedrock and Vertex clients.
 */
export interface AnthropicClientLike {
  /** The Messages API (`client.messages.create`). */
  readonly messages: {
    create(
      body: never,
      options?: { signal?: AbortSignal; headers?: Record<string, string>; maxRetries?: number },
    ): PromiseLike<AsyncIterable<unknown>>;
  };
}

/** Options of {@link anthropic}. */
export interface AnthropicOptions {
  /** API key (default: the SDK reads `ANTHROPIC_API_KEY`). */
  readonly apiKey?: string | undefined;
  /** API base URL (default: the SDK's, `https://api.anthropic.com`). */
  readonly baseURL?: string | undefined;
  /** Extra headers for every request (e.g. `anthropic-beta`). */
  readonly headers?: { readonly [name: string]: string };
  /** `max_tokens` when the request sets none (the API requires one; default 4096). */
  readonly defaultMaxTokens?: number;
  /**
   * A ready client to use instead of creating one (for Bedrock/Vertex clients or custom SDK
   * settings). Calls are made with `maxRetries: 0` either way: retrying is `withRetry`'s job, so
   * that retries honour one policy and `withFallback` can move on quickly.
   */
  readonly client?: AnthropicClientLike;
  /** More options for the SDK client this provider creates (ignored with `client`). */
  readonly clientOptions?: { readonly [option: string]: unknown };
}

const capabilities: ModelCapabilities = { tools: true, streaming: true, images: true };
const name = 'anthropic';

/**
 * The Anthropic provider, on the official SDK (`@anthropic-ai/sdk`, an optional peer dependency
 * loaded on first use). Streams text and tool calls (with their input JSON as it is generated),
 * maps stop reasons and usage (cache reads and writes included), and classifies failures: 429 →
 * `rate_limited` with `retryAfterMs`, 529 → `overloaded`, 401/403 → `auth`, 400 "prompt is too
 * long" → `context_overflow`, errors sent mid-stream by their type.
 *
 * ```ts
 * const model = anthropic({ apiKey: process.env.ANTHROPIC_API_KEY }).languageModel('claude-sonnet-4-5');
 * ```
 *
 * @throws InvalidArgumentError for malformed options.
 */
export function anthropic(options: AnthropicOptions = {}): Provider {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected { apiKey?, baseURL?, headers?, client?, … }');
  }
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  if (!Number.isInteger(defaultMaxTokens) || defaultMaxTokens < 1) {
    throw new InvalidArgumentError(
      'options.defaultMaxTokens',
      `must be a positive integer, got ${String(defaultMaxTokens)}`,
    );
  }
  if (options.client !== undefined && typeof options.client?.messages?.create !== 'function') {
    throw new InvalidArgumentError(
      'options.client',
      'expected an @anthropic-ai/sdk client (with messages.create)',
    );
  }
  let client: Promise<AnthropicClientLike> | undefined;
  const getClient = (): Promise<AnthropicClientLike> => {
    if (!client) {
      client = options.client ? Promise.resolve(options.client) : createClient(options);
      // A failed load (SDK not installed) is not kept, so installing the SDK fixes the next call.
      client.catch(() => {
        client = undefined;
      });
    }
    return client;
  };

  return {
    specificationVersion: 'v1',
    name,
    languageModel(modelId) {
      if (typeof modelId !== 'string' || modelId === '') {
        throw new InvalidArgumentError(
          'modelId',
          'expected a non-empty Anthropic model id, e.g. "claude-sonnet-4-5"',
        );
      }
      const model: LanguageModel = {
        specificationVersion: 'v1',
        provider: name,
        modelId,
        capabilities,
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
              const sdk = await getClient();
              const body = toMessagesBody(modelId, request, { defaultMaxTokens });
              let events: AsyncIterable<unknown>;
              try {
                events = await sdk.messages.create(body as never, {
                  signal,
                  maxRetries: 0,
                  ...(streamOptions.headers ? { headers: { ...streamOptions.headers } } : {}),
                });
              } catch (error) {
                throw modelErrorFromAnthropic(error, context);
              }
              try {
                yield* parseMessagesStream(events as AsyncIterable<AnthropicStreamEvent>, context);
              } catch (error) {
                throw modelErrorFromAnthropic(error, context);
              }
            },
            { ...context, signal: streamOptions.signal },
          );
        },
      };
      return model;
    },
  };
}

async function createClient(options: AnthropicOptions): Promise<AnthropicClientLike> {
  let mod: { default?: unknown; Anthropic?: unknown };
  try {
    mod = (await import('@anthropic-ai/sdk')) as { default?: unknown; Anthropic?: unknown };
  } catch (error) {
    throw new ModelError(
      '@claw/provider-kit/anthropic needs the optional peer dependency "@anthropic-ai/sdk": install it (npm install @anthropic-ai/sdk) or pass `client`',
      { kind: 'invalid_request', provider: name, cause: error },
    );
  }
  const Anthropic = (mod.Anthropic ?? mod.default) as new (
    opts: Record<string, unknown>,
  ) => AnthropicClientLike;
  return new Anthropic({
    // Errors are returned as ModelErrors with the SDK error as `cause`; the SDK's own logging of
    // stream parse failures would only duplicate them on the console.
    logLevel: 'off',
    ...options.clientOptions,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.headers === undefined ? {} : { defaultHeaders: { ...options.headers } }),
    maxRetries: 0,
  });
}
