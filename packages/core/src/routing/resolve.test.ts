import { type InboundMessage, InvalidMessageError } from '@claw/channel-kit';
import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import type { BindingConfig, RoutingConfig } from './schema.js';

const agents = { list: [{ id: 'main', default: true }, { id: 'a' }, { id: 'b' }, { id: 'c' }] };
const route = (
  bindings: BindingConfig[],
  input: Parameters<ReturnType<typeof createRouter>['resolve']>[0],
  extra: Partial<RoutingConfig> = {},
) => createRouter({ agents, bindings, ...extra }).resolve(input);

describe('the nine tiers and their matchedBy names (routing.md §4.3)', () => {
  it('tier 1: a binding for the exact peer', () => {
    const r = route([{ agentId: 'a', match: { channel: 'telegram', peer: { kind: 'direct', id: '111' } } }], {
      channel: 'telegram',
      peer: { kind: 'direct', id: '111' },
    });
    expect(r).toMatchObject({ agentId: 'a', matchedBy: 'binding.peer' });
  });

  it('tier 2: a thread inherits the binding of its parent peer, but keeps its own session key', () => {
    const r = route(
      [{ agentId: 'a', match: { channel: 'discord', peer: { kind: 'channel', id: 'parent' } } }],
      {
        channel: 'discord',
        peer: { kind: 'channel', id: 'thread-1' },
        parentPeer: { kind: 'channel', id: 'parent' },
      },
    );
    expect(r).toMatchObject({
      agentId: 'a',
      matchedBy: 'binding.peer.parent',
      sessionKey: 'agent:a:discord:channel:thread-1',
    });
  });

  it('tier 2 is skipped for a parent peer with an empty id', () => {
    const r = route([{ agentId: 'a', match: { channel: 'discord', peer: { kind: 'channel', id: '*' } } }], {
      channel: 'discord',
      peer: { kind: 'direct', id: 'u' },
      parentPeer: { kind: 'channel', id: '' },
    });
    expect(r.matchedBy).toBe('default');
  });

  it('tier 3: a wildcard peer binding matches every peer of its kind, even one with an empty id', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'slack', peer: { kind: 'group', id: '*' } } },
    ];
    expect(route(bindings, { channel: 'slack', peer: { kind: 'channel', id: 'C1' } }).matchedBy).toBe(
      'binding.peer.wildcard',
    );
    expect(route(bindings, { channel: 'slack', peer: { kind: 'group', id: '' } })).toMatchObject({
      matchedBy: 'binding.peer.wildcard',
      sessionKey: 'agent:a:slack:group:unknown',
    });
    expect(route(bindings, { channel: 'slack', peer: { kind: 'direct', id: 'U1' } }).matchedBy).toBe(
      'default',
    );
  });

  it('tier 4: a guild binding with roles needs one of the member roles', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'discord', guildId: 'g', roles: ['mod', 'admin'] } },
      { agentId: 'b', match: { channel: 'discord', guildId: 'g' } },
    ];
    expect(route(bindings, { channel: 'discord', guildId: 'g', memberRoleIds: ['admin'] }).matchedBy).toBe(
      'binding.guild+roles',
    );
    expect(route(bindings, { channel: 'discord', guildId: 'g', memberRoleIds: ['Admin'] })).toMatchObject({
      agentId: 'b',
      matchedBy: 'binding.guild',
    });
    expect(route(bindings, { channel: 'discord', guildId: 'g' }).matchedBy).toBe('binding.guild');
  });

  it('tier 5: a guild binding; an empty roles list means no role restriction', () => {
    const r = route([{ agentId: 'a', match: { channel: 'discord', guildId: 'g', roles: [] } }], {
      channel: 'discord',
      guildId: 'g',
    });
    expect(r.matchedBy).toBe('binding.guild');
  });

  it('tier 6: a team binding, gated by roles when it has some', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'slack', teamId: 'T', roles: ['r'] } },
      { agentId: 'b', match: { channel: 'slack', teamId: 'T' } },
    ];
    expect(route(bindings, { channel: 'slack', teamId: 'T', memberRoleIds: ['r'] })).toMatchObject({
      agentId: 'a',
      matchedBy: 'binding.team',
    });
    expect(route(bindings, { channel: 'slack', teamId: 'T' })).toMatchObject({
      agentId: 'b',
      matchedBy: 'binding.team',
    });
  });

  it('tier 7: an account binding; tier 8: a channel-wide binding; tier 9: the default agent', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'b', match: { channel: 'telegram', accountId: '*' } },
      { agentId: 'a', match: { channel: 'telegram', accountId: 'work' } },
    ];
    expect(route(bindings, { channel: 'telegram', accountId: 'Work' })).toMatchObject({
      agentId: 'a',
      matchedBy: 'binding.account',
    });
    expect(route(bindings, { channel: 'telegram', accountId: 'home' })).toMatchObject({
      agentId: 'b',
      matchedBy: 'binding.channel',
    });
    expect(route(bindings, { channel: 'discord' })).toMatchObject({ agentId: 'main', matchedBy: 'default' });
  });

  it('a more specific tier wins over an earlier binding of a less specific tier', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'c', match: { channel: 'discord', accountId: '*' } },
      { agentId: 'b', match: { channel: 'discord', guildId: 'g' } },
      { agentId: 'a', match: { channel: 'discord', peer: { kind: 'channel', id: '1' } } },
    ];
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '1' }, guildId: 'g' }).agentId,
    ).toBe('a');
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '2' }, guildId: 'g' }).agentId,
    ).toBe('b');
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '2' }, guildId: 'h' }).agentId,
    ).toBe('c');
  });

  it('within a tier the first binding in source order wins, across account-specific and "*" bindings', () => {
    const peer = { kind: 'direct', id: 'u' } as const;
    const anyFirst: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'x', accountId: '*', peer } },
      { agentId: 'b', match: { channel: 'x', accountId: 'work', peer } },
    ];
    expect(route(anyFirst, { channel: 'x', accountId: 'work', peer }).agentId).toBe('a');
    expect(route([...anyFirst].reverse(), { channel: 'x', accountId: 'work', peer }).agentId).toBe('b');
  });
});

