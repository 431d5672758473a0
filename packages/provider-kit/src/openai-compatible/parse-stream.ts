import { ModelError } from '../errors/model-error.js';
import type { ServerSentEvent } from '../http/server-sent-events.js';
import type { StopReason, StreamPart, Usage } from '../spec/stream.js';
import { parseToolInput } from '../stream/parse-tool-input.js';
import { errorFromChunk } from './errors.js';

interface Context {
  readonly provider: string;
  readonly modelId: string;
}

interface PendingCall {
  id: string | undefined;
  name: string;
  args: string;
  started: boolean;
  closed: boolean;
}

/**
 * Translate chat-completions stream chunks into stream parts. Tool calls arrive as fragments keyed
 * by `index`; a call is opened when its id and name are known and closed when the next call,
 * text, or the finish arrives. Servers that never send `[DONE]` are fine; a stream that ends
 * without a `finish_reason` is a failure.
 *
 * @throws ModelError for malformed chunks, error chunks and truncated streams.
 */
export async function* parseChatCompletionsStream(
  events: AsyncIterable<ServerSentEvent>,
  context: Context,
): AsyncGenerator<StreamPart> {
  const calls = new Map<number, PendingCall>();
  let open: number | undefined;
  let finishReason: string | undefined;
  let rawStopSequence = false;
  let usage: Usage | undefined;
  let responseId: string | undefined;
  let responseModel: string | undefined;
  let toolCallCount = 0;

  const fail = (message: string, cause?: unknown) =>
    new ModelError(`${context.provider} sent ${message}`, {
      kind: 'transport',
      provider: context.provider,
      modelId: context.modelId,
      ...(cause === undefined ? {} : { cause }),
    });

  function* close(index: number | undefined): Generator<StreamPart> {
    if (index === undefined) return;
    const call = calls.get(index);
    if (!call || call.closed) return;
    if (!call.started) throw fail(`tool call #${index} without a function name`);
    call.closed = true;
    toolCallCount += 1;
    yield {
      type: 'tool-call-end',
      toolCallId: call.id as string,
      toolName: call.name,
      ...parseToolInput(call.args),
    };
    if (open === index) open = undefined;
  }

  for await (const event of events) {
    if (event.data === '[DONE]') break;
    if (event.data.trim() === '') continue;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(event.data) as Record<string, unknown>;
    } catch (error) {
      throw fail(`a malformed stream chunk (not JSON): ${truncate(event.data)}`, error);
    }
    if (event.event === 'error' || chunk['error'] !== undefined) throw errorFromChunk(chunk, context);
    if (typeof chunk['id'] === 'string') responseId ??= chunk['id'];
    if (typeof chunk['model'] === 'string') responseModel ??= chunk['model'];
    if (isRecord(chunk['usage'])) usage = toUsage(chunk['usage']);
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    const choice = choices[0] as Record<string, unknown> | undefined;
    if (!choice) continue;
    const delta = isRecord(choice['delta'])
      ? choice['delta']
      : isRecord(choice['message'])
        ? choice['message']
        : {};

    const content = delta['content'];
    if (typeof content === 'string' && content !== '') {
      yield* close(open);
      yield { type: 'text-delta', text: content };
    }

    const fragments = Array.isArray(delta['tool_calls']) ? (delta['tool_calls'] as unknown[]) : [];
    for (const [position, raw] of fragments.entries()) {
      if (!isRecord(raw)) continue;
      const fn = isRecord(raw['function']) ? raw['function'] : {};
      // Servers that omit `index` (some Ollama versions) send each call whole, in order.
      const index = typeof raw['index'] === 'number' ? raw['index'] : calls.size + position;
      let call = calls.get(index);
      if (call?.closed) {
        throw fail(
          `fragments of tool call #${index} after it was closed (interleaved tool calls are not supported)`,
        );
      }
      if (open !== undefined && open !== index) yield* close(open);
      if (!call) {
        call = { id: undefined, name: '', args: '', started: false, closed: false };
        calls.set(index, call);
      }
      open = index;
      if (typeof raw['id'] === 'string' && raw['id'] !== '' && !call.started) call.id = raw['id'];
      if (typeof fn['name'] === 'string' && fn['name'] !== '' && !call.started) call.name += fn['name'];
      const args =
        typeof fn['arguments'] === 'string'
          ? fn['arguments']
          : isRecord(fn['arguments'])
            ? JSON.stringify(fn['arguments'])
            : '';
      if (!call.started && call.name !== '') {
        call.id ??= `${responseId ?? 'call'}_${index}`;
        call.started = true;
        yield { type: 'tool-call-start', toolCallId: call.id, toolName: call.name };
        if (call.args !== '')
          yield { type: 'tool-call-delta', toolCallId: call.id, inputTextDelta: call.args };
      }
      call.args += args;
      if (call.started && args !== '')
        yield { type: 'tool-call-delta', toolCallId: call.id as string, inputTextDelta: args };
    }

    if (typeof choice['finish_reason'] === 'string') {
      finishReason = choice['finish_reason'];
      // vLLM reports the matched stop sequence in `stop_reason`.
      if (typeof choice['stop_reason'] === 'string') rawStopSequence = true;
    }
  }

  for (const index of [...calls.keys()]) yield* close(index);
  if (finishReason === undefined)
    throw fail('a stream that ended before the model finished (no finish_reason)');
  yield {
    type: 'finish',
    stopReason: stopReason(finishReason, toolCallCount > 0, rawStopSequence),
    rawStopReason: finishReason,
    usage: usage ?? { inputTokens: 0, outputTokens: 0 },
    response: {
      provider: context.provider,
      modelId: responseModel ?? context.modelId,
      ...(responseId ? { id: responseId } : {}),
    },
  };
}

function stopReason(reason: string, hadToolCalls: boolean, stopSequence: boolean): StopReason {
  if (reason === 'length') return 'max_tokens';
  // Some servers (older Ollama) report "stop" after tool calls: the calls are what matters.
  if (hadToolCalls) return 'tool_calls';
  if (stopSequence) return 'stop_sequence';
  return 'end';
}

function toUsage(raw: Record<string, unknown>): Usage {
  const details = isRecord(raw['prompt_tokens_details']) ? raw['prompt_tokens_details'] : {};
  const cached = count(details['cached_tokens']);
  return {
    inputTokens: count(raw['prompt_tokens']) ?? 0,
    outputTokens: count(raw['completion_tokens']) ?? 0,
    ...(cached === undefined ? {} : { cacheReadTokens: cached }),
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
