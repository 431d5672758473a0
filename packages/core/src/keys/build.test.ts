import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import {
  buildAcpSessionKey,
  buildCronSessionKey,
  buildMainSessionKey,
  buildSessionKey,
  buildSubagentSessionKey,
  buildThreadSessionKey,
  formatSessionKey,
  normalizeSessionKeyInput,
  resolveThreadSessionKeys,
} from './build.js';
import { InvalidSessionKeyError, SessionKeyInputError } from './errors.js';
import type { SessionKeyInput } from './types.js';

/** OpenClaw's keys (routing.md §3.1) for ids without reserved characters, on a case-insensitive channel. */
const OPENCLAW_VECTORS: [string, SessionKeyInput, string][] = [
  ['main session without a peer', {}, 'agent:main:main'],
  [
    'DM under dmScope main',
    { channel: 'whatsapp', peer: { kind: 'direct', id: '+15551234567' } },
    'agent:main:main',
  ],
  [
    'DM per-peer',
    { channel: 'whatsapp', peer: { kind: 'direct', id: '+15551234567' }, dmScope: 'per-peer' },
    'agent:main:direct:+15551234567',
  ],
  [
    'DM per-channel-peer',
    { channel: 'whatsapp', peer: { kind: 'direct', id: '+15551234567' }, dmScope: 'per-channel-peer' },
    'agent:main:whatsapp:direct:+15551234567',
  ],
  [
    'DM per-account-channel-peer',
    {
      channel: 'telegram',
      accountId: 'tasks',
      peer: { kind: 'direct', id: 7550356539 },
      dmScope: 'per-account-channel-peer',
    },
    'agent:main:telegram:tasks:direct:7550356539',
  ],
  [
    'group',
    { agentId: 'ops', channel: 'whatsapp', peer: { kind: 'group', id: '120363403215116621@g.us' } },
    'agent:ops:whatsapp:group:120363403215116621@g.us',
  ],
  [
    'channel',
    { channel: 'discord', peer: { kind: 'channel', id: 1100000000000000001n } },
    'agent:main:discord:channel:1100000000000000001',
  ],
  [
    'Telegram forum topic inside the peer id',
    { channel: 'telegram', peer: { kind: 'group', id: '-1001234567890:topic:42' } },
    'agent:main:telegram:group:-1001234567890:topic:42',
  ],
  [
    'Slack thread suffix',
    { channel: 'slack', peer: { kind: 'channel', id: 'C0123ABC' }, threadId: '1700000000.000100' },
    'agent:main:slack:channel:c0123abc:thread:1700000000.000100',
  ],
  [
    'Discord thread as its own channel peer',
    { channel: 'discord', peer: { kind: 'channel', id: '1234567890123' } },
    'agent:main:discord:channel:1234567890123',
  ],
  [
    'supergroup normalised to group',
    { channel: 'telegram', peer: { kind: 'supergroup', id: '-100777' } },
    'agent:main:telegram:group:-100777',
  ],
  [
    'dm normalised to direct',
    { channel: 'x', peer: { kind: 'dm', id: 'u1' }, dmScope: 'per-peer' },
    'agent:main:direct:u1',
  ],
  [
    'groupScope main puts a group in the main session',
    { channel: 'telegram', peer: { kind: 'group', id: '-100777' }, groupScope: 'main', mainKey: 'Home' },
    'agent:main:home',
  ],
  [
    'uppercase DM id lowercased',
    { channel: 'Signal', peer: { kind: 'direct', id: ' UserABC ' }, dmScope: 'per-channel-peer' },
    'agent:main:signal:direct:userabc',
  ],
  [
    'present peer with an empty id becomes unknown',
    { channel: 'telegram', peer: { kind: 'group', id: '  ' } },
    'agent:main:telegram:group:unknown',
  ],
  [
    'present DM peer with an empty id becomes unknown under per-* scopes',
    { channel: 'telegram', peer: { kind: 'direct', id: '' }, dmScope: 'per-channel-peer' },
    'agent:main:telegram:direct:unknown',
  ],
  [
    'blank channel becomes unknown',
    { channel: ' ', peer: { kind: 'group', id: 'g' } },
    'agent:main:unknown:group:g',
  ],
  [
    'blank account becomes default',
    {
      channel: 'telegram',
      accountId: ' ',
      peer: { kind: 'direct', id: '1' },
      dmScope: 'per-account-channel-peer',
    },
    'agent:main:telegram:default:direct:1',
  ],
  [
    'agent and account ids are sanitised',
    {
      agentId: ' Ops Team ',
      channel: 'telegram',
      accountId: '__proto__',
      peer: { kind: 'direct', id: '1' },
      dmScope: 'per-account-channel-peer',
    },
    'agent:ops-team:telegram:default:direct:1',
  ],
];

