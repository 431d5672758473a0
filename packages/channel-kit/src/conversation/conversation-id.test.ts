import { describe, expect, it } from 'vitest';
import type { ReplyTarget } from '../envelope/types.js';
import { conversationIdOf, defaultConversationId, parseConversationId } from './conversation-id.js';

const target = (peerId: string, threadId?: string, replyToMessageId?: string): ReplyTarget => ({
  channel: 'x',
  accountId: 'default',
  peer: { kind: 'group', id: peerId },
  ...(threadId === undefined ? {} : { threadId }),
  ...(replyToMessageId === undefined ? {} : { replyToMessageId }),
});

describe('defaultConversationId', () => {
  it('is the peer id, plus :thread:<id> in a thread, whatever message is replied to', () => {
    expect(defaultConversationId(target('C1'))).toBe('C1');
    expect(defaultConversationId(target('C1', '171.5', 'm1'))).toBe('C1:thread:171.5');
    expect(defaultConversationId(target('C1', undefined, 'm9'))).toBe('C1');
  });

  it('keeps Matrix room ids and Telegram topic peers verbatim', () => {
    expect(defaultConversationId(target('!room:example.org'))).toBe('!room:example.org');
    expect(defaultConversationId(target('-1001:topic:7'))).toBe('-1001:topic:7');
  });

  it('never gives two different conversations the same id, even with crafted ids', () => {
    const crafted = [
      target('a:thread:b'),
      target('a', 'b'),
      target('a:thread', 'b'),
      target('a', 'thread:b'),
      target('a%3Athread:b'),
      target('a%', '3Athread'),
      target('a:thread:'),
      target('a', ''),
    ];
    const ids = crafted.map(defaultConversationId);
    expect(new Set(ids).size).toBe(crafted.length);
  });

  it('round-trips through parseConversationId', () => {
    for (const [peerId, threadId] of [
      ['a:thread:b', undefined],
      ['a:thread', 'thread:c'],
      ['50%', '%3A'],
      ['!r:s', '$ev'],
    ] as const) {
      const parsed = parseConversationId(defaultConversationId(target(peerId, threadId)));
      expect(parsed).toEqual(threadId === undefined ? { peerId } : { peerId, threadId });
    }
  });
});

describe('conversationIdOf', () => {
  it("uses the adapter's own derivation when it has one, else the default", () => {
    expect(conversationIdOf({ id: 'x' }, target('C1', 't'))).toBe('C1:thread:t');
    expect(conversationIdOf({ id: 'x', conversationId: (t) => `room/${t.peer.id}` }, target('C1'))).toBe(
      'room/C1',
    );
  });

  it('rejects an adapter derivation that returns an empty id', () => {
    expect(() => conversationIdOf({ id: 'x', conversationId: () => ' ' }, target('C1'))).toThrow(
      /Channel "x": conversationId\(target\) must return a non-empty string/,
    );
  });
});