describe('candidate set: channel and account semantics (routing.md §2, §4.2)', () => {
  it('a binding without accountId applies to the default account only', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'telegram', peer: { kind: 'direct', id: '1' } } },
    ];
    expect(route(bindings, { channel: 'telegram', peer: { kind: 'direct', id: '1' } }).agentId).toBe('a');
    expect(
      route(bindings, { channel: 'telegram', accountId: 'work', peer: { kind: 'direct', id: '1' } }).agentId,
    ).toBe('main');
  });

  it('an empty binding accountId also means the default account', () => {
    const bindings: BindingConfig[] = [{ agentId: 'a', match: { channel: 'telegram', accountId: ' ' } }];
    expect(route(bindings, { channel: 'telegram' }).matchedBy).toBe('binding.account');
    expect(route(bindings, { channel: 'telegram', accountId: 'work' }).matchedBy).toBe('default');
  });

  it('accountId "*" matches every account', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'telegram', accountId: ' * ', peer: { kind: 'direct', id: '1' } } },
    ];
    expect(
      route(bindings, { channel: 'telegram', accountId: 'any', peer: { kind: 'direct', id: '1' } }).agentId,
    ).toBe('a');
  });

  it('channel and account are compared case-insensitively, without aliases', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: ' Telegram ', accountId: 'WORK' } },
      { agentId: 'b', match: { channel: 'imsg', accountId: '*' } },
    ];
    expect(route(bindings, { channel: 'TELEGRAM', accountId: 'work' })).toMatchObject({
      agentId: 'a',
      channel: 'telegram',
      accountId: 'work',
    });
    expect(route(bindings, { channel: 'imessage' }).matchedBy).toBe('default');
  });

  it('an input account named __proto__ is the default account', () => {
    const r = route([{ agentId: 'a', match: { channel: 'x' } }], { channel: 'x', accountId: '__proto__' });
    expect(r).toMatchObject({ accountId: 'default', agentId: 'a' });
  });

  it('peer, guild, team and role ids are compared exactly (case-sensitive)', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'slack', peer: { kind: 'channel', id: 'C1abc' } } },
      { agentId: 'b', match: { channel: 'slack', teamId: 'Tx' } },
    ];
    expect(route(bindings, { channel: 'slack', peer: { kind: 'channel', id: 'c1abc' } }).agentId).toBe(
      'main',
    );
    expect(route(bindings, { channel: 'slack', peer: { kind: 'channel', id: ' C1abc ' } }).agentId).toBe('a');
    expect(route(bindings, { channel: 'slack', teamId: 'tx' }).agentId).toBe('main');
  });

  it('group and channel kinds are interchangeable for matching but the key keeps the runtime kind', () => {
    const r = route([{ agentId: 'a', match: { channel: 'x', peer: { kind: 'group', id: 'g' } } }], {
      channel: 'x',
      peer: { kind: 'channel', id: 'g' },
    });
    expect(r).toMatchObject({ matchedBy: 'binding.peer', sessionKey: 'agent:a:x:channel:g' });
  });

  it('a direct peer binding never matches a group with the same id', () => {
    const r = route([{ agentId: 'a', match: { channel: 'x', peer: { kind: 'dm', id: 'g' } } }], {
      channel: 'x',
      peer: { kind: 'group', id: 'g' },
    });
    expect(r.matchedBy).toBe('default');
  });

  it('a peer binding with a guild or team needs them to match too, and never acts guild-wide', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'discord', guildId: 'g', peer: { kind: 'channel', id: '1' } } },
    ];
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '1' }, guildId: 'g' }).agentId,
    ).toBe('a');
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '1' }, guildId: 'h' }).agentId,
    ).toBe('main');
    expect(
      route(bindings, { channel: 'discord', peer: { kind: 'channel', id: '2' }, guildId: 'g' }).matchedBy,
    ).toBe('default');
  });

  it('a guild + team binding is a guild binding that also requires the team', () => {
    const bindings: BindingConfig[] = [{ agentId: 'a', match: { channel: 'x', guildId: 'g', teamId: 't' } }];
    expect(route(bindings, { channel: 'x', guildId: 'g', teamId: 't' }).matchedBy).toBe('binding.guild');
    expect(route(bindings, { channel: 'x', guildId: 'g' }).matchedBy).toBe('default');
    expect(route(bindings, { channel: 'x', teamId: 't' }).matchedBy).toBe('default');
  });

  it('a roles-only binding is an account or channel binding gated by roles', () => {
    const bindings: BindingConfig[] = [
      { agentId: 'a', match: { channel: 'discord', roles: ['vip'] } },
      { agentId: 'b', match: { channel: 'discord', accountId: '*', roles: ['staff'] } },
    ];
    expect(route(bindings, { channel: 'discord', memberRoleIds: ['vip'] }).matchedBy).toBe('binding.account');
    expect(route(bindings, { channel: 'discord', memberRoleIds: ['staff'] }).matchedBy).toBe(
      'binding.channel',
    );
    expect(route(bindings, { channel: 'discord', memberRoleIds: [] }).matchedBy).toBe('default');
  });

  it('ACP bindings never take part in routing', () => {
    const r = route([{ type: 'acp', agentId: 'a', match: { channel: 'x', accountId: '*' } }], {
      channel: 'x',
    });
    expect(r.matchedBy).toBe('default');
  });
});

