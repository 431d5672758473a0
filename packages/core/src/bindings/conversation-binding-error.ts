const marker = Symbol.for('claw.error.ConversationBindingError');

/**
 * Why a binding could not be made.
 * - `capability_unsupported`: the channel's adapter does not declare the capability the binding
 *   needs (`supportsCurrentConversationBinding` for `current`, `threads` for `thread`).
 * - `unknown_channel`: no adapter is registered for the channel.
 * - `unknown_agent`: the agent is not one of the configured agents.
 * - `invalid_input`: the input is malformed (the message says which field and what is allowed).
 */
export type ConversationBindingErrorCode =
  | 'capability_unsupported'
  | 'unknown_channel'
  | 'unknown_agent'
  | 'invalid_input';

/** Thrown (as a rejection) by `createConversationBindings(...).bind` and friends. */
export class ConversationBindingError extends Error {
  readonly [marker] = true;
  override readonly name = 'ConversationBindingError';
  /** Why. */
  readonly code: ConversationBindingErrorCode;
  /** The channel involved, when there is one. */
  readonly channel: string | undefined;
  /** The missing capability flag, for `capability_unsupported`. */
  readonly capability: 'supportsCurrentConversationBinding' | 'threads' | undefined;

  constructor(
    code: ConversationBindingErrorCode,
    message: string,
    details: {
      readonly channel?: string;
      readonly capability?: 'supportsCurrentConversationBinding' | 'threads';
    } = {},
  ) {
    super(message);
    this.code = code;
    this.channel = details.channel;
    this.capability = details.capability;
  }

  /** True for a `ConversationBindingError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ConversationBindingError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
