import type { ModelError } from '../errors/model-error.js';

/**
 * Why the model stopped.
 * - `end`: it finished its answer.
 * - `tool_calls`: it called tools and waits for their results.
 * - `max_tokens`: it hit `maxTokens` (the answer is truncated).
 * - `stop_sequence`: it produced one of `stopSequences`.
 */
export type StopReason = 'end' | 'tool_calls' | 'max_tokens' | 'stop_sequence';

/** Token counts of one model call (or a sum of calls). Zero when the provider did not report them. */
export interface Usage {
  /** Prompt tokens, including cached ones. */
  readonly inputTokens: number;
  /** Generated tokens. */
  readonly outputTokens: number;
  /** Prompt tokens read from the provider's cache, when reported. */
  readonly cacheReadTokens?: number;
  /** Prompt tokens written to the provider's cache, when reported. */
  readonly cacheWriteTokens?: number;
}

/** Which model actually answered (after fallbacks) and the provider's id for the response. */
export interface ResponseInfo {
  /** Provider name, e.g. `anthropic`. */
  readonly provider: string;
  /** Model id as the provider reported it, or as requested. */
  readonly modelId: string;
  /** The provider's response/message id, when it gave one. */
  readonly id?: string;
}

/** A piece of the answer's text. Concatenate all `text-delta`s of a stream to get the text. */
export interface TextDeltaPart {
  readonly type: 'text-delta';
  /** The next piece of text (never empty). */
  readonly text: string;
}

/** The model started a tool call. Followed by zero or more deltas and exactly one end. */
export interface ToolCallStartPart {
  readonly type: 'tool-call-start';
  /** Id of this call, unique within the stream. */
  readonly toolCallId: string;
  /** Name of the tool called. */
  readonly toolName: string;
}

/** A piece of the tool call's input JSON text, as the model streams it (for live display). */
export interface ToolCallDeltaPart {
  readonly type: 'tool-call-delta';
  /** Id of the open call. */
  readonly toolCallId: string;
  /** The next piece of raw JSON text (never empty). */
  readonly inputTextDelta: string;
}

/** The tool call is complete; carries its parsed input. */
export interface ToolCallEndPart {
  readonly type: 'tool-call-end';
  /** Id of the call being closed. */
  readonly toolCallId: string;
  /** Name of the tool called (same as in the start part). */
  readonly toolName: string;
  /**
   * The parsed input (`{}` when the model sent none). When the model produced text that is not
   * valid JSON, this is that raw text and `inputParseError` says what is wrong.
   */
  readonly input: unknown;
  /**
   * Set when the model's input was not valid JSON. The tool loop answers such a call with a tool
   * error so the model can retry, instead of failing the turn.
   */
  readonly inputParseError?: string;
}

/** The last part of a successful stream. */
export interface FinishPart {
  readonly type: 'finish';
  /** Why the model stopped. */
  readonly stopReason: StopReason;
  /** The provider's own stop reason, verbatim (e.g. `end_turn`, `length`), when it gave one. */
  readonly rawStopReason?: string;
  /** Token counts of this call. */
  readonly usage: Usage;
  /** Which model answered. Providers set it; `withFallback` relies on it to report the served model. */
  readonly response?: ResponseInfo;
}

/**
 * The last part of a failed stream. `error.afterFirstPart` tells whether anything was streamed
 * before the failure (then retrying would repeat output, so wrappers do not retry).
 */
export interface ErrorPart {
  readonly type: 'error';
  /** What went wrong, classified. */
  readonly error: ModelError;
}

/**
 * One part of a model's streamed answer. The grammar is strict (and checked by `validateStream`
 * and the conformance kit):
 *
 * ```text
 * stream    := item* (finish | error)
 * item      := text-delta | toolcall
 * toolcall  := tool-call-start tool-call-delta* tool-call-end      (same toolCallId throughout)
 * ```
 *
 * Tool calls do not interleave with each other or with text; `toolCallId`s are unique; nothing
 * follows `finish` or `error`; a `finish` with `stopReason: 'tool_calls'` has at least one call.
 */
export type StreamPart =
  | TextDeltaPart
  | ToolCallStartPart
  | ToolCallDeltaPart
  | ToolCallEndPart
  | FinishPart
  | ErrorPart;
