import type { AssistantMessage, ModelMessage, ToolCallPart, ToolResultPart } from '../spec/messages.js';
import type { LanguageModel } from '../spec/model.js';
import type { ModelRequest } from '../spec/request.js';
import type { ResponseInfo, StopReason, StreamPart, Usage } from '../spec/stream.js';
import type { Tool } from '../tools/define-tool.js';

/**
 * Which tools the model may use in a run. A function of the tool name, or an object with
 * `isAllowed` (the shape of `@claw/core`'s resolved tool policy). Disallowed tools are not sent to
 * the model at all, and a call to one anyway is answered with a tool error and never executed.
 * Consulted before every step, so it may change between steps.
 */
export type ToolPolicy = ((toolName: string) => boolean) | { isAllowed(toolName: string): boolean };

/**
 * Called between steps; returns user messages to add before the next model call (e.g. what the
 * user said while the model was working), or nothing. Returning messages after the model finished
 * starts another step, as long as `maxSteps` allows.
 */
export type SteerHook = () =>
  | readonly ModelMessage[]
  | undefined
  | Promise<readonly ModelMessage[] | undefined>;

/** Options of `runToolLoop`. */
export interface ToolLoopOptions {
  /** The model to call. */
  readonly model: LanguageModel;
  /**
   * The first request: system prompt, conversation so far, sampling options. It has no `tools`:
   * the loop sends those of `tools` that `policy` allows. `toolChoice` applies to every step, so
   * `required` keeps the model calling tools until `maxSteps`.
   */
  readonly request: Omit<ModelRequest, 'tools'>;
  /** Tools the model may call (subject to `policy`). Names must be unique. */
  readonly tools?: readonly Tool<unknown, unknown>[];
  /** Which tools the model may use; default: all of `tools`. */
  readonly policy?: ToolPolicy;
  /** Maximum number of model calls (default 10). A run that reaches it stops with `max_steps`. */
  readonly maxSteps?: number;
  /** Aborts the run: the model call and tools are cancelled and the run rejects with a `ModelError` of kind `aborted`. */
  readonly signal?: AbortSignal;
  /** Receives every stream part of every step, in order (for live display). Must not throw. */
  readonly onPart?: (part: StreamPart, step: number) => void;
  /** Called after each step with what happened in it (for logging or persisting progress). */
  readonly onStepFinish?: (step: ToolLoopStep) => void | Promise<void>;
  /** Injects user messages between steps; see {@link SteerHook}. */
  readonly steer?: SteerHook;
}

/** One executed tool call and its result. */
export interface ToolExecution {
  /** The call the model made. */
  readonly call: ToolCallPart;
  /** The result sent back to the model (`isError` when refused, invalid or thrown). */
  readonly result: ToolResultPart;
}

/** One model call of a run and the tool calls it made. */
export interface ToolLoopStep {
  /** 0-based index of the step. */
  readonly index: number;
  /** The text the model produced in this step. */
  readonly text: string;
  /** The assistant message of this step (text and tool calls). */
  readonly message: AssistantMessage;
  /** The tool calls of this step and their results, in the order the model made them. */
  readonly toolExecutions: readonly ToolExecution[];
  /** Why the model stopped in this step. */
  readonly stopReason: StopReason;
  /** Token counts of this step. */
  readonly usage: Usage;
  /** Which model answered this step. */
  readonly response?: ResponseInfo;
}

/**
 * Why a run ended: the last step's stop reason, or `max_steps` when the model still wanted to call
 * tools when the step budget ran out (its last calls were executed; the answers are in `messages`).
 */
export type ToolLoopStopReason = Exclude<StopReason, 'tool_calls'> | 'max_steps';

/** The outcome of `runToolLoop`. */
export interface ToolLoopResult {
  /** The text of the last step (the model's final answer). */
  readonly text: string;
  /**
   * Every message the run added after `request.messages`, in order: assistant messages, tool
   * results and steered user messages. Append them to the stored transcript.
   */
  readonly messages: readonly ModelMessage[];
  /** Every step, in order. */
  readonly steps: readonly ToolLoopStep[];
  /** Token counts summed over all steps. */
  readonly usage: Usage;
  /** Why the run ended. */
  readonly stopReason: ToolLoopStopReason;
}
