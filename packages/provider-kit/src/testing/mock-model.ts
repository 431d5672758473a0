import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError, type ModelErrorKind, modelErrorKinds } from '../errors/model-error.js';
import type { LanguageModel, ModelCapabilities, StreamOptions } from '../spec/model.js';
import type { ModelRequest } from '../spec/request.js';
import type { StopReason, StreamPart, Usage } from '../spec/stream.js';
import { formatRequestIssues, validateModelRequest } from '../spec/validate-request.js';
import { guardStream } from '../stream/guard-stream.js';

/** A tool call the mock model makes. */
export interface MockToolCall {
  /** Name of the tool to call. */
  readonly toolName: string;
  /** The call's input (streamed as JSON text, then parsed back). */
  readonly input: unknown;
  /** The call id (default `call_<call index>_<n>`). */
  readonly toolCallId?: string;
}

/**
 * One scripted answer of the mock model. Parts are produced in this order: `text` chunks, then
 * `toolCalls`, then `error` (if set) or `finish`.
 */
export interface MockResponse {
  /** Text to stream; an array streams each element as its own `text-delta`. */
  readonly text?: string | readonly string[];
  /** Tool calls to make after the text. */
  readonly toolCalls?: readonly MockToolCall[];
  /** Stop reason of the finish part (default `tool_calls` when there are tool calls, else `end`). */
  readonly stopReason?: StopReason;
  /** Usage of the finish part (default 10 input tokens, 1 output token per part). */
  readonly usage?: Partial<Usage>;
  /**
   * End with this error instead of a finish part: a `ModelError`, or a kind (the mock then builds
   * the error). With `text` or `toolCalls` it is a mid-stream failure.
   */
  readonly error?: ModelError | ModelErrorKind;
  /** `retryAfterMs` of the error built from a kind. */
  readonly retryAfterMs?: number;
  /** Wait this long before every part (abortable). For tests of slow models; never assert on timing. */
  readonly delayMs?: number;
  /** After the text and tool calls, wait until the call is aborted (for abort tests). */
  readonly stall?: boolean;
  /** Stream exactly these parts instead (not checked: for testing consumers against broken streams). */
  readonly parts?: readonly StreamPart[];
}

/**
 * What the mock does for each call: a list (call n gets entry n) or a function of the request and
 * the 0-based call index.
 */
export type MockScript =
  | readonly MockResponse[]
  | ((request: ModelRequest, callIndex: number) => MockResponse | Promise<MockResponse>);

/** One call the mock received. */
export interface MockCall {
  /** The request, exactly as passed. */
  readonly request: ModelRequest;
  /** The options, exactly as passed. */
  readonly options: StreamOptions | undefined;
}

/** A scripted {@link LanguageModel} that records every call. */
export interface MockModel extends LanguageModel {
  /** Every call received, in order. */
  readonly calls: readonly MockCall[];
  /** The requests of every call, in order (shorthand for `calls.map(c => c.request)`). */
  readonly requests: readonly ModelRequest[];
}

/** Options of {@link createMockModel}. */
export interface MockModelOptions {
  /** Provider name (default `mock`). */
  readonly provider?: string;
  /** Model id (default `mock-model`). */
  readonly modelId?: string;
  /** Capabilities (default: everything supported). */
  readonly capabilities?: Partial<ModelCapabilities>;
}

/**
 * A language model that answers from a script and records what it was asked. It keeps the full
 * stream contract (grammar, abort, error classification, request validation), so code tested
 * against it behaves the same with a real provider.
 *
 * ```ts
 * const model = createMockModel([
 *   { toolCalls: [{ toolName: 'weather', input: { city: 'Paris' } }] },
 *   { text: 'Sunny in Paris.' },
 * ]);
 * ```
 *
 * A call beyond the end of a list script ends with an `invalid_request` error naming the call.
 */
