import { describe, expect, it } from 'vitest';
import {
  classifySessionKeyShape,
  deriveSessionChatType,
  getSubagentDepth,
  isAcpSessionKey,
  isCronRunSessionKey,
  isCronSessionKey,
  isSubagentSessionKey,
  parseAgentSessionKey,
  parseThreadSessionSuffix,
  resolveThreadParentSessionKey,
} from './classify.js';
import { InvalidSessionKeyError } from './errors.js';
import { escapeKeySegment, unescapeKeySegment } from './escape.js';
import { parseSessionKey, tryParseSessionKey } from './parse.js';

describe('parsing canonical keys into parts (ids unescaped)', () => {
  it('parses every shape', () => {
    expect(parseSessionKey('agent:main:main')).toEqual({ agentId: 'main', kind: 'main', mainKey: 'main' });
    expect(parseSessionKey('agent:main:direct:+1555')).toEqual({
      agentId: 'main',
      kind: 'direct',
      dmScope: 'per-peer',
      peerId: '+1555',
    });
    expect(parseSessionKey('agent:a:whatsapp:direct:+1555')).toEqual({
      agentId: 'a',
      kind: 'direct',
      dmScope: 'per-channel-peer',
      channel: 'whatsapp',
      peerId: '+1555',
    });
    expect(parseSessionKey('agent:a:telegram:tasks:direct:7')).toEqual({
      agentId: 'a',
      kind: 'direct',
      dmScope: 'per-account-channel-peer',
      channel: 'telegram',
      accountId: 'tasks',
      peerId: '7',
    });
    expect(parseSessionKey('agent:a:discord:channel:9:thread:T')).toEqual({
      agentId: 'a',
      kind: 'channel',
      channel: 'discord',
      peerId: '9',
      threadId: 'T',
    });
    expect(parseSessionKey('agent:a:telegram:group:-100:topic:42')).toEqual({
      agentId: 'a',
      kind: 'group',
      channel: 'telegram',
      peerId: '-100:topic:42',
      topicId: '42',
    });
    expect(parseSessionKey('agent:main:subagent:p:subagent:c')).toEqual({
      agentId: 'main',
      kind: 'subagent',
      runIds: ['p', 'c'],
    });
    expect(parseSessionKey('agent:x:acp:plugin:zed:u1')).toEqual({
      agentId: 'x',
      kind: 'acp',
      sessionId: 'u1',
      pluginId: 'zed',
    });
    expect(parseSessionKey('agent:x:acp:u1')).toEqual({ agentId: 'x', kind: 'acp', sessionId: 'u1' });
    expect(parseSessionKey('agent:x:cron:daily:run:r1')).toEqual({
      agentId: 'x',
      kind: 'cron',
      jobId: 'daily',
      runId: 'r1',
    });
    expect(parseSessionKey('agent:x:cron:daily')).toEqual({ agentId: 'x', kind: 'cron', jobId: 'daily' });
  });

  it('unescapes ids, including marker words', () => {
    expect(parseSessionKey('agent:main:%63ron:%67roup:direct:%74hread')).toEqual({
      agentId: 'main',
      kind: 'direct',
      dmScope: 'per-account-channel-peer',
      channel: 'cron',
      accountId: 'group',
      peerId: 'thread',
    });
    expect(parseSessionKey('agent:main:matrix:channel:!r%3Ax:thread:%2541')).toMatchObject({
      peerId: '!r:x',
      threadId: '%41',
    });
  });

  it('rejects malformed and non-canonical keys with an InvalidSessionKeyError', () => {
    const bad = [
      'main',
      'agent:main',
      'agent:Main:main',
      'agent:main::main',
      'agent:main:main:',
      'agent:main:MAIN',
      'agent:main:c:group:a%3ab',
      'agent:main:c:group:%41',
      'agent:main:c:group:50%',
      'agent:main:thread:x',
      'agent:main:c:group:thread',
      'agent:main:c:group:a%3Atopic%3A1',
      'agent:main:c:direct:x:thread:a:thread:b',
      'agent:main:c:DEFAULT:direct:x',
      'agent:main:c:x:y',
      'agent:main:subagent:a:b',
      'agent:main:hook:abc',
      ' agent:main:main',
    ];
    for (const key of bad) {
      expect(() => parseSessionKey(key), key).toThrow(InvalidSessionKeyError);
      expect(tryParseSessionKey(key), key).toBeNull();
    }
  });

  it('names the offending key and the reason', () => {
    try {
      parseSessionKey('agent:main::x');
      expect.unreachable();
    } catch (error) {
      expect(InvalidSessionKeyError.isInstance(error)).toBe(true);
      expect((error as InvalidSessionKeyError).key).toBe('agent:main::x');
      expect((error as InvalidSessionKeyError).reason).toMatch(/empty segment/);
    }
  });
});

