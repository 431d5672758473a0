import type { ChannelAdapter, ChannelStartContext, SendContext, SendResult } from '../adapter/types.js';
import type { ChannelCapabilities, ChannelCapabilitiesInput } from '../capabilities/types.js';
import { defineChannel } from '../define/define-channel.js';
import { parseInbound, parseReplyTarget } from '../envelope/parse.js';
import type { ChatType, InboundMessage, ReplyReference, ReplyTarget, Sender } from '../envelope/types.js';
import {
  ChannelSendError,
  type ChannelSendErrorReason,
  isChannelSendErrorReason,
} from '../errors/channel-send-error.js';
import { InvalidMessageError } from '../errors/invalid-message-error.js';
import type { IdentityHooks } from '../identity/types.js';
import type { OutboundMessage } from '../outbound/types.js';

/** Everything on: the test channel can exercise every branch of the core unless told otherwise. */
export const testChannelCapabilities: ChannelCapabilities = Object.freeze({
  chatTypes: Object.freeze(['direct', 'group', 'channel'] as ChatType[]),
  threads: true,
  topics: true,
  supportsCurrentConversationBinding: true,
  nativeMentions: true,
  replies: true,
  edit: true,
  reactions: true,
  media: true,
  typing: true,
  textChunkLimit: 4000,
  markdown: false,
  caseInsensitiveIds: false,
});

/** Options for {@link createTestChannel}. */
export interface TestChannelOptions {
  /** Channel id. Default `test`. */
  readonly id?: string;
  /** Account id the message builders use. Default `default`. */
  readonly accountId?: string;
  /** The bot's own user id (for mentions, reply-to-bot and self messages). Default `bot`. */
  readonly botId?: string;
  /** The bot's username. Default `testbot`. */
  readonly botUsername?: string;
  /**
   * Clock for timestamps of built messages and records. Default: a deterministic clock that
   * starts at 2023-11-14T22:13:20Z and advances one second per reading.
   */
  readonly now?: () => number;
  /** Identity hooks to expose as `adapter.identity`. Default: none (exact ids). */
  readonly identity?: IdentityHooks;
}

/** One message the test channel posted. */
export interface SentMessage {
  /** Where it was posted, exactly as the core asked. */
  readonly target: ReplyTarget;
  /** What was posted. */
  readonly message: OutboundMessage;
  /** The idempotency key the core passed. */
  readonly idempotencyKey: string;
  /** The id the channel returned (`sent-1`, `sent-2` …). */
  readonly messageId: string;
  /** When, by the channel's clock. */
  readonly at: number;
}

/** One `edit` call that succeeded. */
export interface EditRecord {
  /** The conversation of the edited message, exactly as the core passed it. */
  readonly target: ReplyTarget;
  /** The id of the edited message (as returned by `send`). */
  readonly messageId: string;
  /** The new content. */
  readonly message: OutboundMessage;
  /** The idempotency key the core passed. */
  readonly idempotencyKey: string;
  /** When, by the channel's clock. */
  readonly at: number;
}

/** One `react` call that succeeded. */
export interface ReactionRecord {
  /** The conversation of the message, exactly as the core passed it. */
  readonly target: ReplyTarget;
  /** The id of the message reacted to. */
  readonly messageId: string;
  /** The reaction. */
  readonly emoji: string;
  /** The idempotency key the core passed. */
  readonly idempotencyKey: string;
  /** When, by the channel's clock. */
  readonly at: number;
}

/** One `setTyping` call. */
export interface TypingRecord {
  /** The conversation the indicator was shown or cleared in. */
  readonly target: ReplyTarget;
  /** `true` to show the indicator, `false` to clear it. */
  readonly typing: boolean;
  /** When, by the channel's clock. */
  readonly at: number;
}

