import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ModelError } from '../errors/model-error.js';
import { toModelError } from '../errors/to-model-error.js';
import { assertLanguageModel } from '../spec/assert-model.js';
import type { AssistantMessage, TextPart, ToolCallPart } from '../spec/messages.js';
import type { LanguageModel, StreamOptions } from '../spec/model.js';
import type { ModelRequest } from '../spec/request.js';
import type { ResponseInfo, StopReason, StreamPart, Usage } from '../spec/stream.js';
import { emptyUsage } from '../stream/usage.js';

/** A tool call as collected by {@link generate}. */
export interface GeneratedToolCall extends ToolCallPart {
  /** Set when the model's input was not valid JSON; `input` is then the raw text. */
  readonly inputParseError?: string;
}

/** What {@link generate} collected from a stream. */
export interface GenerateResult {
  /** All text deltas, concatenated. */
  readonly text: string;
  /** The tool calls, in stream order. */
  readonly toolCalls: readonly GeneratedToolCall[];
  /** Why the model stopped. */
  readonly stopReason: StopReason;
  /** The provider's own stop reason, when it gave one. */
  readonly rawStopReason?: string;
  /** Token counts. */
  readonly usage: Usage;
  /** Which model answered, when the provider said. */
  readonly response?: ResponseInfo;
  /**
   * The answer as an assistant message, ready to append to the conversation. A tool call whose
   * input was not valid JSON is recorded with input `{}` (vendors reject anything but an object).
   */
  readonly message: AssistantMessage;
}

/** Options of {@link generate}. */
export interface GenerateOptions extends StreamOptions {
  /** Receives every stream part as it arrives (for live display). */
  readonly onPart?: (part: StreamPart) => void;
}

/**
 * Run one model call and collect the stream into text, tool calls and usage.
 *
 * @throws ModelError when the stream ends with an `error` part (including `aborted`), or when the
 *   model breaks the stream contract (throws, or ends without `finish`) — as a `transport` error.
 * @throws InvalidArgumentError when `model` is not a language model.
 */
export async function generate(
  model: LanguageModel,
  request: ModelRequest,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  assertLanguageModel(model, 'model');
  if (typeof request !== 'object' || request === null) {
    throw new InvalidArgumentError('request', 'expected a ModelRequest object ({ messages, … })');
  }
  const { onPart, ...streamOptions } = options;
  const context = { provider: model.provider, modelId: model.modelId };
  let text = '';
  const toolCalls: GeneratedToolCall[] = [];
  let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  let failure: ModelError | undefined;
  let count = 0;
  const iterator = model.stream(request, streamOptions)[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<StreamPart>;
      try {
        next = await iterator.next();
      } catch (error) {
        // Only the model's own failures are classified; an exception from `onPart` below is the
        // caller's and propagates as is.
        throw toModelError(error, { ...context, afterFirstPart: count > 0 });
      }
      if (next.done) break;
      const part = next.value;
      count += 1;
      onPart?.(part);
      if (part.type === 'text-delta') text += part.text;
      else if (part.type === 'tool-call-end') {
        toolCalls.push({
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
          ...(part.inputParseError === undefined ? {} : { inputParseError: part.inputParseError }),
        });
      } else if (part.type === 'finish') {
        finish = part;
        break;
      } else if (part.type === 'error') {
        failure = part.error;
        break;
      }
    }
  } finally {
    // Release the model call when we stop early (onPart threw, or parts after finish are ignored).
    await Promise.resolve(iterator.return?.()).catch(() => {});
  }
  if (failure) throw failure;
  if (!finish) {
    throw toModelError(new Error('the stream ended without a finish part'), {
      ...context,
      afterFirstPart: count > 0,
    });
  }
  const content: (TextPart | ToolCallPart)[] = [];
  if (text !== '') content.push({ type: 'text', text });
  for (const call of toolCalls) {
    content.push({
      type: 'tool-call',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.inputParseError === undefined ? call.input : {},
    });
  }
  return {
    text,
    toolCalls,
    stopReason: finish.stopReason,
    usage: finish.usage ?? emptyUsage,
    message: { role: 'assistant', content },
    ...(finish.rawStopReason === undefined ? {} : { rawStopReason: finish.rawStopReason }),
    ...(finish.response === undefined ? {} : { response: finish.response }),
  };
}
