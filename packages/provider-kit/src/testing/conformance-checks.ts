import { ModelError, type ModelErrorKind } from '../errors/model-error.js';
import type { LanguageModel } from '../spec/model.js';
import type { ModelRequest, ToolDefinition } from '../spec/request.js';
import type { StreamPart } from '../spec/stream.js';
import { validateStream } from '../stream/validate-stream.js';

const marker = Symbol.for('claw.error.ConformanceError');

/** Thrown by a conformance check when the model under test breaks the contract. */
export class ConformanceError extends Error {
  readonly [marker] = true;
  override readonly name = 'ConformanceError';
  /** The parts the model streamed, for diagnosis. */
  readonly parts: readonly StreamPart[];

  constructor(message: string, parts: readonly StreamPart[] = []) {
    super(`${message}\nparts: ${describeParts(parts)}`);
    this.parts = parts;
  }

  /** True for a `ConformanceError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ConformanceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/**
 * What the conformance kit asks the provider under test to do. The test maps each scenario to a
 * model set up to produce it (typically a fake server replaying a recorded response).
 * - `text`: answer with text and stop normally.
 * - `tool-call`: call the `get_weather` tool ({@link conformanceWeatherTool}) with an object input.
 * - `stall`: stream at least one part, then stop sending until the call is aborted.
 * - `error`: fail with `kind` (before the first part, or after it when `afterFirstPart`).
 */
export type ConformanceScenario =
  | { readonly type: 'text' }
  | { readonly type: 'tool-call' }
  | { readonly type: 'stall' }
  | {
      readonly type: 'error';
      readonly kind: Exclude<ModelErrorKind, 'aborted'>;
      readonly afterFirstPart?: boolean;
    };

/** The tool offered in the `tool-call` scenario. */
export const conformanceWeatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather in a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
    additionalProperties: false,
  },
};

/** The request sent in each scenario. */
export function conformanceRequest(scenario: ConformanceScenario): ModelRequest {
  const base: ModelRequest = {
    system: 'You are a terse assistant.',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    maxTokens: 256,
  };
  return scenario.type === 'tool-call' ? { ...base, tools: [conformanceWeatherTool] } : base;
}

async function collect(model: LanguageModel, request: ModelRequest, signal?: AbortSignal) {
  const result = await validateStream(model.stream(request, signal ? { signal } : {}));
  if (!result.ok) {
    throw new ConformanceError(
      `the stream breaks the grammar: ${result.issues.map((i) => `#${i.index}: ${i.message}`).join('; ')}`,
      result.parts,
    );
  }
  return result.parts;
}

/** A text turn streams non-empty text and finishes with `end` and usage. */
export async function checkTextTurn(model: LanguageModel): Promise<void> {
  const parts = await collect(model, conformanceRequest({ type: 'text' }));
  const last = parts[parts.length - 1];
  if (last?.type !== 'finish') throw new ConformanceError('a text turn must end with a finish part', parts);
  if (last.stopReason !== 'end') {
    throw new ConformanceError(
      `a text turn must finish with stopReason "end", got "${last.stopReason}"`,
      parts,
    );
  }
  const text = parts.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');
  if (text.trim() === '') throw new ConformanceError('a text turn must stream some text', parts);
}

/**
 * A tool-call turn streams a complete `get_weather` call whose input is an object (and whose
 * deltas, when streamed, add up to that input), and finishes with `tool_calls`.
 */
export async function checkToolCallTurn(model: LanguageModel): Promise<void> {
  if (!model.capabilities.tools) return;
  const parts = await collect(model, conformanceRequest({ type: 'tool-call' }));
  const last = parts[parts.length - 1];
  if (last?.type !== 'finish' || last.stopReason !== 'tool_calls') {
    throw new ConformanceError('a tool-call turn must finish with stopReason "tool_calls"', parts);
  }
  const ends = parts.filter((p) => p.type === 'tool-call-end');
  const call = ends.find((p) => p.toolName === conformanceWeatherTool.name);
  if (!call) throw new ConformanceError(`expected a call to "${conformanceWeatherTool.name}"`, parts);
  if (typeof call.input !== 'object' || call.input === null || Array.isArray(call.input)) {
    throw new ConformanceError('a tool call input must be a parsed JSON object', parts);
  }
  const deltas = parts
    .filter((p) => p.type === 'tool-call-delta' && p.toolCallId === call.toolCallId)
    .map((p) => (p.type === 'tool-call-delta' ? p.inputTextDelta : ''))
    .join('');
  if (deltas !== '' && JSON.stringify(JSON.parse(deltas)) !== JSON.stringify(call.input)) {
    throw new ConformanceError('the tool-call deltas do not add up to the final input', parts);
  }
}

