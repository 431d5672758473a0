/**
 * The conversation a model is asked to continue: user, assistant and tool messages made of
 * typed content parts. Every value here is plain, serializable data, so a transcript can be stored
 * and replayed as is.
 */

/** Plain text. */
export interface TextPart {
  readonly type: 'text';
  /** The text. */
  readonly text: string;
}

/** An image sent by the user. Only models whose `capabilities.images` is true accept it. */
export interface ImagePart {
  readonly type: 'image';
  /** Base64-encoded bytes (no `data:` prefix), or an `https:` URL the provider fetches itself. */
  readonly data: string;
  /** IANA media type, e.g. `image/png`. */
  readonly mediaType: string;
}

/** A tool call the assistant made (the assistant side of a tool round trip). */
export interface ToolCallPart {
  readonly type: 'tool-call';
  /** Provider-issued id that the matching {@link ToolResultPart} refers to. */
  readonly toolCallId: string;
  /** Name of the tool called. */
  readonly toolName: string;
  /** The call's arguments, as parsed JSON. */
  readonly input: unknown;
}

/** The result of executing a tool call, sent back to the model. */
export interface ToolResultPart {
  readonly type: 'tool-result';
  /** Id of the {@link ToolCallPart} this answers. */
  readonly toolCallId: string;
  /** Name of the tool that was called. */
  readonly toolName: string;
  /**
   * What the tool returned. Strings are sent as they are; anything else is sent as JSON, so it
   * must be JSON-serializable.
   */
  readonly output: unknown;
  /**
   * True when the call failed (invalid input, tool refused by policy, tool threw). The model sees
   * the output as an error and can correct itself.
   */
  readonly isError?: boolean;
}

/** A message from the user. */
export interface UserMessage {
  readonly role: 'user';
  /** A string is shorthand for a single {@link TextPart}. */
  readonly content: string | readonly (TextPart | ImagePart)[];
}

/** A message from the model: text and the tool calls it made. */
export interface AssistantMessage {
  readonly role: 'assistant';
  /** A string is shorthand for a single {@link TextPart}. */
  readonly content: string | readonly (TextPart | ToolCallPart)[];
}

/** Results of the tool calls of the preceding assistant message. */
export interface ToolMessage {
  readonly role: 'tool';
  /** One result per tool call, in any order. */
  readonly content: readonly ToolResultPart[];
}

/** Any message of a conversation. The system prompt is not a message: see `ModelRequest.system`. */
export type ModelMessage = UserMessage | AssistantMessage | ToolMessage;

/** Any content part. */
export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart;
