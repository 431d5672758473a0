import {
  type LanguageModel,
  type ModelMessage,
  runToolLoop,
  type Tool,
  type ToolLoopStep,
} from '@claw/provider-kit';
import { SPAWN_TOOL_NAME, spawnTool } from '../background/spawn-tool.js';
import type { BlockStream } from '../dispatch/types.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { steeredUserMessage, transcriptToModelMessages, turnUserMessage } from './model-messages.js';
import type { AgentHandler, TranscriptInput, TurnContext } from './types.js';

/** Options of {@link llmAgent}. */
export interface LlmAgentOptions {
  /** The model (from a provider, a registry, or `createMockModel` in tests). */
  readonly model: LanguageModel;
  /**
   * Models for background runs spawned with `spawn({ model: '<id>' })`, e.g.
   * `(id) => registry.languageModel(id)`. Without it, such runs use `model`.
   */
  readonly resolveModel?: (modelId: string) => LanguageModel;
  /** The system prompt, or a function of the turn (e.g. to mention the chat's name). */
  readonly system?: string | ((ctx: TurnContext) => string);
  /** Tools the model may call, subject to the turn's tool policy. */
  readonly tools?: readonly Tool<unknown, unknown>[];
  /** Most model calls per turn (default 10). */
  readonly maxSteps?: number;
  /** Upper bound on generated tokens per model call. */
  readonly maxTokens?: number;
  /** Sampling temperature. */
  readonly temperature?: number;
  /**
   * Offer the model the `sessions_spawn` tool (background runs) in conversation turns. Default
   * `true`; never offered in a background run (runs do not nest), and subject to the tool policy.
   */
  readonly spawn?: boolean;
  /**
   * Block-stream the answer while the model writes (edits on channels with `edit`, coalesced
   * blocks elsewhere). Default `false`: one reply when the model is done (OpenClaw's default).
   */
  readonly stream?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function checkOptions(options: unknown): asserts options is LlmAgentOptions {
  if (!isRecord(options)) {
    throw new ConfigError(
      [{ path: '', message: 'llmAgent(options): options must be an object { model, … }' }],
      {
        subject: 'llmAgent options',
      },
    );
  }
  const issues: ConfigIssue[] = [];
  const model = options['model'];
  if (!isRecord(model) || typeof model['stream'] !== 'function' || typeof model['modelId'] !== 'string') {
    issues.push({
      path: 'model',
      message: 'must be a LanguageModel (from a provider, a registry or createMockModel)',
    });
  }
  for (const fn of ['resolveModel'] as const) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') {
      issues.push({ path: fn, message: 'must be a function (modelId) => LanguageModel' });
    }
  }
  const system = options['system'];
  if (system !== undefined && typeof system !== 'string' && typeof system !== 'function') {
    issues.push({ path: 'system', message: 'must be a string or a function (ctx) => string' });
  }
  const tools = options['tools'];
  const names = new Set<string>();
  if (tools !== undefined) {
    if (!Array.isArray(tools))
      issues.push({ path: 'tools', message: 'must be a list of tools made with defineTool' });
    else {
      tools.forEach((tool: unknown, i) => {
        if (!isRecord(tool) || typeof tool['name'] !== 'string' || typeof tool['execute'] !== 'function') {
          issues.push({
            path: `tools.${i}`,
            message: 'must be a tool made with defineTool({ name, description, input, execute })',
          });
        } else if (names.has(tool['name'])) {
          issues.push({ path: `tools.${i}.name`, message: `a second tool named "${tool['name']}"` });
        } else {
          names.add(tool['name']);
        }
      });
    }
  }
  if (options['spawn'] !== false && names.has(SPAWN_TOOL_NAME)) {
    issues.push({
      path: 'tools',
      message: `a tool is named "${SPAWN_TOOL_NAME}", which llmAgent adds itself: rename it or pass spawn: false`,
    });
  }
  const maxSteps = options['maxSteps'];
  if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && (maxSteps as number) >= 1)) {
    issues.push({ path: 'maxSteps', message: 'must be a whole number ≥ 1' });
  }
  const maxTokens = options['maxTokens'];
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) {
    issues.push({ path: 'maxTokens', message: 'must be a whole number ≥ 1' });
  }
  const temperature = options['temperature'];
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0)) {
    issues.push({ path: 'temperature', message: 'must be a number ≥ 0' });
  }
  for (const flag of ['spawn', 'stream'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      issues.push({ path: flag, message: 'must be true or false' });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'llmAgent options' });
}

