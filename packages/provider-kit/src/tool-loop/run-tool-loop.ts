import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ModelError } from '../errors/model-error.js';
import { abortedError } from '../errors/to-model-error.js';
import type { GeneratedToolCall } from '../generate/generate.js';
import { generate } from '../generate/generate.js';
import { assertLanguageModel } from '../spec/assert-model.js';
import type { ModelMessage, ToolCallPart, ToolResultPart } from '../spec/messages.js';
import type { LanguageModel } from '../spec/model.js';
import type { ModelRequest } from '../spec/request.js';
import type { Usage } from '../spec/stream.js';
import { validateModelRequest } from '../spec/validate-request.js';
import { addUsage, emptyUsage } from '../stream/usage.js';
import type { Tool } from '../tools/define-tool.js';
import { toolDefinition } from '../tools/define-tool.js';
import type {
  ToolExecution,
  ToolLoopOptions,
  ToolLoopResult,
  ToolLoopStep,
  ToolLoopStopReason,
  ToolPolicy,
} from './types.js';

/**
 * Run a tool-using conversation: call the model, execute the tool calls it makes, send the
 * results back, and repeat until the model stops calling tools or `maxSteps` model calls were made.
 *
 * - Tool input is validated with the tool's zod schema; invalid input, unknown tools, tools outside
 *   the policy and tools that throw are answered with a tool result marked `isError`, so the model
 *   can correct itself — they never end the run.
 * - The policy decides which tools the model sees at each step, and is checked again for every call.
 * - Tool calls of one step run one after another, in the order the model made them (tools with side
 *   effects see them in a predictable order).
 * - `steer` is asked for new user messages after each step.
 * - Aborting `signal` cancels the model call or the running tool and rejects at once.
 *
 * @returns the final text, every message added, the steps, summed usage and why the run ended.
 * @throws ModelError when a model call fails (after whatever retries the model wraps), including
 *   `aborted` when `signal` fires.
 * @throws InvalidArgumentError when the options are invalid (checked before anything is called).
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { model, request, signal, onPart, onStepFinish, steer } = options;
  const tools = validateOptions(options);
  const maxSteps = options.maxSteps ?? 10;
  const isAllowed = policyFunction(options.policy);

  const transcript: ModelMessage[] = [...request.messages];
  const added: ModelMessage[] = [];
  const append = (...messages: ModelMessage[]) => {
    transcript.push(...messages);
    added.push(...messages);
  };
  const steps: ToolLoopStep[] = [];
  let usage: Usage = emptyUsage;
  let stopReason: ToolLoopStopReason = 'end';

  for (let index = 0; index < maxSteps; index++) {
    throwIfAborted(signal, model);
    const visible = [...tools.values()].filter((tool) => isAllowed(tool.name));
    const { toolChoice: _unused, ...base } = request;
    const generated = await generate(
      model,
      {
        ...base,
        messages: [...transcript],
        ...(visible.length > 0
          ? {
              tools: visible.map(toolDefinition),
              ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}),
            }
          : {}),
      },
      {
        ...(signal ? { signal } : {}),
        ...(onPart ? { onPart: (part) => onPart(part, index) } : {}),
      },
    );
    append(generated.message);

    const executions: ToolExecution[] = [];
    for (const call of generated.toolCalls) {
      throwIfAborted(signal, model);
      const result = await execute(call, { tools, isAllowed, signal, model, messages: [...transcript] });
      executions.push({ call: callPart(call), result });
    }
    if (executions.length > 0) append({ role: 'tool', content: executions.map((e) => e.result) });

    const step: ToolLoopStep = {
      index,
      text: generated.text,
      message: generated.message,
      toolExecutions: executions,
      stopReason: generated.stopReason,
      usage: generated.usage,
      ...(generated.response ? { response: generated.response } : {}),
    };
    steps.push(step);
    usage = addUsage(usage, generated.usage);
    await onStepFinish?.(step);

    const wantsMore = executions.length > 0;
    stopReason = wantsMore ? 'max_steps' : (generated.stopReason as ToolLoopStopReason);
    if (index + 1 >= maxSteps) break;

    throwIfAborted(signal, model);
    const steered = steer ? await raceAbort(Promise.resolve(steer()), signal, model) : undefined;
    if (steered !== undefined && steered.length > 0) {
      checkSteered(steered);
      append(...steered);
      continue;
    }
    if (!wantsMore) break;
  }

  return {
    text: steps[steps.length - 1]?.text ?? '',
    messages: added,
    steps,
    usage,
    stopReason,
  };
}

interface ExecuteContext {
  readonly tools: ReadonlyMap<string, Tool<unknown, unknown>>;
  readonly isAllowed: (name: string) => boolean;
  readonly signal: AbortSignal | undefined;
  readonly model: LanguageModel;
  readonly messages: readonly ModelMessage[];
}

/** Execute one call and turn every outcome into a tool result; only an abort escapes. */
async function execute(call: GeneratedToolCall, ctx: ExecuteContext): Promise<ToolResultPart> {
  const fail = (output: string): ToolResultPart => ({
    type: 'tool-result',
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    output,
    isError: true,
  });
  const tool = ctx.tools.get(call.toolName);
  // A tool outside the policy is reported exactly like an unknown one: the model must not learn
  // which tools exist but are withheld from it.
  if (!tool || !ctx.isAllowed(call.toolName)) {
    const available = [...ctx.tools.keys()].filter((name) => ctx.isAllowed(name));
    return fail(
      `Tool "${call.toolName}" is not available. Available tools: ${available.length > 0 ? available.join(', ') : 'none'}.`,
    );
  }
  if (call.inputParseError !== undefined) {
    return fail(
      `The input for tool "${call.toolName}" is not valid JSON (${call.inputParseError}). Send a JSON object.`,
    );
  }
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`)
      .join('; ');
    return fail(`Invalid input for tool "${call.toolName}": ${problems}.`);
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const output = await raceAbort(
      Promise.resolve().then(() =>
        tool.execute(parsed.data, {
          toolCallId: call.toolCallId,
          signal: controller.signal,
          messages: ctx.messages,
        }),
      ),
      ctx.signal,
      ctx.model,
    );
    return {
      type: 'tool-result',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      output: output ?? null,
    };
  } catch (error) {
    if (ctx.signal?.aborted)
      throw abortedError({
        provider: ctx.model.provider,
        modelId: ctx.model.modelId,
        reason: ctx.signal.reason,
      });
    return fail(`Tool "${call.toolName}" failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

function callPart(call: GeneratedToolCall): ToolCallPart {
  return {
    type: 'tool-call',
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.inputParseError === undefined ? call.input : {},
  };
}

/** `promise`, or a rejection with an `aborted` ModelError as soon as `signal` fires. */
function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  model: LanguageModel,
): Promise<T> {
  if (!signal) return promise;
  const error = (): ModelError =>
    abortedError({ provider: model.provider, modelId: model.modelId, reason: signal.reason });
  if (signal.aborted) return Promise.reject(error());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (reason: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      },
    );
  });
}

