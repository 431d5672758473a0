/**
 * The kind of conversation a message belongs to.
 * - `direct`: a one-to-one chat (a DM).
 * - `group`: a multi-person chat (Telegram group, WhatsApp group, Slack multi-person DM …).
 * - `channel`: a room or channel (Discord or Slack channel, Matrix room, a thread-as-channel).
 */
export type ChatType = 'direct' | 'group' | 'channel';

/** A conversation on a channel: its kind and its platform id (kept exactly as the platform gives it). */
export interface Peer {
  /** What kind of conversation this is. */
  readonly kind: ChatType;
  /** The platform's id of the conversation (chat id, room id, channel id, phone number …). */
  readonly id: string;
}

/** Who sent a message. Only `id` is required; the rest helps allowlists and attribution. */
export interface Sender {
  /** The platform's stable user id. Allowlists match on this. */
  readonly id: string;
  /** The platform username or handle (mutable: matched only with an explicit dangerous opt-in). */
  readonly username?: string;
  /** The display name (mutable: matched only with an explicit dangerous opt-in). */
  readonly name?: string;
  /** The phone number in E.164 form, on phone-based channels. */
  readonly e164?: string;
  /** True when the sender is a bot account. */
  readonly isBot?: boolean;
  /** True when the message was sent by this bot itself (an echo of our own message). */
  readonly isSelf?: boolean;
}

/** Mentions carried natively by the platform (entities, mention JIDs, `<@id>` tokens). */
export interface Mentions {
  /** True when the platform says this bot was explicitly mentioned. */
  readonly self?: boolean;
  /** Ids of every user mentioned in the message (the bot included, if it was). */
  readonly users?: readonly string[];
}

/** The message this one replies to or quotes. */
export interface ReplyReference {
  /** Platform id of the replied-to message. */
  readonly messageId: string;
  /** Sender id of the replied-to message, when known. */
  readonly senderId?: string;
  /** True when the replied-to message was sent by this bot (an implicit mention). */
  readonly fromSelf?: boolean;
  /** Text of the replied-to message, when the platform provides it. */
  readonly text?: string;
}

/**
 * One inbound message, normalised by a channel adapter. This is the only shape the core
 * consumes; adapters build it, `parseInbound` validates it.
 */
export interface InboundMessage {
  /** Channel id, e.g. `telegram`, `discord`, `slack`, `whatsapp`, `matrix`, or a custom one. */
  readonly channel: string;
  /** The bot account on that channel that received the message. Defaults to `default`. */
  readonly accountId?: string;
  /** Platform message id, unique per (channel, account); used for dedupe and reply-to. */
  readonly messageId: string;
  /** The conversation the message was posted in. For a Discord thread, the thread channel. */
  readonly peer: Peer;
  /** For threads and topics: the parent conversation (used to inherit bindings). */
  readonly parentPeer?: Peer;
  /** Thread id inside `peer` (Slack `thread_ts`, Matrix thread root …). Telegram topics go in the peer id. */
  readonly threadId?: string;
  /** Discord server id. */
  readonly guildId?: string;
  /** Slack workspace / Microsoft Teams team id. */
  readonly teamId?: string;
  /** Discord role ids of the sender in this guild. */
  readonly memberRoleIds?: readonly string[];
  /** Who sent it. */
  readonly sender: Sender;
  /** The message text (may be empty for media-only messages). */
  readonly text: string;
  /** Native mentions, when the platform provides them. */
  readonly mentions?: Mentions;
  /** The message this one replies to, if any. */
  readonly replyTo?: ReplyReference;
  /** When the platform says it was sent, in milliseconds since the epoch. */
  readonly timestamp: number;
  /** The original platform payload, untouched, for handlers that need more. Never inspected by the core. */
  readonly raw?: unknown;
}

/**
 * Where the answer to a message goes. Pinned when the message is admitted and immutable after:
 * every reply, streamed block, background result and pairing challenge for that message is
 * delivered here and nowhere else. Plain, serializable data.
 */
export interface ReplyTarget {
  /** Channel id. */
  readonly channel: string;
  /** Bot account that sends the reply. */
  readonly accountId: string;
  /** The conversation to post into. */
  readonly peer: Peer;
  /** Thread inside the conversation, when the message came from one. */
  readonly threadId?: string;
  /**
   * The message this answer belongs to (the inbound message), when the channel supports
   * replies. Not a send instruction by itself: the dispatcher decides per outbound part whether
   * to quote it and passes that on as `OutboundMessage.replyToMessageId`.
   */
  readonly replyToMessageId?: string;
}