describe('segment escaping', () => {
  it('round-trips and rejects non-canonical escapes', () => {
    for (const id of ['a', 'a:b', '%', '%3A', 'thread', 'Thread', '']) {
      if (id !== '') expect(unescapeKeySegment(escapeKeySegment(id))).toBe(id);
    }
    expect(escapeKeySegment('Thread')).toBe('Thread');
    expect(unescapeKeySegment('%3a')).toBeUndefined();
    expect(unescapeKeySegment('%61')).toBeUndefined();
    expect(unescapeKeySegment('thread')).toBeUndefined();
  });
});

describe('classification helpers (routing.md §3.5)', () => {
  it('splits agent keys leniently like OpenClaw, dropping empty segments', () => {
    expect(parseAgentSessionKey('agent:main::x')).toEqual({ agentId: 'main', rest: 'x' });
    expect(parseAgentSessionKey('Agent:Ops:telegram:group:1')).toEqual({
      agentId: 'ops',
      rest: 'telegram:group:1',
    });
    expect(parseAgentSessionKey('agent:main')).toBeNull();
    expect(parseAgentSessionKey('main')).toBeNull();
  });

  it('classifies key shapes', () => {
    expect(classifySessionKeyShape('')).toBe('missing');
    expect(classifySessionKeyShape(undefined)).toBe('missing');
    expect(classifySessionKeyShape('agent:main:main')).toBe('agent');
    expect(classifySessionKeyShape('agent:main')).toBe('malformed_agent');
    expect(classifySessionKeyShape('telegram:dm:1')).toBe('legacy_or_alias');
  });

  it('recognises sub-agent keys and their depth', () => {
    expect(isSubagentSessionKey('agent:main:subagent:x')).toBe(true);
    expect(isSubagentSessionKey('subagent:x')).toBe(true);
    expect(isSubagentSessionKey('agent:main:main')).toBe(false);
    expect(isSubagentSessionKey('agent:main:%73ubagent')).toBe(false);
    expect(getSubagentDepth('agent:main:subagent:parent:subagent:child')).toBe(2);
    expect(getSubagentDepth('agent:main:subagent:x')).toBe(1);
    expect(getSubagentDepth('agent:main:main')).toBe(0);
  });

  it('recognises ACP, cron and cron-run keys', () => {
    expect(isAcpSessionKey('agent:codex:acp:u')).toBe(true);
    expect(isAcpSessionKey('acp:u')).toBe(true);
    expect(isAcpSessionKey('agent:main:main')).toBe(false);
    expect(isCronSessionKey('agent:main:cron:j')).toBe(true);
    expect(isCronSessionKey('agent:main:cron:j:run:r')).toBe(true);
    expect(isCronRunSessionKey('agent:main:cron:j:run:r')).toBe(true);
    expect(isCronRunSessionKey('agent:main:cron:j:run:r:extra:1')).toBe(true);
    expect(isCronRunSessionKey('agent:main:cron:j')).toBe(false);
  });

  it('derives the chat type, legacy dm keys and the Discord legacy shape included', () => {
    expect(deriveSessionChatType('agent:main:telegram:group:1')).toBe('group');
    expect(deriveSessionChatType('agent:main:discord:channel:1:thread:2')).toBe('channel');
    expect(deriveSessionChatType('agent:main:direct:1')).toBe('direct');
    expect(deriveSessionChatType('agent:main:whatsapp:dm:+1555')).toBe('direct');
    expect(deriveSessionChatType('agent:main:telegram:tasks:dm:7550356539')).toBe('direct');
    expect(deriveSessionChatType('discord:acct:guild-1:channel-2')).toBe('channel');
    expect(deriveSessionChatType('agent:main:main')).toBe('unknown');
    expect(deriveSessionChatType('agent:main:subagent:x')).toBe('unknown');
  });

  it('classifies a DM whose escaped id spells ":group:" as a DM (unlike OpenClaw, routing.md §6.7)', () => {
    expect(deriveSessionChatType('agent:main:x:direct:a%3Agroup%3Ab')).toBe('direct');
  });

  it('splits thread keys at the thread marker and ignores topics', () => {
    expect(parseThreadSessionSuffix('agent:main:slack:channel:c1:thread:T%3A1')).toEqual({
      baseSessionKey: 'agent:main:slack:channel:c1',
      threadId: 'T:1',
    });
    expect(parseThreadSessionSuffix('agent:main:telegram:group:-100:topic:42')).toEqual({
      baseSessionKey: 'agent:main:telegram:group:-100:topic:42',
      threadId: undefined,
    });
    // An OpenClaw key (unescaped thread id) splits at the last ":thread:".
    expect(parseThreadSessionSuffix('agent:main:telegram:default:direct:123:thread:987:42')).toEqual({
      baseSessionKey: 'agent:main:telegram:default:direct:123',
      threadId: '987:42',
    });
    expect(resolveThreadParentSessionKey('agent:main:main:thread:t')).toBe('agent:main:main');
    expect(resolveThreadParentSessionKey('agent:main:main')).toBeNull();
  });

  it('never mistakes an escaped id for a thread marker', () => {
    expect(resolveThreadParentSessionKey('agent:main:c:group:g1%3Athread%3At1')).toBeNull();
    expect(resolveThreadParentSessionKey('agent:main:c:group:THREAD:topic:1')).toBeNull();
  });
});
