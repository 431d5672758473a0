import { InvalidMessageError } from '@claw/channel-kit';
import { describe, expect, it } from 'vitest';
import type { TelegramMessage } from './telegram-types.js';
import { mapUpdate, parseMessageKey, parsePeerId } from './updates.js';

const bot = { id: '999', username: 'claw_test_bot' };
const alice = { id: 555, is_bot: false, first_name: 'Alice', last_name: 'Liddell', username: 'alice' };
const group = { id: -100200, type: 'supergroup' as const, is_forum: true };
const message = (over: Partial<TelegramMessage>): TelegramMessage => ({
  message_id: 10,
  date: 1_700_000_000,
  chat: { id: 555, type: 'private' },
  from: alice,
  text: 'hello',
  ...over,
});
const without = (m: TelegramMessage, key: 'text' | 'from'): TelegramMessage => {
  const { [key]: _drop, ...rest } = m;
  return rest as TelegramMessage;
};
const map = (m: TelegramMessage) => mapUpdate({ update_id: 1, message: m }, bot, 'default');

describe('mapping Telegram updates to inbound messages', () => {
  it('turns a private chat into a direct conversation with the user as sender', () => {
    expect(map(message({}))).toEqual({
      channel: 'telegram',
      accountId: 'default',
      messageId: '555:10',
      peer: { kind: 'direct', id: '555' },
      sender: { id: '555', username: 'alice', name: 'Alice Liddell', isBot: false, isSelf: false },
      text: 'hello',
      timestamp: 1_700_000_000_000,
      raw: { update_id: 1, message: message({}) },
    });
  });

  it('makes each forum topic its own conversation under the group', () => {
    const inbound = map(message({ chat: group, message_thread_id: 7, is_topic_message: true }));
    expect(inbound?.peer).toEqual({ kind: 'group', id: '-100200:topic:7' });
    expect(inbound?.parentPeer).toEqual({ kind: 'group', id: '-100200' });
    expect(map(message({ chat: { id: -5, type: 'group' } }))?.peer).toEqual({ kind: 'group', id: '-5' });
  });

  it('sees a mention of the bot by @username entity, in any case, and names text_mention users', () => {
    const text = 'hi @Claw_Test_Bot and Bob';
    const inbound = map(
      message({
        chat: group,
        text,
        entities: [
          { type: 'mention', offset: 3, length: 14 },
          { type: 'text_mention', offset: 22, length: 3, user: { id: 42, is_bot: false, first_name: 'Bob' } },
        ],
      }),
    );
    expect(inbound?.mentions).toEqual({ self: true, users: ['999', '42'] });
    const other = map(
      message({
        chat: group,
        text: '@someone_else hi',
        entities: [{ type: 'mention', offset: 0, length: 13 }],
      }),
    );
    expect(other?.mentions).toBeUndefined();
  });

  it('counts mention offsets in UTF-16 units, as Telegram does, so emoji before a mention do not shift it', () => {
    const text = '😀 @claw_test_bot';
    expect(
      map(message({ text, entities: [{ type: 'mention', offset: 3, length: 14 }] }))?.mentions?.self,
    ).toBe(true);
  });

  it('marks a reply to the bot as fromSelf, but not the implicit reply to a topic root', () => {
    const reply = map(
      message({ reply_to_message: message({ message_id: 9, from: { ...alice, id: 999, is_bot: true } }) }),
    );
    expect(reply?.replyTo).toEqual({ messageId: '555:9', senderId: '999', fromSelf: true, text: 'hello' });
    const topicRoot = map(
      message({
        chat: group,
        message_thread_id: 7,
        is_topic_message: true,
        reply_to_message: message({ message_id: 7, chat: group }),
      }),
    );
    expect(topicRoot?.replyTo).toBeUndefined();
  });

  it("flags the bot's own messages", () => {
    expect(map(message({ from: { id: 999, is_bot: true, first_name: 'Claw' } }))?.sender.isSelf).toBe(true);
  });

  it('uses the caption of media messages and ignores updates without text or sender, and channel posts', () => {
    expect(map(without(message({ caption: 'a photo' }), 'text'))?.text).toBe('a photo');
    expect(map(without(message({}), 'text'))).toBeUndefined();
    expect(map(without(message({}), 'from'))).toBeUndefined();
    expect(map(message({ chat: { id: -1, type: 'channel' } }))).toBeUndefined();
    expect(mapUpdate({ update_id: 3 }, bot, 'default')).toBeUndefined();
  });

  it('rejects a malformed update through the envelope validation', () => {
    expect(() => map(message({ date: -1 }))).toThrow(InvalidMessageError);
  });
});

describe('Telegram ids', () => {
  it('splits topic peers and message keys back into Bot API parameters', () => {
    expect(parsePeerId('-100200:topic:7')).toEqual({ chatId: '-100200', topicId: 7 });
    expect(parsePeerId('555')).toEqual({ chatId: '555' });
    expect(parseMessageKey('-100200:42')).toBe(42);
    expect(parseMessageKey('42')).toBe(42);
    expect(parseMessageKey('abc')).toBeUndefined();
  });
});