/** Every `send`, `edit` or `react` call, including the ones that failed (for retry tests). */
export interface AttemptRecord {
  /** Which adapter method was called. */
  readonly operation: 'send' | 'edit' | 'react';
  /** Where the call was aimed, exactly as the core passed it. */
  readonly target: ReplyTarget;
  /** The idempotency key the core passed (a retry passes the same key again). */
  readonly idempotencyKey: string;
  /** The error thrown, when the call failed. */
  readonly error?: unknown;
  /** When, by the channel's clock. */
  readonly at: number;
}

/** A failure to inject with {@link TestChannel.failNext}. */
export interface InjectedFailure {
  /** How the platform fails. */
  readonly reason: ChannelSendErrorReason;
  /** For `rate_limited`: how long the platform asks to wait. */
  readonly retryAfterMs?: number;
  /** Error message. Default: a description of the injected failure. */
  readonly message?: string;
  /** Which operation fails. Default `send`. */
  readonly operation?: 'send' | 'edit' | 'react';
}

/** Selects records by where they went. Any field left out matches everything. */
export interface TargetFilter {
  /** Peer id. */
  readonly peerId?: string;
  /** Peer kind. */
  readonly kind?: ChatType;
  /** Thread id; `null` selects messages posted outside any thread. */
  readonly threadId?: string | null;
  /** Bot account. */
  readonly accountId?: string;
}

/** Options shared by every message builder. */
export interface MessageOptions {
  /** Message id. Default: `m1`, `m2` … in build order. */
  readonly messageId?: string;
  /** The sender: an id, or sender fields. Default `{ id: 'u1', username: 'alice', name: 'Alice' }`. */
  readonly sender?: string | Partial<Sender>;
  /** Bot account that received it. Default: the channel's `accountId` option. */
  readonly accountId?: string;
  /** Timestamp in ms. Default: the channel clock. */
  readonly timestamp?: number;
  /** The bot is mentioned natively (`mentions.self`, the bot id in `mentions.users`). Text is not changed. */
  readonly mention?: boolean;
  /** Other user ids mentioned. */
  readonly mentions?: readonly string[];
  /** The message replies to this message id or reference. */
  readonly replyTo?: string | ReplyReference;
  /**
   * The message replies to one of the bot's messages (an implicit mention): `true` for the last
   * message this channel sent (or `bot-message` if none yet), or a specific message id.
   */
  readonly replyToBot?: boolean | string;
  /** The bot itself sent it (an echo of our own message): sender is the bot, `isSelf: true`. */
  readonly fromSelf?: boolean;
  /** Discord server id. */
  readonly guildId?: string;
  /** Slack workspace id. */
  readonly teamId?: string;
  /** Discord role ids of the sender. */
  readonly memberRoleIds?: readonly string[];
  /** Original payload. */
  readonly raw?: unknown;
}

/** Options for group messages. */
export interface GroupMessageOptions extends MessageOptions {
  /** Group id. Default `g1`. */
  readonly groupId?: string;
  /** `group` (default) or `channel` (a room). */
  readonly kind?: 'group' | 'channel';
}

/** Options for thread messages (a thread inside a channel: Slack, Matrix). */
export interface ThreadMessageOptions extends MessageOptions {
  /** The conversation holding the thread. Default `c1`. */
  readonly peerId?: string;
  /** Kind of that conversation. Default `channel`. */
  readonly kind?: 'group' | 'channel';
  /** Thread id. Default `t1`. */
  readonly threadId?: string;
}

/** Options for forum topic messages (Telegram). */
export interface TopicMessageOptions extends MessageOptions {
  /** The forum group. Default `g1`. */
  readonly groupId?: string;
  /** Topic id. Default `1`. */
  readonly topicId?: string;
}

/**
 * An in-memory channel adapter for tests, with recorders and message builders. It is itself a
 * {@link ChannelAdapter} (built with `defineChannel`), so it plugs into the core directly.
 */
