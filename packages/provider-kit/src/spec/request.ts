import type { JsonSchema } from './json.js';
import type { ModelMessage } from './messages.js';

/**
 * A tool the model may call, as the model sees it: a name, what it does, and the JSON schema of
 * its input. Build one from a zod schema with `defineTool` (which also attaches `execute`).
 */
export interface ToolDefinition {
  /** Unique within a request; `^[a-zA-Z0-9_-]{1,64}$` (the intersection of what providers accept). */
  readonly name: string;
  /** What the tool does and when to use it. Models choose tools by this text. */
  readonly description: string;
  /** JSON schema of the input object (`type: 'object'`). */
  readonly inputSchema: JsonSchema;
}

/**
 * Whether and which tool the model must call.
 * - `auto` (default): the model decides.
 * - `none`: the model must not call tools (it still sees them).
 * - `required`: the model must call at least one tool.
 * - `{ type: 'tool', toolName }`: the model must call this tool.
 */
export type ToolChoice = 'auto' | 'none' | 'required' | { readonly type: 'tool'; readonly toolName: string };

/** Everything a model needs for one turn. Plain data; providers never mutate it. */
export interface ModelRequest {
  /** System prompt: instructions that frame the whole conversation. */
  readonly system?: string;
  /** The conversation so far, oldest first. Must not be empty. */
  readonly messages: readonly ModelMessage[];
  /** Tools the model may call. Omit or leave empty for none. */
  readonly tools?: readonly ToolDefinition[];
  /** Whether and which tool the model must call (default `auto`). Ignored without `tools`. */
  readonly toolChoice?: ToolChoice;
  /** Upper bound on generated tokens. Providers that require one use their own default. */
  readonly maxTokens?: number;
  /** Sampling temperature (provider range, typically 0–1 or 0–2). */
  readonly temperature?: number;
  /** Sequences that stop generation when produced; the finish reason is then `stop_sequence`. */
  readonly stopSequences?: readonly string[];
  /**
   * Provider-specific options, keyed by provider name, e.g.
   * `{ anthropic: { metadata: { user_id: 'u1' } } }`. A provider reads only its own key and merges
   * it into the request body it sends, so anything the vendor API accepts can be passed through.
   */
  readonly providerOptions?: { readonly [provider: string]: { readonly [option: string]: unknown } };
}