export function createMockModel(script: MockScript, options: MockModelOptions = {}): MockModel {
  if (!Array.isArray(script) && typeof script !== 'function') {
    throw new InvalidArgumentError(
      'script',
      'expected an array of mock responses or a function returning one',
    );
  }
  if (Array.isArray(script)) {
    (script as readonly MockResponse[]).forEach((response, i) => {
      if (typeof response?.error === 'string' && !modelErrorKinds.includes(response.error)) {
        throw new InvalidArgumentError(
          `script.${i}.error`,
          `"${response.error}" is not a ModelError kind (${modelErrorKinds.join(', ')})`,
        );
      }
    });
  }
  const provider = options.provider ?? 'mock';
  const modelId = options.modelId ?? 'mock-model';
  const calls: MockCall[] = [];
  const context = { provider, modelId };

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    capabilities: { tools: true, streaming: true, images: true, ...options.capabilities },
    calls,
    get requests() {
      return calls.map((c) => c.request);
    },
    stream(request, streamOptions) {
      const callIndex = calls.length;
      calls.push({ request, options: streamOptions });
      return guardStream(
        async function* (signal) {
          const issues = validateModelRequest(request);
          if (issues.length > 0) {
            yield errorPart(
              new ModelError(`invalid request: ${formatRequestIssues(issues)}`, {
                ...context,
                kind: 'invalid_request',
              }),
            );
            return;
          }
          const response =
            typeof script === 'function' ? await script(request, callIndex) : script[callIndex];
          if (response === undefined) {
            yield errorPart(
              new ModelError(
                `mock model has no scripted response for call ${callIndex + 1} (the script has ${(script as readonly MockResponse[]).length})`,
                { ...context, kind: 'invalid_request' },
              ),
            );
            return;
          }
          yield* play(response, callIndex, signal, context);
        },
        { ...context, signal: streamOptions?.signal },
      );
    },
  };
}

async function* play(
  response: MockResponse,
  callIndex: number,
  signal: AbortSignal,
  context: { provider: string; modelId: string },
): AsyncGenerator<StreamPart> {
  const pause = async () => {
    if (response.delayMs !== undefined && response.delayMs > 0) await delay(response.delayMs, signal);
  };
  if (response.parts) {
    for (const part of response.parts) {
      await pause();
      yield part;
    }
    return;
  }
  let count = 0;
  const chunks = typeof response.text === 'string' ? [response.text] : (response.text ?? []);
  for (const text of chunks) {
    if (text === '') continue;
    await pause();
    count += 1;
    yield { type: 'text-delta', text };
  }
  const toolCalls = response.toolCalls ?? [];
  for (const [n, call] of toolCalls.entries()) {
    const toolCallId = call.toolCallId ?? `call_${callIndex}_${n}`;
    const json = JSON.stringify(call.input ?? {});
    await pause();
    yield { type: 'tool-call-start', toolCallId, toolName: call.toolName };
    // Stream the input in two halves, as real providers stream it in pieces.
    const half = Math.ceil(json.length / 2);
    for (const piece of [json.slice(0, half), json.slice(half)]) {
      if (piece !== '') yield { type: 'tool-call-delta', toolCallId, inputTextDelta: piece };
    }
    yield { type: 'tool-call-end', toolCallId, toolName: call.toolName, input: JSON.parse(json) };
    count += 3;
  }
  if (response.stall) await delay(Number.POSITIVE_INFINITY, signal);
  await pause();
  if (response.error !== undefined) {
    const error =
      typeof response.error === 'string'
        ? mockError(response.error, response.retryAfterMs, context)
        : response.error;
    yield errorPart(error);
    return;
  }
  yield {
    type: 'finish',
    stopReason: response.stopReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'end'),
    usage: {
      inputTokens: response.usage?.inputTokens ?? 10,
      outputTokens: response.usage?.outputTokens ?? count,
      ...pickCache(response.usage),
    },
    response: { provider: context.provider, modelId: context.modelId, id: `mock_${callIndex}` },
  };
}

function mockError(
  kind: ModelErrorKind,
  retryAfterMs: number | undefined,
  context: { provider: string; modelId: string },
): ModelError {
  if (!modelErrorKinds.includes(kind)) {
    throw new InvalidArgumentError(
      'response.error',
      `"${kind}" is not a ModelError kind (${modelErrorKinds.join(', ')})`,
    );
  }
  return new ModelError(`mock ${kind} error`, {
    ...context,
    kind,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function pickCache(usage: Partial<Usage> | undefined): Partial<Usage> {
  return {
    ...(usage?.cacheReadTokens === undefined ? {} : { cacheReadTokens: usage.cacheReadTokens }),
    ...(usage?.cacheWriteTokens === undefined ? {} : { cacheWriteTokens: usage.cacheWriteTokens }),
  };
}

function errorPart(error: ModelError): StreamPart {
  return { type: 'error', error };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    // An infinite delay (a stall) has no timer: only the abort ends it.
    const timer = Number.isFinite(ms)
      ? setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms)
      : undefined;
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
