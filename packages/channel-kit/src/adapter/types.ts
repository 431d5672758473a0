import type { ChannelCapabilities } from '../capabilities/types.js';
import type { InboundMessage, ReplyTarget } from '../envelope/types.js';
import type { IdentityHooks } from '../identity/types.js';
import type { OutboundMessage } from '../outbound/types.js';

/** Context the core passes to every `send`, `edit` and `react`. */
export interface SendContext {
  /**
   * Deterministic key of this outbound part (turn id + part index, or `announce:<runId>`). The
   * same part retried after a transient failure carries the same key. Adapters whose platform
   * supports idempotent sends should pass it on; all adapters may use it to avoid posting the
   * same part twice.
   */
  readonly idempotencyKey: string;
  /**
   * Aborted when the gateway stops or the turn is interrupted. Pass it to `fetch` (or check it)
   * so a stopping gateway does not wait for a slow platform.
   */
  readonly signal: AbortSignal;
}

/** What `send` returns: the platform id of the posted message. */
export interface SendResult {
  /** Platform message id (used for later edits and reply-to). Never empty. */
  readonly messageId: string;
}

/** Context for the long-lived part of an adapter (polling, websockets, webhooks). */
export interface ChannelStartContext {
  /**
   * Hand an inbound message to the core. Resolves when the core has admitted or rejected it
   * (not when the reply is sent). Adapters should await it before acknowledging the platform
   * update (e.g. advancing a Telegram `offset`), so nothing is lost if the process dies.
   */
  receive(message: InboundMessage): Promise<unknown>;
  /** Aborted when the gateway stops; a polling loop ends when it fires. */
  readonly signal: AbortSignal;
}

/**
 * A channel adapter: the transport between one chat platform and the core. A plain object; build
 * it with `defineChannel` to have it checked (and its omitted capability flags filled in).
 *
 * The core owns routing, access, sessions and retries; the adapter only translates. Inbound, it
 * turns platform updates into {@link InboundMessage}s and hands them to `start`'s `receive`.
 * Outbound, it posts exactly where the {@link ReplyTarget} says, and throws a
 * {@link ChannelSendError} that says whether a retry may help.
 */
export interface ChannelAdapter {
  /** Version of this contract the adapter implements. Always `'v1'` for this package version. */
  readonly specificationVersion: 'v1';
  /**
   * Channel id: lowercase letters, digits, `-` and `_` (`telegram`, `discord`, `my-platform`).
   * Equals `InboundMessage.channel` and `ReplyTarget.channel` for this channel's messages.
   */
  readonly id: string;
  /** What the channel can do; the core chooses behaviour from it. */
  readonly capabilities: ChannelCapabilities;
  /**
   * Post `message` to exactly `target`: its peer, its thread when `target.threadId` is set (and
   * `threads` is declared), as a reply to `message.replyToMessageId` when set (and `replies` is
   * declared). Never post anywhere else.
   *
   * `message.text` never exceeds `capabilities.textChunkLimit` (the dispatcher chunks first).
   * Resolve with the platform id of the posted message; throw a
   * {@link @claw/channel-kit!ChannelSendError | ChannelSendError} on failure so the core can
   * classify it (retry `rate_limited` / `network`, report the rest).
   */
  send(target: ReplyTarget, message: OutboundMessage, ctx: SendContext): Promise<SendResult>;
  /**
   * Replace the text of a message sent earlier (by `send` to the same target). Required when
   * `capabilities.edit` is true, and only allowed then. Throws
   * {@link @claw/channel-kit!ChannelSendError | ChannelSendError}.
   */
  edit?(target: ReplyTarget, messageId: string, message: OutboundMessage, ctx: SendContext): Promise<void>;
  /**
   * Add a reaction (an emoji) to a message in `target`'s conversation. Required when
   * `capabilities.reactions` is true, and only allowed then. Throws
   * {@link @claw/channel-kit!ChannelSendError | ChannelSendError}.
   */
  react?(target: ReplyTarget, messageId: string, emoji: string, ctx: SendContext): Promise<void>;
  /**
   * Show (`typing: true`) or clear a typing indicator in `target`'s conversation and thread.
   * Required when `capabilities.typing` is true, and only allowed then. Platforms whose indicator
   * expires by itself (Telegram: 5 s) may ignore `false`; the core refreshes while a turn runs.
   * Failures here are cosmetic: the core logs them and carries on.
   */
  setTyping?(target: ReplyTarget, typing: boolean): Promise<void>;
  /**
   * Start receiving (long polling, websocket …) and call `ctx.receive` for every inbound message.
   * Called by `Claw.start()`. Resolve once receiving has started (not when it ends); keep the
   * loop running in the background until `stop()` or `ctx.signal` aborts. An adapter with
   * `start` must also implement `stop`.
   */
  start?(ctx: ChannelStartContext): Promise<void>;
  /**
   * Stop receiving and release connections. Resolve when nothing more will be passed to
   * `receive`. Called by `Claw.stop()`; must be safe to call twice and before `start`.
   */
  stop?(): Promise<void>;
  /**
   * How allowlist entries and senders are normalised on this platform, used by the access rules.
   * Omitted: entries and sender ids are compared exactly (after the core's own trimming).
   */
  readonly identity?: IdentityHooks;
  /**
   * The conversation id used by conversation bindings for a target: stable for every target in
   * the same conversation (whatever `replyToMessageId` is), different for different
   * conversations. Omitted: the core's bindings use the peer id with one `user:` / `chat:` /
   * `channel:` (or `<channel>:`) prefix stripped, as OpenClaw does, then
   * `defaultConversationId` (plus `:thread:<threadId>` for threads, escaped so that a thread id can
   * never be forged). Define it when ids that differ only by such a prefix are different
   * conversations on your platform.
   */
  conversationId?(target: ReplyTarget): string;
}
