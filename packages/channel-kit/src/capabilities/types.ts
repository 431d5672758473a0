import type { ChatType } from '../envelope/types.js';

/**
 * What a channel can do. Declared once by the adapter; the core reads it to choose behaviour
 * (chunk size, edits vs. new messages for streaming, whether conversation binding is offered …),
 * and `defineChannel` checks that it agrees with the methods the adapter implements.
 */
export interface ChannelCapabilities {
  /** Conversation kinds this channel delivers. */
  readonly chatTypes: readonly ChatType[];
  /** Replies can be posted into a thread (`ReplyTarget.threadId` is honoured by `send`). */
  readonly threads: boolean;
  /** Forum topics exist (Telegram); topics are part of the peer id (`<chat>:topic:<id>`). */
  readonly topics: boolean;
  /**
   * The channel can bind "the current conversation" to a session (the generic binding chain).
   * Declaring this is all an adapter needs to take part in conversation bindings.
   */
  readonly supportsCurrentConversationBinding: boolean;
  /** The platform reports mentions natively (`InboundMessage.mentions`), so mention gating can work. */
  readonly nativeMentions: boolean;
  /** `send` honours `OutboundMessage.replyToMessageId` (quote / reply-to). */
  readonly replies: boolean;
  /** The adapter implements `edit` (streaming edits a message in place). */
  readonly edit: boolean;
  /** The adapter implements `react`. */
  readonly reactions: boolean;
  /** `send` accepts `OutboundMessage.media`. */
  readonly media: boolean;
  /** The adapter implements `setTyping`. */
  readonly typing: boolean;
  /** Longest text one message may hold, in characters (the dispatcher chunks above it). */
  readonly textChunkLimit: number;
  /** The platform renders Markdown. */
  readonly markdown: boolean;
  /** Ids on this platform are case-insensitive, so session keys may lowercase them. */
  readonly caseInsensitiveIds: boolean;
  /** Rate hints the dispatcher respects when pacing sends. */
  readonly rateLimits?: {
    /** Messages per second into one conversation. */
    readonly perConversationPerSecond?: number;
    /** Messages per second across the whole account. */
    readonly globalPerSecond?: number;
  };
}

/** Conservative capabilities: every chat type, 4000-character messages, no optional feature. */
export const defaultCapabilities: ChannelCapabilities = Object.freeze({
  chatTypes: Object.freeze(['direct', 'group', 'channel'] as ChatType[]),
  threads: false,
  topics: false,
  supportsCurrentConversationBinding: false,
  nativeMentions: false,
  replies: false,
  edit: false,
  reactions: false,
  media: false,
  typing: false,
  textChunkLimit: 4000,
  markdown: false,
  caseInsensitiveIds: false,
});