describe('session key shapes are byte-identical to OpenClaw for ordinary ids (routing.md §3.1–3.2)', () => {
  for (const [name, input, expected] of OPENCLAW_VECTORS) {
    it(`${name}: ${expected}`, () => {
      expect(buildSessionKey({ ...input, caseInsensitiveIds: true })).toBe(expected);
    });
  }

  it('builds the main key from agent and main key', () => {
    expect(buildMainSessionKey()).toBe('agent:main:main');
    expect(buildMainSessionKey('Ops', ' Home ')).toBe('agent:ops:home');
  });

  it('builds sub-agent keys, nested ones with one subagent pair per level', () => {
    expect(buildSubagentSessionKey('Research', 'run-1')).toBe('agent:research:subagent:run-1');
    expect(buildSubagentSessionKey('main', ['parent', 'child'])).toBe(
      'agent:main:subagent:parent:subagent:child',
    );
  });

  it('builds ACP keys, plugin-spawned ones with the plugin id', () => {
    expect(buildAcpSessionKey('codex', '5f0c')).toBe('agent:codex:acp:5f0c');
    expect(buildAcpSessionKey('codex', '5f0c', { pluginId: 'zed' })).toBe('agent:codex:acp:plugin:zed:5f0c');
  });

  it('builds cron keys, an isolated run with its run id', () => {
    expect(buildCronSessionKey('main', 'daily')).toBe('agent:main:cron:daily');
    expect(buildCronSessionKey('main', 'daily', 'r1')).toBe('agent:main:cron:daily:run:r1');
  });

  it('rejects blank run, job and session ids', () => {
    expect(() => buildSubagentSessionKey('main', ' ')).toThrow(SessionKeyInputError);
    expect(() => buildSubagentSessionKey('main', [])).toThrow(SessionKeyInputError);
    expect(() => buildCronSessionKey('main', '')).toThrow(SessionKeyInputError);
    expect(() => buildAcpSessionKey('main', '')).toThrow(SessionKeyInputError);
  });
});

