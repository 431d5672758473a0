import type { ChannelCapabilities } from '../capabilities/types.js';
import type { InboundMessage, ReplyTarget } from '../envelope/types.js';
import type { IdentityHooks } from '../identity/types.js';
import type { OutboundMessage } from '../outbound/types.js';

/** Context the core passes to every `send`. */
export interface SendContext {
  /**
   * Deterministic key of this outbound part (turn id + part index, or `announce:<runId>`).
   * Adapters whose platform supports idempotent sends should pass it on; all adapters may use it
   * to avoid posting the same part twice.
   */
  readonly idempotencyKey: string;
  /** Aborted when the gateway stops or the turn is interrupted. */
  readonly signal: AbortSignal;
}

/** What `send` returns: the platform id of the posted message. */
export interface SendResult {
  /** Platform message id (used for edits and reply-to). */
  readonly messageId: string;
}

/** Context for the long-lived part of an adapter (polling, websockets, webhooks). */
export interface ChannelStartContext {
  /** Hand an inbound message to the core. Resolves when the core has admitted or rejected it. */
  receive(message: InboundMessage): Promise<unknown>;
  /** Aborted when the gateway stops. */
  readonly signal: AbortSignal;
}

/**
 * A channel adapter: the transport between one chat platform and the core. A plain object; build
 * it with `defineChannel` to have it checked.
 */
export interface ChannelAdapter {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** Channel id, lowercase (`telegram`, `discord`, `my-platform`). Matches `InboundMessage.channel`. */
  readonly id: string;
  /** What the channel can do. */
  readonly capabilities: ChannelCapabilities;
  /**
   * Post `message` to exactly `target` (its peer, and its thread when `threads` is declared).
   * Throw a {@link ChannelSendError} on failure so the core can classify it.
   */
  send(target: ReplyTarget, message: OutboundMessage, ctx: SendContext): Promise<SendResult>;
  /** Replace the text of a message sent earlier. Required when `capabilities.edit` is true. */
  edit?(target: ReplyTarget, messageId: string, message: OutboundMessage, ctx: SendContext): Promise<void>;
  /** Add a reaction to a message. Required when `capabilities.reactions` is true. */
  react?(target: ReplyTarget, messageId: string, emoji: string, ctx: SendContext): Promise<void>;
  /** Show or clear a typing indicator. Required when `capabilities.typing` is true. */
  setTyping?(target: ReplyTarget, typing: boolean): Promise<void>;
  /** Start receiving (long polling, websocket …). Called by `Claw.start()`. */
  start?(ctx: ChannelStartContext): Promise<void>;
  /** Stop receiving and release connections. Called by `Claw.stop()`. */
  stop?(): Promise<void>;
  /** How allowlist entries and senders are normalised on this platform (default: exact ids). */
  readonly identity?: IdentityHooks;
  /**
   * The conversation id used by conversation bindings for a target (e.g. the thread id for a
   * thread, the chat id for a chat). Default: the peer id, plus `:thread:<id>` for threads, with
   * `user:`/`chat:`/`channel:` prefixes stripped.
   */
  conversationId?(target: ReplyTarget): string;
}