function throwIfAborted(signal: AbortSignal | undefined, model: LanguageModel): void {
  if (signal?.aborted)
    throw abortedError({ provider: model.provider, modelId: model.modelId, reason: signal.reason });
}

function policyFunction(policy: ToolPolicy | undefined): (name: string) => boolean {
  if (policy === undefined) return () => true;
  if (typeof policy === 'function') return (name) => policy(name) === true;
  return (name) => policy.isAllowed(name) === true;
}

function validateOptions(options: ToolLoopOptions): ReadonlyMap<string, Tool<unknown, unknown>> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      'expected { model, request, tools?, policy?, maxSteps?, signal? … }',
    );
  }
  assertLanguageModel(options.model, 'options.model');
  const issues = validateModelRequest(options.request);
  if (issues.length > 0) {
    const first = issues[0] as { path: string; message: string };
    throw new InvalidArgumentError(`options.request.${first.path}`, first.message);
  }
  if ((options.request as ModelRequest).tools !== undefined) {
    throw new InvalidArgumentError(
      'options.request.tools',
      'leave it unset: the loop sends the tools from `options.tools` that `options.policy` allows',
    );
  }
  const { maxSteps, policy } = options;
  if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps >= 1)) {
    throw new InvalidArgumentError('options.maxSteps', `must be an integer ≥ 1, got ${String(maxSteps)}`);
  }
  if (
    policy !== undefined &&
    typeof policy !== 'function' &&
    (typeof policy !== 'object' || policy === null || typeof policy.isAllowed !== 'function')
  ) {
    throw new InvalidArgumentError(
      'options.policy',
      'expected (toolName) => boolean or { isAllowed(toolName) }',
    );
  }
  for (const name of ['onPart', 'onStepFinish', 'steer'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidArgumentError(`options.${name}`, 'must be a function');
    }
  }
  const tools = new Map<string, Tool<unknown, unknown>>();
  (options.tools ?? []).forEach((tool, i) => {
    if (
      typeof tool !== 'object' ||
      tool === null ||
      typeof tool.execute !== 'function' ||
      typeof tool.input?.safeParse !== 'function'
    ) {
      throw new InvalidArgumentError(`options.tools.${i}`, 'expected a tool made with defineTool({ … })');
    }
    if (tools.has(tool.name)) {
      throw new InvalidArgumentError(`options.tools.${i}.name`, `duplicate tool name "${tool.name}"`);
    }
    tools.set(tool.name, tool);
  });
  return tools;
}

function checkSteered(messages: readonly ModelMessage[]): void {
  const fail = (path: string, message: string) => new InvalidArgumentError(`steer() result${path}`, message);
  if (!Array.isArray(messages)) throw fail('', 'expected an array of user messages (or nothing)');
  messages.forEach((message, i) => {
    if (message?.role !== 'user') throw fail(`.${i}.role`, 'steer may only add user messages');
  });
  const issues = validateModelRequest({ messages });
  const first = issues[0];
  if (first) throw fail(`.${first.path.replace(/^messages\./, '')}`, first.message);
}