describe('escaping makes keys collision-proof (deliberate difference, DESIGN.md principle 3)', () => {
  it('escapes ":" in a group id so it cannot forge a thread key (routing.md §6.1)', () => {
    const forged = buildSessionKey({ channel: 'c', peer: { kind: 'group', id: 'g1:thread:t1' } });
    const real = buildSessionKey({ channel: 'c', peer: { kind: 'group', id: 'g1' }, threadId: 't1' });
    expect(real).toBe('agent:main:c:group:g1:thread:t1');
    expect(forged).toBe('agent:main:c:group:g1%3Athread%3At1');
  });

  it('escapes "%" so an escaped id cannot be spelled by hand', () => {
    expect(buildSessionKey({ channel: 'c', peer: { kind: 'group', id: 'a%3Ab' } })).toBe(
      'agent:main:c:group:a%253Ab',
    );
  });

  it('escapes a Matrix room id and a thread id that contain ":"', () => {
    expect(
      buildSessionKey({
        channel: 'matrix',
        peer: { kind: 'channel', id: '!Room:example.org' },
        threadId: '$ev:x',
      }),
    ).toBe('agent:main:matrix:channel:!Room%3Aexample.org:thread:$ev%3Ax');
  });

  it('escapes the thread id of a Telegram DM thread that contains ":"', () => {
    const base = buildSessionKey({
      channel: 'telegram',
      peer: { kind: 'direct', id: '123' },
      dmScope: 'per-account-channel-peer',
    });
    expect(buildThreadSessionKey(base, '987:42')).toBe(
      'agent:main:telegram:default:direct:123:thread:987%3A42',
    );
  });

  it('escapes an account named like a marker so a DM cannot become a group key (routing.md §6.1)', () => {
    const dm = buildSessionKey({
      channel: 'c',
      accountId: 'group',
      peer: { kind: 'direct', id: 'x' },
      dmScope: 'per-account-channel-peer',
    });
    const group = buildSessionKey({ channel: 'c', peer: { kind: 'group', id: 'direct:x' } });
    expect(dm).toBe('agent:main:c:%67roup:direct:x');
    expect(group).toBe('agent:main:c:group:direct%3Ax');
  });

  it('escapes channel, main key and peer ids equal to a marker word', () => {
    expect(buildSessionKey({ channel: 'cron', peer: { kind: 'group', id: 'thread' } })).toBe(
      'agent:main:%63ron:group:%74hread',
    );
    expect(buildMainSessionKey('main', 'subagent')).toBe('agent:main:%73ubagent');
  });

  it('escapes colons in the chat and topic parts of a forum topic but keeps its structure', () => {
    expect(buildSessionKey({ channel: 'telegram', peer: { kind: 'group', id: 'a:b:topic:c:d' } })).toBe(
      'agent:main:telegram:group:a%3Ab:topic:c%3Ad',
    );
    expect(buildSessionKey({ channel: 'telegram', peer: { kind: 'group', id: 'chat:topic:' } })).toBe(
      'agent:main:telegram:group:chat%3Atopic%3A',
    );
  });

  it('keeps a colon in a DM peer id escaped (topics are structured for groups only)', () => {
    expect(
      buildSessionKey({ channel: 'x', peer: { kind: 'direct', id: '1:topic:2' }, dmScope: 'per-peer' }),
    ).toBe('agent:main:direct:1%3Atopic%3A2');
  });
});

describe('case is preserved unless the channel says its ids are case-insensitive (deliberate difference)', () => {
  it('keeps the case of DM, group and thread ids by default', () => {
    expect(
      buildSessionKey({ channel: 'Signal', peer: { kind: 'group', id: 'AbC+/=' }, threadId: 'T1' }),
    ).toBe('agent:main:signal:group:AbC+/=:thread:T1');
    expect(
      buildSessionKey({ channel: 'slack', peer: { kind: 'direct', id: 'U01ABC' }, dmScope: 'per-peer' }),
    ).toBe('agent:main:direct:U01ABC');
  });

  it('gives case-distinct group ids distinct keys by default and one key when case-insensitive', () => {
    const a = { channel: 'matrix', peer: { kind: 'channel', id: '!AbC:x' } } as const;
    const b = { channel: 'matrix', peer: { kind: 'channel', id: '!abc:x' } } as const;
    expect(buildSessionKey(a)).not.toBe(buildSessionKey(b));
    expect(buildSessionKey({ ...a, caseInsensitiveIds: true })).toBe(
      buildSessionKey({ ...b, caseInsensitiveIds: true }),
    );
  });

  it('lowercases before escaping so escapes stay canonical uppercase hex', () => {
    expect(
      buildSessionKey({ channel: 'm', peer: { kind: 'group', id: 'A:B' }, caseInsensitiveIds: true }),
    ).toBe('agent:main:m:group:a%3Ab');
  });

  it('always lowercases channel, agent, account and main key', () => {
    expect(
      buildSessionKey({
        agentId: 'OPS',
        channel: 'TELEGRAM',
        accountId: 'WORK',
        peer: { kind: 'direct', id: 'Id' },
        dmScope: 'per-account-channel-peer',
      }),
    ).toBe('agent:ops:telegram:work:direct:Id');
  });
});

