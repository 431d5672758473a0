import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { isWellFormedBinding } from './compile.js';
import { createRouter } from './router.js';
import { bindingSchema, type RoutingConfig } from './schema.js';

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    createRouter(config as RoutingConfig);
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const roster = { agents: { list: [{ id: 'main', default: true }, { id: 'ops' }] } };

describe('routing config validation', () => {
  it('a binding to an unknown agent is a config error, not a silent fallback', () => {
    const issues = issuesOf({ ...roster, bindings: [{ agentId: 'opz', match: { channel: 'telegram' } }] });
    expect(issues).toEqual([
      {
        path: 'bindings.0.agentId',
        message: expect.stringMatching(/unknown agent "opz".*declare it in agents\.list/),
      },
    ]);
  });

  it('with no agents.list the roster is just main', () => {
    expect(() => createRouter({ bindings: [{ agentId: 'Main', match: { channel: 'x' } }] })).not.toThrow();
    expect(issuesOf({ bindings: [{ agentId: 'ops', match: { channel: 'x' } }] })[0]?.path).toBe(
      'bindings.0.agentId',
    );
  });

  it('lists every problem by path in one error', () => {
    const issues = issuesOf({
      ...roster,
      bindings: [
        { agentId: 'ops', match: { channel: 'discord', peer: { kind: 'thread', id: '1' } } },
        { agentId: 'ops', match: { channel: 'discord', peer: { kind: 'group', id: '  ' } } },
        { agentId: '', match: { channel: ' ', guildId: '', teamId: '', roles: [''] } },
        { agentId: 'ops', match: { channel: 'x' }, extra: true },
        { agentId: 'ops', match: { channel: 'x', accountId: 5 } },
        { agentId: 'ghost', match: { channel: 'x' }, session: { dmScope: 'per_peer' } },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'bindings.0.match.peer.kind',
      'bindings.1.match.peer.id',
      'bindings.2.agentId',
      'bindings.2.match.channel',
      'bindings.2.match.guildId',
      'bindings.2.match.teamId',
      'bindings.2.match.roles.0',
      'bindings.3',
      'bindings.4.match.accountId',
      'bindings.5.session.dmScope',
    ]);
    expect(issues[7]?.message).toMatch(/unknown setting\(s\) "extra"/);
  });

  it('rejects duplicate agent ids, blank ids and several defaults', () => {
    const issues = issuesOf({
      agents: { list: [{ id: 'a', default: true }, { id: 'A' }, { id: ' ' }, { id: 'b', default: true }] },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'agents.list.1.id',
      'agents.list.2.id',
      'agents.list.3.default',
    ]);
  });

  it('rejects unprefixed identity links and a bad session section', () => {
    const issues = issuesOf({
      session: { dmScope: 'per-channel', identityLinks: { alice: ['telegram:1', '222'] }, mainKey: 3 },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['session.dmScope', 'session.mainKey']);
    const links = issuesOf({ session: { identityLinks: { alice: ['telegram:1', '222'] } } });
    expect(links).toEqual([
      { path: 'session.identityLinks.alice.1', message: expect.stringMatching(/<channel>:<id>/) },
    ]);
  });

  it('rejects broadcast groups with unknown agents, unqualified keys or too many agents', () => {
    const many = Array.from({ length: 17 }, () => 'main');
    const issues = issuesOf({
      ...roster,
      broadcast: {
        strategy: 'sequential',
        '120363@g.us': ['main'],
        'whatsapp:1@g.us': ['main', 'ghost'],
        'discord:1': { agents: ['ops'], maxRounds: 9 },
        'telegram:1': many,
      },
    });
    expect(issues.map((i) => i.path)).toContain('broadcast.discord:1.maxRounds');
    expect(issues.map((i) => i.path)).toContain('broadcast.120363@g.us');
    expect(issues.map((i) => i.path)).toContain('broadcast.whatsapp:1@g.us.1');
    expect(issues.some((i) => i.path === 'broadcast.telegram:1' && /at most 16/.test(i.message))).toBe(true);
  });

  it('tolerates keys owned by other modules at the top level and in agents and session', () => {
    expect(() =>
      createRouter({
        channels: { telegram: { botToken: 'x' } },
        messages: {},
        tools: { allow: [] },
        agents: {
          defaults: {},
          list: [{ id: 'main', model: 'x', tools: {}, groupChat: { mentionPatterns: [] } }],
        },
        session: { scope: 'per-sender', reset: { mode: 'daily' } },
      } as RoutingConfig),
    ).not.toThrow();
  });

  it('accepts numbers and bigints as ids', () => {
    const router = createRouter({
      bindings: [
        { agentId: 'main', match: { channel: 'discord', guildId: 123n, peer: { kind: 'channel', id: 42 } } },
      ],
    });
    expect(
      router.resolve({ channel: 'discord', peer: { kind: 'channel', id: '42' }, guildId: '123' }).matchedBy,
    ).toBe('binding.peer');
  });

  it('rejects a non-object config and bad router options', () => {
    expect(issuesOf(null)[0]?.message).toMatch(/must be an object/);
    expect(() => createRouter({}, { caseInsensitiveChannels: 'telegram' as never })).toThrow(ConfigError);
  });

  it('the allocation-free binding check never accepts what the schema rejects', () => {
    const samples: unknown[] = [
      { agentId: 'a', match: { channel: 'x' } },
      {
        agentId: 'a',
        match: { channel: 'x', roles: [1, 'b'] },
        session: { dmScope: 'main', groupScope: 'main' },
      },
      { agentId: 'a', match: { channel: 'x', peer: { kind: 'group', id: 1n } }, type: 'acp', comment: 'c' },
      { agentId: 'a', match: { channel: 'x', peer: { kind: 'group', id: 1, x: 1 } } },
      { agentId: 'a', match: { channel: 'x' }, session: { dmScope: 'nope' } },
      { agentId: 'a', match: { channel: 'x', roles: 'r' } },
      { agentId: 'a', match: { channel: 'x', guildId: {} } },
      { agentId: 'a', match: {} },
      { agentId: 'a', match: { channel: 'x' }, type: 'other' },
      [],
      null,
    ];
    for (const sample of samples) {
      if (isWellFormedBinding(sample))
        expect(bindingSchema.safeParse(sample).success, String(samples.indexOf(sample))).toBe(true);
    }
    expect(samples.filter(isWellFormedBinding)).toHaveLength(3);
  });
});
