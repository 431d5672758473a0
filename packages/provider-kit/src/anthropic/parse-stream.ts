import type { StopReason, StreamPart, Usage } from '../spec/stream.js';
import { parseToolInput } from '../stream/parse-tool-input.js';

interface Context {
  readonly provider: string;
  readonly modelId: string;
}

/** The fields of Messages API stream events this provider reads (a structural subset of the SDK's types). */
export interface AnthropicStreamEvent {
  readonly type: string;
  readonly index?: number;
  readonly message?: { readonly id?: string; readonly model?: string; readonly usage?: AnthropicUsage };
  readonly content_block?: {
    readonly type: string;
    readonly id?: string;
    readonly name?: string;
    readonly text?: string;
  };
  readonly delta?: {
    readonly type?: string;
    readonly text?: string;
    readonly partial_json?: string;
    readonly stop_reason?: string | null;
  };
  readonly usage?: AnthropicUsage;
}

interface AnthropicUsage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
}

/**
 * Translate Messages API stream events into stream parts. Text blocks become `text-delta`s;
 * `tool_use` blocks become a tool call whose input JSON streams as deltas and is parsed at
 * `content_block_stop`; thinking and server-tool blocks are not part of the spec and are skipped.
 */
export async function* parseMessagesStream(
  events: AsyncIterable<AnthropicStreamEvent>,
  context: Context,
): AsyncGenerator<StreamPart> {
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  let toolCalls = 0;
  let id: string | undefined;
  let model: string | undefined;
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let rawStop: string | undefined;

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        id = event.message?.id;
        model = event.message?.model;
        usage = mergeUsage(usage, event.message?.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block?.type === 'text' && block.text) yield { type: 'text-delta', text: block.text };
        if (block?.type === 'tool_use' && block.id && block.name && event.index !== undefined) {
          toolBlocks.set(event.index, { id: block.id, name: block.name, json: '' });
          yield { type: 'tool-call-start', toolCallId: block.id, toolName: block.name };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta?.type === 'text_delta' && delta.text) yield { type: 'text-delta', text: delta.text };
        const block = event.index === undefined ? undefined : toolBlocks.get(event.index);
        if (delta?.type === 'input_json_delta' && block && delta.partial_json) {
          block.json += delta.partial_json;
          yield { type: 'tool-call-delta', toolCallId: block.id, inputTextDelta: delta.partial_json };
        }
        break;
      }
      case 'content_block_stop': {
        const block = event.index === undefined ? undefined : toolBlocks.get(event.index);
        if (block && event.index !== undefined) {
          toolBlocks.delete(event.index);
          toolCalls += 1;
          yield {
            type: 'tool-call-end',
            toolCallId: block.id,
            toolName: block.name,
            ...parseToolInput(block.json),
          };
        }
        break;
      }
      case 'message_delta':
        if (event.delta?.stop_reason) rawStop = event.delta.stop_reason;
        usage = mergeUsage(usage, event.usage);
        break;
      case 'message_stop':
        yield {
          type: 'finish',
          stopReason: stopReason(rawStop, toolCalls > 0),
          ...(rawStop === undefined ? {} : { rawStopReason: rawStop }),
          usage,
          response: { provider: context.provider, modelId: model ?? context.modelId, ...(id ? { id } : {}) },
        };
        return;
      default:
        // `ping` and event types added to the API later carry nothing the spec needs.
        break;
    }
  }
}

function stopReason(raw: string | undefined, hadToolCalls: boolean): StopReason {
  switch (raw) {
    case 'tool_use':
      return hadToolCalls ? 'tool_calls' : 'end';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    default:
      // end_turn, pause_turn, refusal and future reasons: the turn is over; rawStopReason keeps the detail.
      return hadToolCalls ? 'tool_calls' : 'end';
  }
}

/**
 * Anthropic reports uncached input, cache writes and cache reads separately, and cumulative counts
 * in `message_delta`; the spec's `inputTokens` counts all prompt tokens.
 */
function mergeUsage(current: Usage, raw: AnthropicUsage | undefined): Usage {
  if (!raw) return current;
  const cacheWrite = raw.cache_creation_input_tokens ?? current.cacheWriteTokens;
  const cacheRead = raw.cache_read_input_tokens ?? current.cacheReadTokens;
  const uncached =
    raw.input_tokens ??
    current.inputTokens - (current.cacheWriteTokens ?? 0) - (current.cacheReadTokens ?? 0);
  return {
    inputTokens: uncached + (cacheWrite ?? 0) + (cacheRead ?? 0),
    outputTokens: raw.output_tokens ?? current.outputTokens,
    ...(cacheRead === undefined ? {} : { cacheReadTokens: cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWriteTokens: cacheWrite }),
  };
}
