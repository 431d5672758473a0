import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '../errors/invalid-message-error.js';
import { parseInbound, parseReplyTarget } from './parse.js';
import { replyTargetOf, replyTargetProblem } from './reply-target.js';

const valid = {
  channel: ' Telegram ',
  accountId: 'default',
  messageId: 42,
  peer: { kind: 'supergroup', id: -1001234567890 },
  sender: { id: 777, username: 'alice' },
  text: 'hello',
  timestamp: 1_700_000_000_000,
};

describe('parseInbound', () => {
  it('normalises numeric ids to strings, lowercases the channel and maps legacy peer kinds', () => {
    const msg = parseInbound(valid);
    expect(msg.channel).toBe('telegram');
    expect(msg.messageId).toBe('42');
    expect(msg.peer).toEqual({ kind: 'group', id: '-1001234567890' });
    expect(msg.sender).toEqual({ id: '777', username: 'alice' });
  });

  it('accepts bigint ids (Discord snowflakes) and Date timestamps', () => {
    const msg = parseInbound({
      ...valid,
      peer: { kind: 'dm', id: 1100000000000000000n },
      timestamp: new Date(5),
    });
    expect(msg.peer).toEqual({ kind: 'direct', id: '1100000000000000000' });
    expect(msg.timestamp).toBe(5);
  });

  it('leaves no undefined-valued keys behind', () => {
    const msg = parseInbound(valid);
    expect(Object.values(msg)).not.toContain(undefined);
    expect('threadId' in msg).toBe(false);
  });

  it('rejects a blank peer id instead of inventing a shared "unknown" conversation', () => {
    expect(() => parseInbound({ ...valid, peer: { kind: 'group', id: '   ' } })).toThrow(
      /peer\.id: must not be empty/,
    );
  });

  it('names every offending field in one error', () => {
    try {
      parseInbound({ ...valid, peer: { kind: 'room', id: 'x' }, sender: {}, text: 3, threadID: '1' });
      expect.unreachable();
    } catch (error) {
      expect(InvalidMessageError.isInstance(error)).toBe(true);
      const paths = (error as InvalidMessageError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['', 'peer.kind', 'sender.id', 'text']);
      expect((error as Error).message).toMatch(/unknown field\(s\) "threadID"/);
    }
  });

  it('rejects peer kinds that are names of Object.prototype members', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => parseInbound({ ...valid, peer: { kind, id: '1' } })).toThrow(/peer\.kind: must be one of/);
    }
  });

  it('rejects non-objects with a clear error', () => {
    expect(() => parseInbound(null)).toThrow(InvalidMessageError);
    expect(() => parseInbound('hi')).toThrow(InvalidMessageError);
  });
});

describe('replyTargetOf', () => {
  it('pins channel, account, peer, thread and the message to reply to, frozen', () => {
    const msg = parseInbound({ ...valid, threadId: '99' });
    const target = replyTargetOf(msg);
    expect(target).toEqual({
      channel: 'telegram',
      accountId: 'default',
      peer: { kind: 'group', id: '-1001234567890' },
      threadId: '99',
      replyToMessageId: '42',
    });
    expect(Object.isFrozen(target)).toBe(true);
    expect(Object.isFrozen(target.peer)).toBe(true);
  });

  it('defaults a missing account to "default" and round-trips through parseReplyTarget', () => {
    const { accountId: _drop, ...noAccount } = valid;
    const target = replyTargetOf(parseInbound(noAccount), { replyToMessage: false });
    expect(target.accountId).toBe('default');
    expect(parseReplyTarget(JSON.parse(JSON.stringify(target)))).toEqual(target);
  });
});

describe('replyTargetProblem', () => {
  const target = {
    channel: 'slack',
    accountId: 'default',
    peer: { kind: 'channel', id: 'C1' },
    threadId: '17.1',
  };

  it('accepts a pinned target and names the first problem of anything else', () => {
    expect(replyTargetProblem(target)).toBeUndefined();
    expect(replyTargetProblem(null)).toBe('target must be a ReplyTarget object');
    expect(replyTargetProblem({ ...target, accountId: '' })).toBe(
      'target.accountId must be a non-empty string',
    );
    expect(replyTargetProblem({ ...target, peer: { kind: 'channel', id: '' } }, 'origin')).toBe(
      'origin.peer must be { kind, id } with a non-empty id',
    );
    expect(replyTargetProblem({ ...target, replyToMessageId: 7 })).toBe(
      'target.replyToMessageId must be a string when given',
    );
  });
});