describe('session keys of routes (routing.md §4.5)', () => {
  it('uses session.dmScope, with a per-binding dmScope winning', () => {
    const bindings: BindingConfig[] = [
      {
        agentId: 'a',
        match: { channel: 'x', peer: { kind: 'direct', id: 'vip' } },
        session: { dmScope: 'per-peer' },
      },
    ];
    const config = { session: { dmScope: 'main' as const } };
    expect(route(bindings, { channel: 'x', peer: { kind: 'direct', id: 'vip' } }, config).sessionKey).toBe(
      'agent:a:direct:vip',
    );
    expect(route(bindings, { channel: 'x', peer: { kind: 'direct', id: 'other' } }, config).sessionKey).toBe(
      'agent:main:main',
    );
  });

  it('applies per-call dmScope and groupScope below a binding override', () => {
    const r = route([], { channel: 'x', peer: { kind: 'direct', id: 'u' }, dmScope: 'per-channel-peer' });
    expect(r.sessionKey).toBe('agent:main:x:direct:u');
    const g = route([], { channel: 'x', peer: { kind: 'group', id: 'g' }, groupScope: 'main' });
    expect(g.sessionKey).toBe('agent:main:main');
  });

  it('applies a per-binding groupScope', () => {
    const r = route(
      [{ agentId: 'a', match: { channel: 'x', accountId: '*' }, session: { groupScope: 'main' } }],
      {
        channel: 'x',
        peer: { kind: 'group', id: 'g' },
      },
    );
    expect(r).toMatchObject({ sessionKey: 'agent:a:main', lastRoutePolicy: 'main' });
  });

  it('reports lastRoutePolicy main for the main session and session otherwise', () => {
    expect(route([], { channel: 'x', peer: { kind: 'direct', id: 'u' } })).toMatchObject({
      sessionKey: 'agent:main:main',
      mainSessionKey: 'agent:main:main',
      lastRoutePolicy: 'main',
    });
    expect(route([], { channel: 'x', peer: { kind: 'group', id: 'g' } }).lastRoutePolicy).toBe('session');
  });

  it('uses the configured mainKey for both keys', () => {
    expect(route([], { channel: 'x' }, { session: { mainKey: ' Home ' } })).toMatchObject({
      sessionKey: 'agent:main:home',
      mainSessionKey: 'agent:main:home',
    });
  });

  it('adds the thread suffix for a threadId and escapes it', () => {
    const r = route([], { channel: 'slack', peer: { kind: 'channel', id: 'C1' }, threadId: '17:00' });
    expect(r).toMatchObject({
      sessionKey: 'agent:main:slack:channel:C1:thread:17%3A00',
      lastRoutePolicy: 'session',
    });
  });

  it('keeps id case unless the channel is declared case-insensitive', () => {
    const config: RoutingConfig = { agents, session: { dmScope: 'per-channel-peer' } };
    const input = { channel: 'telegram', peer: { kind: 'direct', id: 'AbC' }, threadId: 'Th' } as const;
    expect(createRouter(config).resolve(input).sessionKey).toBe('agent:main:telegram:direct:AbC:thread:Th');
    expect(createRouter(config, { caseInsensitiveChannels: ['Telegram'] }).resolve(input).sessionKey).toBe(
      'agent:main:telegram:direct:abc:thread:th',
    );
  });

  it('applies identity links in routed DM keys', () => {
    const r = route(
      [],
      { channel: 'telegram', peer: { kind: 'direct', id: '111' } },
      {
        session: { dmScope: 'per-peer', identityLinks: { alice: ['telegram:111'] } },
      },
    );
    expect(r.sessionKey).toBe('agent:main:direct:alice');
  });

  it('chooses the first default:true agent, else the first agent, else main', () => {
    expect(
      createRouter({ agents: { list: [{ id: 'x' }, { id: 'y', default: true }] } }).resolve({ channel: 'c' })
        .agentId,
    ).toBe('y');
    expect(
      createRouter({ agents: { list: [{ id: 'X' }, { id: 'y' }] } }).resolve({ channel: 'c' }).agentId,
    ).toBe('x');
    expect(createRouter({}).resolve({ channel: 'c' }).agentId).toBe('main');
  });

  it('routes unbound traffic to a per-call defaultAgentId, which must be in the roster', () => {
    const router = createRouter({ agents });
    expect(router.resolve({ channel: 'c', defaultAgentId: 'B' }).agentId).toBe('b');
    expect(() => router.resolve({ channel: 'c', defaultAgentId: 'zz' })).toThrow(InvalidMessageError);
  });
});