/** A value as it survives JSON (tool outputs may hold anything; transcripts keep JSON only). */
function jsonSafe(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return String(value);
  }
}

/** The transcript entries of a step that called tools: the assistant's calls, then the results. */
function stepEntries(step: ToolLoopStep): TranscriptInput[] {
  const names = step.toolExecutions.map((e) => e.call.toolName).join(', ');
  const results: ModelMessage = { role: 'tool', content: step.toolExecutions.map((e) => e.result) };
  return [
    { role: 'assistant', text: step.text, data: jsonSafe(step.message) },
    { role: 'tool', text: `[tool results: ${names}]`, data: jsonSafe(results) },
  ];
}

/**
 * An agent handler backed by a language model and the provider kit's tool loop:
 *
 * - the session transcript becomes the conversation (tool calls included), and the turn's
 *   message — with the pending group history in OpenClaw's `[Chat messages since your last reply
 *   - for context]` block, collected messages, and the queue overflow notice — is the new user
 *   message;
 * - the turn's tool policy decides which tools the model sees and may call;
 * - messages steered into the turn (queue mode `steer`) are handed to the model between steps;
 * - the `sessions_spawn` tool starts background runs (not in background runs themselves);
 * - tool calls and results are recorded in the transcript; the final text is the reply.
 *
 * @example
 * const agents = { main: llmAgent({ model, system: 'You are a concise assistant.', tools: [weather] }) };
 *
 * @throws {ConfigError} when the options are invalid (every problem listed by path).
 */
export function llmAgent(options: LlmAgentOptions): AgentHandler {
  checkOptions(options);
  const { model, resolveModel, system, maxSteps, maxTokens, temperature } = options;
  const tools = options.tools ?? [];
  const offerSpawn = options.spawn !== false;
  const streaming = options.stream === true;

  return async (ctx) => {
    void ctx.setTyping(true);
    const turnModel = ctx.model !== undefined && resolveModel !== undefined ? resolveModel(ctx.model) : model;
    const systemPrompt = typeof system === 'function' ? system(ctx) : system;
    const turnTools: Tool<unknown, unknown>[] =
      offerSpawn && !ctx.isChild
        ? [...tools, spawnTool((spawnOptions) => ctx.spawn(spawnOptions)) as Tool<unknown, unknown>]
        : [...tools];
    let stream: BlockStream | undefined;
    const result = await runToolLoop({
      model: turnModel,
      request: {
        messages: [...transcriptToModelMessages(ctx.transcript), turnUserMessage(ctx)],
        ...(systemPrompt === undefined ? {} : { system: systemPrompt }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(temperature === undefined ? {} : { temperature }),
      },
      tools: turnTools,
      policy: ctx.toolPolicy,
      ...(maxSteps === undefined ? {} : { maxSteps }),
      signal: ctx.signal,
      steer: () => {
        const steered = ctx.steer.take();
        return steered.length === 0 ? undefined : steered.map(steeredUserMessage);
      },
      onStepFinish: async (step) => {
        if (step.toolExecutions.length > 0) await ctx.appendTranscript(stepEntries(step));
      },
      ...(streaming
        ? {
            onPart: (part) => {
              if (part.type === 'text-delta') {
                stream ??= ctx.stream();
                stream.write(part.text);
              }
            },
          }
        : {}),
    });
    if (stream !== undefined) {
      await stream.end();
      return undefined;
    }
    return result.text;
  };
}
