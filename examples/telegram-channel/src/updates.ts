import { type InboundMessage, parseInbound } from '@claw/channel-kit';
import type { TelegramMessage, TelegramUpdate, TelegramUser } from './telegram-types.js';

/** Who the bot is, to recognise its own messages and mentions of it. */
export interface BotIdentity {
  readonly id: string;
  readonly username: string;
}

/** Peer id of a forum topic, OpenClaw's shape: `<chatId>:topic:<topicId>`. */
export function topicPeerId(chatId: number | string, topicId: number | string): string {
  return `${chatId}:topic:${topicId}`;
}

/** Split a peer id back into the chat id and, for a topic, the `message_thread_id`. */
export function parsePeerId(peerId: string): { chatId: string; topicId?: number } {
  const match = /^(.+):topic:(\d+)$/.exec(peerId);
  return match ? { chatId: match[1]!, topicId: Number(match[2]) } : { chatId: peerId };
}

/**
 * Message ids are unique per Telegram chat only, while the envelope wants them unique per bot,
 * so the adapter's message ids are `<chatId>:<message_id>`.
 */
export function messageKey(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** The numeric `message_id` inside a message key (a bare number is accepted too). */
export function parseMessageKey(key: string): number | undefined {
  const match = /(?:^|:)(\d+)$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

function displayName(user: TelegramUser): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/**
 * Turn a Bot API update into an `InboundMessage`, or `undefined` for updates this adapter does
 * not handle (edits, channel posts, service messages without text, …).
 *
 * - private chat → `direct` peer (the chat id, which equals the user id);
 * - group / supergroup → `group` peer; in a forum topic the peer is `<chatId>:topic:<threadId>`
 *   with `parentPeer` the group, so each topic is its own conversation;
 * - `mention` entities naming `@<bot username>` and `text_mention` entities for the bot set
 *   `mentions.self`; `text_mention` users are listed in `mentions.users`;
 * - `reply_to_message` becomes `replyTo` (`fromSelf` when it was the bot's) — except the
 *   implicit reply to a topic's first message that Telegram adds to every topic message;
 * - a message from the bot itself is flagged `sender.isSelf`.
 */
export function mapUpdate(
  update: TelegramUpdate,
  bot: BotIdentity,
  accountId: string,
): InboundMessage | undefined {
  const message = update.message;
  if (message === undefined || message.from === undefined) return undefined;
  const { chat } = message;
  if (chat.type === 'channel') return undefined;
  const text = message.text ?? message.caption;
  if (text === undefined) return undefined;

  const inTopic =
    message.is_topic_message === true && message.message_thread_id !== undefined && chat.type !== 'private';
  const peer = inTopic
    ? { kind: 'group', id: topicPeerId(chat.id, message.message_thread_id!) }
    : { kind: chat.type === 'private' ? 'direct' : 'group', id: String(chat.id) };

  const from = message.from;
  const sender = {
    id: String(from.id),
    ...(from.username === undefined ? {} : { username: from.username }),
    name: displayName(from),
    isBot: from.is_bot,
    isSelf: String(from.id) === bot.id,
  };

  const entities = message.entities ?? message.caption_entities ?? [];
  let self = false;
  const users: string[] = [];
  for (const entity of entities) {
    if (entity.type === 'mention') {
      const handle = text.slice(entity.offset, entity.offset + entity.length);
      if (handle.toLowerCase() === `@${bot.username.toLowerCase()}`) {
        self = true;
        if (!users.includes(bot.id)) users.push(bot.id);
      }
    } else if (entity.type === 'text_mention' && entity.user !== undefined) {
      const id = String(entity.user.id);
      if (id === bot.id) self = true;
      if (!users.includes(id)) users.push(id);
    }
  }

  const reply = replyReference(message, inTopic, bot);
  return parseInbound({
    channel: 'telegram',
    accountId,
    messageId: messageKey(chat.id, message.message_id),
    peer,
    ...(inTopic ? { parentPeer: { kind: 'group', id: String(chat.id) } } : {}),
    sender,
    text,
    ...(self || users.length > 0 ? { mentions: { self, users } } : {}),
    ...(reply === undefined ? {} : { replyTo: reply }),
    timestamp: message.date * 1000,
    raw: update,
  });
}

function replyReference(message: TelegramMessage, inTopic: boolean, bot: BotIdentity) {
  const replied = message.reply_to_message;
  if (replied === undefined) return undefined;
  // In a forum topic every message "replies" to the topic's first message; that is not a reply.
  if (inTopic && replied.message_id === message.message_thread_id) return undefined;
  return {
    messageId: messageKey(message.chat.id, replied.message_id),
    ...(replied.from === undefined
      ? {}
      : { senderId: String(replied.from.id), fromSelf: String(replied.from.id) === bot.id }),
    ...(replied.text === undefined ? {} : { text: replied.text }),
  };
}
