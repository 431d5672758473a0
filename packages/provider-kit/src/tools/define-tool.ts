import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { JsonSchema } from '../spec/json.js';
import type { ModelMessage } from '../spec/messages.js';
import type { ToolDefinition } from '../spec/request.js';

/** Tool names every provider accepts (Anthropic and OpenAI both allow this set, up to 64 characters). */
export const toolNamePattern: RegExp = /^[a-zA-Z0-9_-]{1,64}$/;

/** What a tool's `execute` receives besides its input. */
export interface ToolExecuteContext {
  /** Id of the call being executed (the model refers to the result by it). */
  readonly toolCallId: string;
  /** Aborted when the run is aborted: stop work promptly. */
  readonly signal: AbortSignal;
  /** The conversation up to and including the assistant message that made the call. */
  readonly messages: readonly ModelMessage[];
}

/**
 * A tool the tool loop can execute: its definition as the model sees it (name, description,
 * JSON schema), the zod schema that validates the model's input, and the function that runs it.
 */
export interface Tool<Input = unknown, Output = unknown> extends ToolDefinition {
  /** Validates (and may transform) the input the model sent before `execute` sees it. */
  readonly input: z.ZodType<Input>;
  /**
   * Run the tool. The return value goes back to the model (strings as they are, anything else as
   * JSON). Throwing reports the error message to the model as a failed tool call; it does not end
   * the run.
   */
  execute(input: Input, context: ToolExecuteContext): Output | Promise<Output>;
}

/** Options of {@link defineTool}. */
export interface DefineToolOptions<Schema extends z.ZodType, Output> {
  /** Unique name, `^[a-zA-Z0-9_-]{1,64}$`. */
  readonly name: string;
  /** What the tool does and when to use it; the model chooses tools by this text. */
  readonly description: string;
  /** Zod schema of the input; must describe an object and be representable as JSON schema. */
  readonly input: Schema;
  /** Run the tool with the validated input. */
  execute(input: z.output<Schema>, context: ToolExecuteContext): Output | Promise<Output>;
}

/**
 * Define a tool from a zod schema. The JSON schema the model sees is derived from the zod schema
 * (its input side, so defaults and transforms are described as the model must send them).
 *
 * @throws InvalidArgumentError when the name is not allowed, the description is empty, or the
 *   schema is not an object schema representable as JSON schema.
 */
export function defineTool<Schema extends z.ZodType, Output>(
  options: DefineToolOptions<Schema, Output>,
): Tool<z.output<Schema>, Output> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('tool', 'expected an object with name, description, input and execute');
  }
  const { name, description, input, execute } = options;
  if (typeof name !== 'string' || !toolNamePattern.test(name)) {
    throw new InvalidArgumentError(
      'tool.name',
      `${JSON.stringify(name)} is not allowed; use 1–64 letters, digits, "_" or "-"`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '') {
    throw new InvalidArgumentError(`tool "${name}".description`, 'must be a non-empty string');
  }
  if (typeof execute !== 'function') {
    throw new InvalidArgumentError(`tool "${name}".execute`, 'must be a function');
  }
  const inputSchema = jsonSchemaFromZod(input, `tool "${name}".input`);
  // `Schema` is any zod type whose output is `z.output<Schema>`; TypeScript cannot see that through the generic.
  const validator = input as unknown as z.ZodType<z.output<Schema>>;
  return Object.freeze({ name, description, inputSchema, input: validator, execute });
}

/**
 * The JSON schema of a zod object schema, as tool definitions need it: the input side of the
 * schema, without the `$schema` marker (some providers reject unknown top-level keywords).
 *
 * @param argument Named in the error when the schema is not usable (e.g. `tool "x".input`).
 * @throws InvalidArgumentError when the schema is not a zod schema, does not describe an object,
 *   or uses types JSON schema cannot express (dates, functions, …).
 */
export function jsonSchemaFromZod(schema: z.ZodType, argument = 'schema'): JsonSchema {
  if (!(schema instanceof z.ZodType)) {
    throw new InvalidArgumentError(argument, 'must be a zod schema (e.g. z.object({ … }))');
  }
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError(
      argument,
      `cannot be expressed as JSON schema (${error instanceof Error ? error.message : String(error)}); use JSON types only`,
      { cause: error },
    );
  }
  if (json['type'] !== 'object') {
    throw new InvalidArgumentError(
      argument,
      'must describe an object (z.object({ … })): tool input is always an object',
    );
  }
  const { $schema: _ignored, ...rest } = json;
  return rest;
}

/** The definition the model sees (name, description, input schema) of a tool, without its code. */
export function toolDefinition(tool: ToolDefinition): ToolDefinition {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
}