export interface TestChannel extends ChannelAdapter {
  /** Every message posted, in order. Live: read it after the code under test ran. */
  readonly sent: readonly SentMessage[];
  /** Every successful edit, in order. */
  readonly edits: readonly EditRecord[];
  /** Every successful reaction, in order. */
  readonly reactions: readonly ReactionRecord[];
  /** Every typing call, in order. */
  readonly typing: readonly TypingRecord[];
  /** Every send/edit/react call, including failed ones. */
  readonly attempts: readonly AttemptRecord[];
  /** Messages posted to conversations matching `filter` (a filter, a `ReplyTarget` or an `InboundMessage`). */
  sentTo(filter: TargetFilter | ReplyTarget | InboundMessage): SentMessage[];
  /** Make the next `count` calls of an operation (default `send`) throw a `ChannelSendError`. */
  failNext(count: number, failure: InjectedFailure): void;
  /** Forget all records and pending failures (ids keep counting, so they stay unique). */
  clear(): void;
  /** True between `start()` and `stop()`. */
  isStarted(): boolean;
  /**
   * Deliver an inbound message as the platform would: hands it to the `receive` of the core that
   * started this channel, and resolves with what that returned. Throws when not started.
   */
  inbound(message: InboundMessage): Promise<unknown>;
  /** A direct message; the peer is the sender. */
  dm(text: string, options?: MessageOptions): InboundMessage;
  /** A group (or room) message. */
  group(text: string, options?: GroupMessageOptions): InboundMessage;
  /** A message in a thread inside a channel (Slack, Matrix): the peer is the channel, `threadId` is set. */
  thread(text: string, options?: ThreadMessageOptions): InboundMessage;
  /** A message in a forum topic: peer `<group>:topic:<topic>`, `parentPeer` the group. */
  topic(text: string, options?: TopicMessageOptions): InboundMessage;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function matches(target: ReplyTarget, filter: TargetFilter | ReplyTarget | InboundMessage): boolean {
  if ('peer' in filter) {
    const threadId = filter.threadId;
    return (
      target.peer.id === filter.peer.id &&
      target.peer.kind === filter.peer.kind &&
      target.threadId === threadId &&
      (filter.accountId === undefined || target.accountId === (filter.accountId || 'default'))
    );
  }
  if (filter.peerId !== undefined && target.peer.id !== filter.peerId) return false;
  if (filter.kind !== undefined && target.peer.kind !== filter.kind) return false;
  if (filter.accountId !== undefined && target.accountId !== filter.accountId) return false;
  if (filter.threadId === null) return target.threadId === undefined;
  return filter.threadId === undefined || target.threadId === filter.threadId;
}

/**
 * Create an in-memory channel for tests. Every capability is on by default
 * ({@link testChannelCapabilities}); pass overrides to model a poorer platform (the optional
 * methods follow the flags, so it always passes `defineChannel`).
 *
 * It behaves like a strict platform: it rejects (with a permanent `ChannelSendError`) text over
 * `textChunkLimit` (`too_long`), a thread, reply-to or media the capabilities do not declare, a
 * target on another channel, and empty messages (`invalid`); an edit or reaction of a message it
 * never sent (`not_found`). A send whose signal is already aborted rejects with the abort reason.
 *
 * @example
 * const tg = createTestChannel({ textChunkLimit: 100 }, { id: 'telegram' });
 * await claw.receive(tg.group('hi @bot', { mention: true }));
 * expect(tg.sentTo({ peerId: 'g1' })).toHaveLength(1);
 */
export function createTestChannel(
  capabilitiesOverride: ChannelCapabilitiesInput = {},
  options: TestChannelOptions = {},
): TestChannel {
  const id = options.id ?? 'test';
  const accountId = options.accountId ?? 'default';
  const botId = options.botId ?? 'bot';
  const botUsername = options.botUsername ?? 'testbot';
  let tick = 0;
  const now = options.now ?? (() => 1_700_000_000_000 + 1000 * tick++);
  const capabilities = { ...testChannelCapabilities, ...capabilitiesOverride };

  const sent: SentMessage[] = [];
  const edits: EditRecord[] = [];
  const reactions: ReactionRecord[] = [];
  const typing: TypingRecord[] = [];
  const attempts: AttemptRecord[] = [];
  const failures: InjectedFailure[] = [];
  const sentIds = new Set<string>();
  let nextSentId = 1;
  let nextMessageId = 1;
  let receiver: ChannelStartContext | undefined;

  const reject = (reason: ChannelSendErrorReason, message: string): never => {
    throw new ChannelSendError(`Test channel "${id}": ${message}`, { reason });
  };

  /** Validate like a strict platform, record the attempt, and apply an injected failure. */
  const attempt = (
    operation: AttemptRecord['operation'],
    target: ReplyTarget,
    ctx: SendContext,
    check: () => void,
  ) => {
    const at = now();
    try {
      ctx.signal.throwIfAborted();
      try {
        parseReplyTarget(target);
      } catch (error) {
        if (InvalidMessageError.isInstance(error)) reject('invalid', `malformed target (${error.message})`);
        throw error;
      }
      if (target.channel !== id)
        reject('invalid', `target.channel is "${target.channel}", this channel is "${id}"`);
      if (!capabilities.chatTypes.includes(target.peer.kind)) {
        reject(
          'invalid',
          `chat type "${target.peer.kind}" is not in chatTypes [${capabilities.chatTypes.join(', ')}]`,
        );
      }
      if (target.threadId !== undefined && !capabilities.threads) {
        reject('invalid', 'target.threadId is set but the channel does not declare threads');
      }
      check();
      const index = failures.findIndex((f) => (f.operation ?? 'send') === operation);
      if (index >= 0) {
        const [failure] = failures.splice(index, 1);
        throw new ChannelSendError(
          failure!.message ?? `Test channel "${id}": injected ${failure!.reason} failure`,
          {
            reason: failure!.reason,
            ...(failure!.retryAfterMs === undefined ? {} : { retryAfterMs: failure!.retryAfterMs }),
          },
        );
      }
      attempts.push({ operation, target, idempotencyKey: ctx.idempotencyKey, at });
      return at;
    } catch (error) {
      attempts.push({ operation, target, idempotencyKey: ctx.idempotencyKey, error, at });
      throw error;
    }
  };

  const checkMessage = (message: OutboundMessage) => {
    if (typeof message?.text !== 'string') reject('invalid', 'message.text must be a string');
    if (message.text.length > capabilities.textChunkLimit) {
      reject(
        'too_long',
        `text is ${message.text.length} characters, textChunkLimit is ${capabilities.textChunkLimit}`,
      );
    }
    if (message.text.trim() === '' && (message.media?.length ?? 0) === 0)
      reject('invalid', 'message has no text and no media');
    if (message.media !== undefined && message.media.length > 0 && !capabilities.media) {
      reject('invalid', 'message.media is set but the channel does not declare media');
    }
    if (message.replyToMessageId !== undefined && !capabilities.replies) {
      reject('invalid', 'message.replyToMessageId is set but the channel does not declare replies');
    }
  };

  const checkKnown = (messageId: string) => {
    if (!sentIds.has(messageId)) reject('not_found', `message "${messageId}" was never sent on this channel`);
  };

  const adapter: Record<string, unknown> = {
    specificationVersion: 'v1',
    id,
    capabilities,
    async send(target: ReplyTarget, message: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      const at = attempt('send', target, ctx, () => checkMessage(message));
      const messageId = `sent-${nextSentId++}`;
      sentIds.add(messageId);
      sent.push({ target, message, idempotencyKey: ctx.idempotencyKey, messageId, at });
      return { messageId };
    },
    async start(ctx: ChannelStartContext) {
      receiver = ctx;
    },
    async stop() {
      receiver = undefined;
    },
  };
  if (capabilities.edit) {
    adapter['edit'] = async (
      target: ReplyTarget,
      messageId: string,
      message: OutboundMessage,
      ctx: SendContext,
    ) => {
      const at = attempt('edit', target, ctx, () => {
        checkMessage(message);
        checkKnown(messageId);
      });
      edits.push({ target, messageId, message, idempotencyKey: ctx.idempotencyKey, at });
    };
  }
  if (capabilities.reactions) {
    adapter['react'] = async (target: ReplyTarget, messageId: string, emoji: string, ctx: SendContext) => {
      const at = attempt('react', target, ctx, () => checkKnown(messageId));
      reactions.push({ target, messageId, emoji, idempotencyKey: ctx.idempotencyKey, at });
    };
  }
  if (capabilities.typing) {
    adapter['setTyping'] = async (target: ReplyTarget, on: boolean) => {
      typing.push({ target, typing: on, at: now() });
    };
  }
  if (options.identity !== undefined) adapter['identity'] = options.identity;

  const base = (options_: MessageOptions) => {
    const messageId = options_.messageId ?? `m${nextMessageId++}`;
    const sender: Sender = options_.fromSelf
      ? { id: botId, username: botUsername, isBot: true, isSelf: true }
      : typeof options_.sender === 'string'
        ? { id: options_.sender }
        : { id: 'u1', username: 'alice', name: 'Alice', ...options_.sender };
    const message: Record<string, unknown> = {
      channel: id,
      accountId: options_.accountId ?? accountId,
      messageId,
      sender,
      timestamp: options_.timestamp ?? now(),
    };
    const users = [...(options_.mention ? [botId] : []), ...(options_.mentions ?? [])];
    if (options_.mention || users.length > 0)
      message['mentions'] = { self: options_.mention === true, users };
    if (options_.replyToBot !== undefined && options_.replyToBot !== false) {
      const lastSent = sent.at(-1)?.messageId;
      message['replyTo'] = {
        messageId:
          typeof options_.replyToBot === 'string' ? options_.replyToBot : (lastSent ?? 'bot-message'),
        senderId: botId,
        fromSelf: true,
      };
    } else if (options_.replyTo !== undefined) {
      message['replyTo'] =
        typeof options_.replyTo === 'string' ? { messageId: options_.replyTo } : options_.replyTo;
    }
    for (const key of ['guildId', 'teamId', 'memberRoleIds', 'raw'] as const) {
      if (options_[key] !== undefined) message[key] = options_[key];
    }
    return { message, sender };
  };

  const testChannel: Mutable<Partial<TestChannel>> = {
    sent,
    edits,
    reactions,
    typing,
    attempts,
    sentTo: (filter) => sent.filter((s) => matches(s.target, filter)),
    failNext(count, failure) {
      if (!Number.isInteger(count) || count < 0)
        throw new TypeError(`failNext: count must be a non-negative integer, got ${count}`);
      if (!isChannelSendErrorReason(failure?.reason))
        throw new TypeError(`failNext: unknown failure reason ${String(failure?.reason)}`);
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    clear() {
      for (const list of [sent, edits, reactions, typing, attempts, failures] as unknown[][]) list.length = 0;
    },
    isStarted: () => receiver !== undefined,
    async inbound(message) {
      if (receiver === undefined)
        throw new Error(`Test channel "${id}" is not started: call start() (or Claw.start()) first`);
      return receiver.receive(message);
    },
    dm(text, options_ = {}) {
      const { message, sender } = base(options_);
      return parseInbound({ ...message, peer: { kind: 'direct', id: sender.id }, text });
    },
    group(text, options_ = {}) {
      const { message } = base(options_);
      return parseInbound({
        ...message,
        peer: { kind: options_.kind ?? 'group', id: options_.groupId ?? 'g1' },
        text,
      });
    },
    thread(text, options_ = {}) {
      const { message } = base(options_);
      const peer = { kind: options_.kind ?? 'channel', id: options_.peerId ?? 'c1' };
      return parseInbound({ ...message, peer, threadId: options_.threadId ?? 't1', text });
    },
    topic(text, options_ = {}) {
      const { message } = base(options_);
      const groupId = options_.groupId ?? 'g1';
      return parseInbound({
        ...message,
        peer: { kind: 'group', id: `${groupId}:topic:${options_.topicId ?? '1'}` },
        parentPeer: { kind: 'group', id: groupId },
        text,
      });
    },
  };
  return defineChannel({ ...adapter, ...testChannel } as unknown as TestChannel) as unknown as TestChannel;
}