describe('route input validation', () => {
  const router = createRouter({ agents });

  it('rejects a missing or blank channel and a bad peer kind, naming the field', () => {
    const cases: [unknown, string][] = [
      [{}, 'channel'],
      [{ channel: '  ' }, 'channel'],
      [{ channel: 'x', peer: { kind: 'thread', id: '1' } }, 'peer.kind'],
      [{ channel: 'x', peer: { kind: 'group', id: {} } }, 'peer.id'],
      [{ channel: 'x', parentPeer: 'p' }, 'parentPeer'],
      [{ channel: 'x', guildId: true }, 'guildId'],
      [{ channel: 'x', memberRoleIds: 'r' }, 'memberRoleIds'],
      [{ channel: 'x', accountId: 1 }, 'accountId'],
      [{ channel: 'x', threadId: {} }, 'threadId'],
      [{ channel: 'x', dmScope: 'per_peer' }, 'dmScope'],
      [null, ''],
    ];
    for (const [input, path] of cases) {
      try {
        router.resolve(input as never);
        expect.unreachable(JSON.stringify(input));
      } catch (error) {
        expect(InvalidMessageError.isInstance(error)).toBe(true);
        expect((error as InvalidMessageError).issues[0]?.path).toBe(path);
      }
    }
  });

  it('accepts an InboundMessage as is, and numeric ids', () => {
    const message: InboundMessage = {
      channel: 'discord',
      accountId: 'default',
      messageId: 'm1',
      peer: { kind: 'channel', id: '42' },
      guildId: '7',
      memberRoleIds: ['r1'],
      sender: { id: 'u1' },
      text: 'hi',
      timestamp: 0,
    };
    expect(router.resolve(message).sessionKey).toBe('agent:main:discord:channel:42');
    expect(
      router.resolve({ channel: 'discord', peer: { kind: 'channel', id: 42n }, memberRoleIds: [5] })
        .sessionKey,
    ).toBe('agent:main:discord:channel:42');
  });

  it('returns frozen, plain, serializable results', () => {
    const r = router.resolve({ channel: 'x' });
    expect(Object.isFrozen(r)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(Object.keys(r).sort()).toEqual(
      [
        'accountId',
        'agentId',
        'channel',
        'lastRoutePolicy',
        'mainSessionKey',
        'matchedBy',
        'sessionKey',
      ].sort(),
    );
  });

  it('is unaffected by later mutation of the config object', () => {
    const config = { agents, bindings: [{ agentId: 'a', match: { channel: 'x' } }] };
    const r = createRouter(config);
    config.bindings[0] = { agentId: 'b', match: { channel: 'x' } };
    expect(r.resolve({ channel: 'x' }).agentId).toBe('a');
  });
});