describe('identity links (routing.md §3.3, prefix-only deliberate difference)', () => {
  const identityLinks = { Alice: ['telegram:111', 'discord:222'], bob: ['slack:U9'] };

  it('merges a person across channels under per-peer', () => {
    const tg = buildSessionKey({
      channel: 'telegram',
      peer: { kind: 'direct', id: '111' },
      dmScope: 'per-peer',
      identityLinks,
    });
    const dc = buildSessionKey({
      channel: 'discord',
      peer: { kind: 'direct', id: '222' },
      dmScope: 'per-peer',
      identityLinks,
    });
    expect(tg).toBe('agent:main:direct:alice');
    expect(dc).toBe(tg);
  });

  it('renames the peer segment but keeps the channel under per-channel-peer', () => {
    expect(
      buildSessionKey({
        channel: 'discord',
        peer: { kind: 'direct', id: '222' },
        dmScope: 'per-channel-peer',
        identityLinks,
      }),
    ).toBe('agent:main:discord:direct:alice');
  });

  it('keeps channel and account under per-account-channel-peer', () => {
    expect(
      buildSessionKey({
        channel: 'telegram',
        accountId: 'work',
        peer: { kind: 'direct', id: '111' },
        dmScope: 'per-account-channel-peer',
        identityLinks,
      }),
    ).toBe('agent:main:telegram:work:direct:alice');
  });

  it('is not applied under dmScope main nor to groups', () => {
    expect(buildSessionKey({ channel: 'telegram', peer: { kind: 'direct', id: '111' }, identityLinks })).toBe(
      'agent:main:main',
    );
    expect(
      buildSessionKey({
        channel: 'telegram',
        peer: { kind: 'group', id: '111' },
        identityLinks,
        dmScope: 'per-peer',
      }),
    ).toBe('agent:main:telegram:group:111');
  });

  it('matches only the link for the same channel: the raw id on another channel stays itself', () => {
    expect(
      buildSessionKey({
        channel: 'signal',
        peer: { kind: 'direct', id: '111' },
        dmScope: 'per-peer',
        identityLinks,
      }),
    ).toBe('agent:main:direct:111');
  });

  it('does not let a peer whose id is literally "telegram:111" impersonate the link (routing.md §6.2)', () => {
    expect(
      buildSessionKey({
        channel: 'webchat',
        peer: { kind: 'direct', id: 'telegram:111' },
        dmScope: 'per-peer',
        identityLinks,
      }),
    ).toBe('agent:main:direct:telegram%3A111');
  });

  it('compares the id exactly on case-sensitive channels and case-insensitively when declared', () => {
    const base = {
      channel: 'slack',
      peer: { kind: 'direct', id: 'u9' },
      dmScope: 'per-peer',
      identityLinks,
    } as const;
    expect(buildSessionKey(base)).toBe('agent:main:direct:u9');
    expect(buildSessionKey({ ...base, caseInsensitiveIds: true })).toBe('agent:main:direct:bob');
  });

  it('rejects an unprefixed link entry with a ConfigError', () => {
    const run = () =>
      buildSessionKey({
        channel: 'telegram',
        peer: { kind: 'direct', id: '1' },
        dmScope: 'per-peer',
        identityLinks: { carol: ['111'] },
      });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      expect(ConfigError.isInstance(error) && error.issues[0]?.path).toBe('session.identityLinks.carol.0');
    }
  });

  it('rejects canonical names that collide after lowercasing and ids linked twice', () => {
    expect(() =>
      buildSessionKey({ dmScope: 'per-peer', identityLinks: { Alice: ['x:1'], alice: ['x:2'] } }),
    ).toThrow(/collides/);
    expect(() => buildSessionKey({ dmScope: 'per-peer', identityLinks: { a: ['x:1'], b: ['X:1'] } })).toThrow(
      /already linked/,
    );
  });
});

