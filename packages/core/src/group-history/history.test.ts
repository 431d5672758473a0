import { describe, expect, it } from 'vitest';
import { group } from '../access/test-messages.js';
import { ConfigError } from '../errors/index.js';
import { GroupHistoryError } from './errors.js';
import {
  CURRENT_MESSAGE_HEADER,
  createGroupHistory,
  formatGroupHistory,
  HISTORY_HEADER,
  historyEntryFromMessage,
} from './history.js';
import { groupHistoryKey } from './key.js';

const entry = (body: string) => ({ sender: 'Alice', body });

describe('pending group history', () => {
  it('keeps skipped messages per group and hands them to the next turn, then clears', () => {
    const h = createGroupHistory();
    h.record('g1', entry('one'));
    h.record('g1', entry('two'));
    h.record('g2', entry('other'));
    expect(h.take('g1').map((e) => e.body)).toEqual(['one', 'two']);
    expect(h.take('g1')).toEqual([]);
    expect(h.peek('g2').map((e) => e.body)).toEqual(['other']);
  });

  it('drops the oldest entries beyond the limit', () => {
    const h = createGroupHistory({ limit: 2 });
    for (const b of ['1', '2', '3']) h.record('g', entry(b));
    expect(h.take('g').map((e) => e.body)).toEqual(['2', '3']);
  });

  it('a per-call limit (the decision historyLimit) wins over the default', () => {
    const h = createGroupHistory({ limit: 50 });
    for (const b of ['1', '2', '3']) h.record('g', entry(b), { limit: 1 });
    expect(h.take('g').map((e) => e.body)).toEqual(['3']);
  });

  it('a limit of 0 disables recording', () => {
    const h = createGroupHistory({ limit: 0 });
    h.record('g', entry('1'));
    createGroupHistory().record('g', entry('1'), { limit: 0 });
    expect(h.take('g')).toEqual([]);
    expect(h.size).toBe(0);
  });

  it('keeps at most maxGroups groups, forgetting the least recently touched', () => {
    const h = createGroupHistory({ maxGroups: 2 });
    h.record('a', entry('1'));
    h.record('b', entry('1'));
    h.record('a', entry('2'));
    h.record('c', entry('1'));
    expect(h.size).toBe(2);
    expect(h.peek('b')).toEqual([]);
    expect(h.peek('a')).toHaveLength(2);
  });

  it('entries handed out cannot be changed through the store', () => {
    const h = createGroupHistory();
    h.record('g', entry('1'));
    expect(Object.isFrozen(h.peek('g'))).toBe(true);
    expect(Object.isFrozen(h.peek('g')[0])).toBe(true);
  });

  it('a blank key or a malformed entry is a GroupHistoryError', () => {
    const h = createGroupHistory();
    expect(() => h.record('', entry('x'))).toThrow(GroupHistoryError);
    expect(() => h.record('g', { sender: 'a' } as never)).toThrow(GroupHistoryError);
    expect(() => h.take(undefined as never)).toThrow(GroupHistoryError);
    expect(() => h.record('g', entry('x'), { limit: Number.NaN })).toThrow(GroupHistoryError);
  });

  it('invalid options are a ConfigError', () => {
    expect(() => createGroupHistory({ limit: -1 })).toThrow(ConfigError);
    expect(() => createGroupHistory({ maxGroups: 0 })).toThrow(ConfigError);
  });
});

describe('history keys and formatting', () => {
  it('the key is <channel>:<account>:<kind>:<peerId>', () => {
    expect(groupHistoryKey(group('123@g.us', 'x', { channel: 'whatsapp' }))).toBe(
      'whatsapp:default:group:123@g.us',
    );
    expect(groupHistoryKey(group('-1', 'x', { accountId: 'work' }))).toBe('telegram:work:group:-1');
  });

  it('a thread keeps its own history, apart from its channel timeline', () => {
    const inChannel = group('C1', 'x', { channel: 'slack' });
    const inThread = group('C1', 'x', { channel: 'slack', threadId: '1700.1' });
    expect(groupHistoryKey(inThread)).toBe('slack:default:group:C1:thread:1700.1');
    expect(groupHistoryKey(inThread)).not.toBe(groupHistoryKey(inChannel));
    const history = createGroupHistory({ limit: 5 });
    history.record(
      groupHistoryKey(inChannel),
      historyEntryFromMessage(group('C1', 'bob', { text: 'lunch?' })),
    );
    expect(history.take(groupHistoryKey(inThread))).toEqual([]);
  });

  it('labels senders Name (+E164), else whatever is known', () => {
    const m = group('g', '1', { sender: { name: 'Alice', e164: '+15550001111' } });
    expect(historyEntryFromMessage(m).sender).toBe('Alice (+15550001111)');
    expect(historyEntryFromMessage(group('g', '1', { sender: { username: 'al' } })).sender).toBe('al');
  });

  it('wraps pending entries before the current message', () => {
    expect(formatGroupHistory([entry('earlier')], 'now?')).toBe(
      `${HISTORY_HEADER}\nAlice: earlier\n\n${CURRENT_MESSAGE_HEADER}\nnow?`,
    );
  });

  it('without pending entries the body is just the current message', () => {
    expect(formatGroupHistory([], 'now?')).toBe('now?');
    expect(formatGroupHistory([entry('x')], 'now?', () => '  ')).toBe('now?');
  });
});
