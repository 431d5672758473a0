import {
  type ChannelAdapter,
  ChannelSendError,
  type ChannelStartContext,
  defineChannel,
  type IdentityHooks,
  type OutboundMessage,
  type ReplyTarget,
  type SendContext,
  type SendResult,
  telegramIdentity,
} from '@claw/channel-kit';
import { type BotApiConfig, callBotApi } from './bot-api.js';
import type { TelegramMessage, TelegramUpdate, TelegramUser } from './telegram-types.js';
import { type BotIdentity, mapUpdate, messageKey, parseMessageKey, parsePeerId } from './updates.js';

/** Options for {@link createTelegramChannel}. */
export interface TelegramChannelOptions {
  /** The bot token from @BotFather. */
  readonly token: string;
  /** Bot API root. Default `https://api.telegram.org`. */
  readonly baseUrl?: string;
  /** The account id this bot answers as (for multi-bot setups). Default `default`. */
  readonly accountId?: string;
  /** The bot's id and username. Default: asked from the API with `getMe` when receiving starts. */
  readonly bot?: { readonly id: number | string; readonly username: string };
  /** Long-polling timeout in seconds (how long `getUpdates` may wait for news). Default 30. */
  readonly pollTimeoutSeconds?: number;
  /** Pause after a failed poll, in ms, when Telegram did not say how long to wait. Default 1000. */
  readonly retryDelayMs?: number;
  /** Called with polling and delivery errors (the loop keeps going). Default: `console.error`. */
  readonly onError?: (error: unknown) => void;
  /** Identity rules for allowlists. Default: numeric Telegram user ids (`telegramIdentity`). */
  readonly identity?: IdentityHooks;
  /** `fetch` implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * A Telegram channel adapter built on the Bot API with plain `fetch`: long polling with
 * `getUpdates`, `sendMessage` (groups, forum topics via `message_thread_id`, replies via
 * `reply_parameters`), `editMessageText` and `sendChatAction`. Failures become
 * `ChannelSendError`s; a 429 carries Telegram's `retry_after` as `retryAfterMs`.
 *
 * Forum topics are separate conversations: their peer id is `<chatId>:topic:<topicId>` (so
 * `topics: true`, `threads: false`). Message ids are `<chatId>:<message_id>`, because Telegram
 * numbers messages per chat. Text is sent plain (`markdown: false`): Telegram's MarkdownV2
 * needs escaping that general model output does not have.
 */
export function createTelegramChannel(options: TelegramChannelOptions): ChannelAdapter {
  if (typeof options?.token !== 'string' || options.token.trim() === '') {
    throw new TypeError('createTelegramChannel: token must be the bot token from @BotFather');
  }
  const config: BotApiConfig = {
    token: options.token.trim(),
    baseUrl: (options.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const accountId = options.accountId ?? 'default';
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const onError = options.onError ?? ((error: unknown) => console.error('[telegram]', error));
  let bot: BotIdentity | undefined =
    options.bot === undefined
      ? undefined
      : { id: String(options.bot.id), username: options.bot.username.replace(/^@/, '') };
  let running: { stop: AbortController; loop: Promise<void> } | undefined;

  const checkTarget = (target: ReplyTarget) => {
    if (target.channel !== 'telegram' || target.accountId !== accountId) {
      throw new ChannelSendError(
        `Telegram adapter for account "${accountId}" cannot send to ${target.channel}/${target.accountId}`,
        { reason: 'invalid' },
      );
    }
    return parsePeerId(target.peer.id);
  };

  const botIdentity = async (signal: AbortSignal): Promise<BotIdentity> => {
    if (bot === undefined) {
      const me = await callBotApi<TelegramUser>(config, 'getMe', {}, signal);
      bot = { id: String(me.id), username: me.username ?? '' };
    }
    return bot;
  };

  async function poll(ctx: ChannelStartContext, signal: AbortSignal): Promise<void> {
    let offset: number | undefined;
    while (!signal.aborted) {
      let updates: TelegramUpdate[];
      try {
        updates = await callBotApi<TelegramUpdate[]>(
          config,
          'getUpdates',
          { ...(offset === undefined ? {} : { offset }), timeout: pollTimeout, allowed_updates: ['message'] },
          signal,
        );
      } catch (error) {
        if (signal.aborted) return;
        onError(error);
        // A rejected token will not get better by asking again.
        if (ChannelSendError.isInstance(error) && error.reason === 'auth') return;
        await sleep(
          ChannelSendError.isInstance(error) ? (error.retryAfterMs ?? retryDelayMs) : retryDelayMs,
          signal,
        );
        continue;
      }
      for (const update of updates) {
        try {
          const message = mapUpdate(update, await botIdentity(signal), accountId);
          // Awaiting the core before advancing the offset: an update is only confirmed to
          // Telegram once it was admitted, so a crash in between means redelivery, not loss.
          if (message !== undefined) await ctx.receive(message);
        } catch (error) {
          if (signal.aborted) return;
          onError(error);
        }
        offset = update.update_id + 1;
        if (signal.aborted) return;
      }
    }
  }

  return defineChannel({
    specificationVersion: 'v1',
    id: 'telegram',
    capabilities: {
      chatTypes: ['direct', 'group'],
      threads: false,
      topics: true,
      supportsCurrentConversationBinding: true,
      nativeMentions: true,
      replies: true,
      edit: true,
      typing: true,
      textChunkLimit: 4096,
      markdown: false,
      rateLimits: { perConversationPerSecond: 1, globalPerSecond: 30 },
    },
    identity: options.identity ?? telegramIdentity,

    async send(target: ReplyTarget, message: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      const { chatId, topicId } = checkTarget(target);
      const replyTo =
        message.replyToMessageId === undefined ? undefined : parseMessageKey(message.replyToMessageId);
      const sent = await callBotApi<TelegramMessage>(
        config,
        'sendMessage',
        {
          chat_id: chatId,
          text: message.text,
          ...(topicId === undefined ? {} : { message_thread_id: topicId }),
          // If the original was deleted meanwhile, still answer rather than fail.
          ...(replyTo === undefined
            ? {}
            : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
        },
        ctx.signal,
      );
      return { messageId: messageKey(chatId, sent.message_id) };
    },

    async edit(
      target: ReplyTarget,
      messageId: string,
      message: OutboundMessage,
      ctx: SendContext,
    ): Promise<void> {
      const { chatId } = checkTarget(target);
      const id = parseMessageKey(messageId);
      if (id === undefined)
        throw new ChannelSendError(`Telegram: "${messageId}" is not a message id`, { reason: 'invalid' });
      try {
        await callBotApi(
          config,
          'editMessageText',
          { chat_id: chatId, message_id: id, text: message.text },
          ctx.signal,
        );
      } catch (error) {
        // Editing to the same text is a no-op for us, an error for Telegram.
        if (ChannelSendError.isInstance(error) && /message is not modified/i.test(error.message)) return;
        throw error;
      }
    },

    async setTyping(target: ReplyTarget, typing: boolean): Promise<void> {
      // Telegram's indicator expires by itself after ~5 s; there is nothing to clear.
      if (!typing) return;
      const { chatId, topicId } = checkTarget(target);
      await callBotApi(config, 'sendChatAction', {
        chat_id: chatId,
        action: 'typing',
        ...(topicId === undefined ? {} : { message_thread_id: topicId }),
      });
    },

    async start(ctx: ChannelStartContext): Promise<void> {
      if (running !== undefined) return;
      const stop = new AbortController();
      const signal = AbortSignal.any([ctx.signal, stop.signal]);
      await botIdentity(signal);
      running = { stop, loop: poll(ctx, signal) };
    },

    async stop(): Promise<void> {
      const current = running;
      running = undefined;
      if (current === undefined) return;
      current.stop.abort();
      await current.loop;
    },
  });
}