describe('thread keys (routing.md §3.4)', () => {
  it('returns the base key for a blank thread id', () => {
    expect(buildThreadSessionKey('agent:main:slack:channel:c1', '  ')).toBe('agent:main:slack:channel:c1');
    expect(
      resolveThreadSessionKeys({ baseSessionKey: 'agent:main:main', threadId: '', parentSessionKey: 'p' }),
    ).toEqual({
      sessionKey: 'agent:main:main',
      parentSessionKey: undefined,
    });
  });

  it('appends the thread and passes the parent through; useSuffix false keeps the base', () => {
    expect(
      resolveThreadSessionKeys({
        baseSessionKey: 'agent:main:slack:channel:c1',
        threadId: ' T1 ',
        parentSessionKey: 'p',
      }),
    ).toEqual({ sessionKey: 'agent:main:slack:channel:c1:thread:T1', parentSessionKey: 'p' });
    expect(
      resolveThreadSessionKeys({
        baseSessionKey: 'agent:main:slack:channel:c1',
        threadId: 'T1',
        useSuffix: false,
        caseInsensitiveIds: true,
      }),
    ).toEqual({ sessionKey: 'agent:main:slack:channel:c1', parentSessionKey: undefined });
  });

  it('lowercases the thread id on case-insensitive channels', () => {
    expect(buildThreadSessionKey('agent:main:main', 'AbC', { caseInsensitiveIds: true })).toBe(
      'agent:main:main:thread:abc',
    );
  });

  it('rejects a base that is not a canonical key, or already a thread key', () => {
    expect(() => buildThreadSessionKey('not-a-key', 't')).toThrow(InvalidSessionKeyError);
    expect(() => buildThreadSessionKey('agent:main:main:thread:a', 'b')).toThrow(SessionKeyInputError);
  });
});

describe('builder input validation', () => {
  it('rejects an unknown peer kind instead of writing it into the key', () => {
    expect(() => buildSessionKey({ peer: { kind: 'thread' as never, id: '1' } })).toThrow(
      SessionKeyInputError,
    );
  });

  it('rejects an unknown dmScope or groupScope instead of silently using main', () => {
    expect(() => buildSessionKey({ dmScope: 'per_peer' as never })).toThrow(/dmScope/);
    expect(() => buildSessionKey({ groupScope: 'per-channel' as never })).toThrow(/groupScope/);
  });

  it('rejects fields of the wrong type, naming the field', () => {
    expect(() => buildSessionKey({ channel: 3 as never })).toThrow(/channel/);
    expect(() => buildSessionKey({ peer: { kind: 'group', id: {} as never } })).toThrow(/peer\.id/);
    expect(() => buildSessionKey(null as never)).toThrow(SessionKeyInputError);
  });

  it('formats canonical parts and rejects non-canonical ones', () => {
    expect(formatSessionKey({ agentId: 'main', kind: 'main', mainKey: 'main', threadId: 'T' })).toBe(
      'agent:main:main:thread:T',
    );
    expect(() => formatSessionKey({ agentId: 'Main', kind: 'main', mainKey: 'main' })).toThrow(
      SessionKeyInputError,
    );
    expect(() => formatSessionKey({ agentId: 'main', kind: 'main', mainKey: 'MAIN' })).toThrow(
      SessionKeyInputError,
    );
    expect(() =>
      formatSessionKey({ agentId: 'main', kind: 'group', channel: 'c', peerId: 'a:topic:1' }),
    ).toThrow(/topicId/);
  });

  it('describes an input as the normalised parts its key stands for', () => {
    expect(
      normalizeSessionKeyInput({
        channel: 'Telegram',
        peer: { kind: 'group', id: ' -100:topic:7 ' },
        threadId: 9,
      }),
    ).toEqual({
      agentId: 'main',
      kind: 'group',
      channel: 'telegram',
      peerId: '-100:topic:7',
      topicId: '7',
      threadId: '9',
    });
  });
});