/**
 * A failure of `kind` ends the stream with an error part carrying a `ModelError` of that kind, from
 * the model's provider, with `afterFirstPart` telling whether parts came before it. A
 * `rate_limited` error carries `retryAfterMs` when `expectRetryAfter` is set.
 */
export async function checkErrorKind(
  model: LanguageModel,
  scenario: Extract<ConformanceScenario, { type: 'error' }>,
  options: { readonly expectRetryAfter?: boolean } = {},
): Promise<void> {
  const parts = await collect(model, conformanceRequest(scenario));
  const last = parts[parts.length - 1];
  if (last?.type !== 'error')
    throw new ConformanceError(`expected the stream to fail with "${scenario.kind}"`, parts);
  const { error } = last;
  if (!ModelError.isInstance(error))
    throw new ConformanceError('the error part must carry a ModelError', parts);
  if (error.kind !== scenario.kind) {
    throw new ConformanceError(
      `expected kind "${scenario.kind}", got "${error.kind}" (${error.message})`,
      parts,
    );
  }
  if (error.provider !== model.provider) {
    throw new ConformanceError(`error.provider is "${error.provider}", expected "${model.provider}"`, parts);
  }
  if (
    error.afterFirstPart !== (scenario.afterFirstPart ?? false) ||
    error.afterFirstPart !== parts.length > 1
  ) {
    throw new ConformanceError(
      `error.afterFirstPart is ${error.afterFirstPart}, which does not match the stream`,
      parts,
    );
  }
  if (scenario.kind === 'rate_limited' && options.expectRetryAfter && error.retryAfterMs === undefined) {
    throw new ConformanceError(
      'a rate_limited error must carry retryAfterMs when the provider sent one',
      parts,
    );
  }
}

/** A call with an already-aborted signal ends at once with an `aborted` error and nothing else. */
export async function checkAbortBeforeStart(model: LanguageModel): Promise<void> {
  const controller = new AbortController();
  controller.abort();
  const parts = await collect(model, conformanceRequest({ type: 'text' }), controller.signal);
  const only = parts[0];
  if (
    parts.length !== 1 ||
    only?.type !== 'error' ||
    only.error.kind !== 'aborted' ||
    only.error.afterFirstPart
  ) {
    throw new ConformanceError('an aborted call must yield exactly one "aborted" error part', parts);
  }
}

/**
 * Aborting a call that is stalled mid-stream ends it promptly with an `aborted` error marked
 * `afterFirstPart` (a check that hangs here is a provider that ignores its signal).
 */
export async function checkAbortMidStream(model: LanguageModel): Promise<void> {
  const controller = new AbortController();
  const parts: StreamPart[] = [];
  const request = conformanceRequest({ type: 'stall' });
  const result = await validateStream(
    (async function* () {
      for await (const part of model.stream(request, { signal: controller.signal })) {
        parts.push(part);
        if (parts.length === 1) controller.abort();
        yield part;
      }
    })(),
  );
  if (!result.ok) {
    throw new ConformanceError(
      `the stream breaks the grammar: ${result.issues.map((i) => i.message).join('; ')}`,
      parts,
    );
  }
  const last = parts[parts.length - 1];
  if (last?.type !== 'error' || last.error.kind !== 'aborted') {
    throw new ConformanceError('aborting mid-stream must end the stream with an "aborted" error', parts);
  }
  if (parts.length > 1 && !last.error.afterFirstPart) {
    throw new ConformanceError('an abort after the first part must be marked afterFirstPart', parts);
  }
}

/** Breaking out of the iteration early does not throw (and releases the call). */
export async function checkEarlyBreak(model: LanguageModel): Promise<void> {
  for await (const _part of model.stream(conformanceRequest({ type: 'text' }))) break;
}

/** A structurally invalid request (no messages) is an `invalid_request` error part, not an exception. */
export async function checkInvalidRequest(model: LanguageModel): Promise<void> {
  const parts = await collect(model, { messages: [] });
  const only = parts[0];
  if (parts.length !== 1 || only?.type !== 'error' || only.error.kind !== 'invalid_request') {
    throw new ConformanceError(
      'a request without messages must yield one "invalid_request" error part',
      parts,
    );
  }
}

function describeParts(parts: readonly StreamPart[]): string {
  return `[${parts
    .map((p) =>
      p.type === 'error' ? `error(${p.error.kind}${p.error.afterFirstPart ? ', after first' : ''})` : p.type,
    )
    .join(', ')}]`;
}
