import type { ChatType } from '../envelope/types.js';

/**
 * How the dispatcher splits long text for a channel (see `chunkText`).
 * - `length`: fill each message up to the limit, breaking at the best boundary inside it.
 * - `newline`: one message per paragraph (blank-line separated) where possible, long paragraphs
 *   split as in `length`.
 * - `markdown`: like `length`, but never breaks inside a fenced code block without closing the
 *   fence at the end of one message and reopening it at the start of the next.
 */
export type ChunkMode = 'length' | 'newline' | 'markdown';

/** Pacing hints for the dispatcher, in messages per second. */
export interface ChannelRateLimits {
  /** Messages per second into one conversation (Telegram: about 1 in a chat, 20 per minute in a group). */
  readonly perConversationPerSecond?: number;
  /** Messages per second across the whole bot account (Telegram: about 30). */
  readonly globalPerSecond?: number;
}

/**
 * What a channel can do. Declared once by the adapter; the core reads it to choose behaviour
 * (chunk size, edits vs. new messages for streaming, whether conversation binding is offered …),
 * and `defineChannel` checks that it agrees with the methods the adapter implements.
 *
 * Flags the adapter leaves out are filled from {@link defaultCapabilities} by `defineChannel`,
 * so an adapter only declares what it adds. The capability table in `docs/channel-adapters.md`
 * lists what the core does with each flag.
 */
export interface ChannelCapabilities {
  /**
   * Conversation kinds this channel delivers (`direct`, `group`, `channel`). Access rules and
   * routing only ever see these kinds from this channel; the conformance kit sends to each.
   */
  readonly chatTypes: readonly ChatType[];
  /**
   * `send` posts into `ReplyTarget.threadId` when it is set (Slack `thread_ts`, Matrix thread
   * root, Discord thread). When false the core never sets a thread on targets for this channel
   * and thread-scoped session keys are not used. Not detectable by `defineChannel` (it cannot
   * see whether `send` reads `target.threadId`); the conformance kit checks it.
   */
  readonly threads: boolean;
  /**
   * The channel has forum topics (Telegram). Topics are separate conversations: they are part of
   * the peer id (`<chatId>:topic:<topicId>`, with `parentPeer` set to the group), not a `threadId`.
   */
  readonly topics: boolean;
  /**
   * The channel can bind "the current conversation" to a session (the generic binding chain).
   * Declaring this is all an adapter needs to take part in conversation bindings: the core
   * derives the conversation from `conversationId(target)` (or the default derivation) and
   * stores the binding itself; the adapter implements nothing else.
   */
  readonly supportsCurrentConversationBinding: boolean;
  /**
   * The platform reports mentions natively and the adapter fills `InboundMessage.mentions`
   * (`self` when the bot is mentioned). When false, mention gating in groups falls back to the
   * configured mention patterns on the text.
   */
  readonly nativeMentions: boolean;
  /**
   * `send` honours `OutboundMessage.replyToMessageId` (a native quote / reply). When false the
   * core never sets it, and the first reply is simply posted into the conversation.
   */
  readonly replies: boolean;
  /**
   * The adapter implements `edit`, so streamed replies may be edited in place instead of being
   * sent as new messages. Must agree with the presence of `edit()`.
   */
  readonly edit: boolean;
  /** The adapter implements `react` (acknowledgement reactions). Must agree with `react()`. */
  readonly reactions: boolean;
  /**
   * `send` accepts `OutboundMessage.media`. When false the core never passes media; media URLs are
   * appended to the text instead.
   */
  readonly media: boolean;
  /** The adapter implements `setTyping` (typing indicators while a turn runs). Must agree with `setTyping()`. */
  readonly typing: boolean;
  /**
   * Longest text one message may hold, in UTF-16 code units (JavaScript string length). The
   * dispatcher chunks above it with `chunkText`; `send` never receives longer text. A positive
   * integer (Telegram 4096, Discord 2000, generic default 4000).
   */
  readonly textChunkLimit: number;
  /**
   * The platform renders Markdown. The dispatcher then sends `format: 'markdown'` and chunks in
   * `markdown` mode (code fences are closed and reopened across messages) unless `chunkMode`
   * says otherwise.
   */
  readonly markdown: boolean;
  /**
   * Ids on this platform are case-insensitive (e.g. Slack channel names, email addresses), so
   * session keys and allowlist comparisons may lowercase them. When false, case is preserved.
   */
  readonly caseInsensitiveIds: boolean;
  /**
   * How the dispatcher splits long text. Default: `markdown` when `markdown` is true, else
   * `length`.
   */
  readonly chunkMode?: ChunkMode;
  /** Rate hints the dispatcher respects when pacing sends. Omitted: no pacing beyond retries. */
  readonly rateLimits?: ChannelRateLimits;
}

/**
 * Capabilities as an adapter may declare them: every flag optional. `defineChannel` fills the
 * omitted ones from {@link defaultCapabilities}.
 */
export type ChannelCapabilitiesInput = {
  readonly [K in keyof ChannelCapabilities]?: ChannelCapabilities[K];
};

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

/** The chunk mode the dispatcher uses for a channel: the declared one, else derived from `markdown`. */
export function chunkModeOf(capabilities: Pick<ChannelCapabilities, 'chunkMode' | 'markdown'>): ChunkMode {
  return capabilities.chunkMode ?? (capabilities.markdown ? 'markdown' : 'length');
}
