import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSessionKey, type DmScope, type GroupScope } from '../keys/index.js';
import { createRouter } from './router.js';
import type { BindingConfig, RoutingConfig } from './schema.js';
import type { MatchedBy, ResolvedRoute, RouteInput, RoutePeer } from './types.js';

/**
 * A deliberately naive reference: the tier table of routing.md §4.3 as a linear scan over the
 * bindings in source order, with no index. The router must agree with it on every input.
 */
function referenceResolve(config: RoutingConfig, input: RouteInput): ResolvedRoute {
  const lower = (s: string) => s.trim().toLowerCase();
  const account = (s: string | undefined) => {
    const t = (s ?? '').trim().toLowerCase();
    return t === '' || t === '__proto__' ? 'default' : t; // the pools below only use simple ids
  };
  const kindOf = (k: string) =>
    ({ direct: 'direct', dm: 'direct', group: 'group', supergroup: 'group', channel: 'channel' })[lower(k)] ??
    'invalid';
  const sameKind = (a: string, b: string) =>
    a === 'direct' ? b === 'direct' : b === 'group' || b === 'channel';
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

  const channel = lower(input.channel);
  const accountId = account(input.accountId);
  const peer = input.peer ?? undefined;
  const parent = input.parentPeer ?? undefined;
  const guild = str(input.guildId);
  const team = str(input.teamId);
  const roles = (input.memberRoleIds ?? []).map(String);

  const candidates = (config.bindings ?? [])
    .filter((b) => b.type !== 'acp')
    .filter((b) => lower(b.match.channel) === channel)
    .filter((b) => {
      const pattern = (b.match.accountId ?? '').trim();
      return pattern === '*' || account(pattern) === accountId;
    });

  const scopeOk = (b: BindingConfig) =>
    (b.match.guildId === undefined || str(b.match.guildId) === guild) &&
    (b.match.teamId === undefined || str(b.match.teamId) === team) &&
    (b.match.roles === undefined ||
      b.match.roles.length === 0 ||
      b.match.roles.some((r) => roles.includes(String(r))));
  const peerMatches = (b: BindingConfig, p: RoutePeer) =>
    b.match.peer !== undefined &&
    str(b.match.peer.id) !== '*' &&
    sameKind(kindOf(b.match.peer.kind), kindOf(p.kind)) &&
    str(b.match.peer.id) === str(p.id);
  const noPeer = (b: BindingConfig) => b.match.peer === undefined;
  const hasRoles = (b: BindingConfig) => (b.match.roles?.length ?? 0) > 0;

  const tiers: [MatchedBy, boolean, (b: BindingConfig) => boolean][] = [
    ['binding.peer', peer !== undefined, (b) => peerMatches(b, peer as RoutePeer)],
    [
      'binding.peer.parent',
      parent !== undefined && str(parent.id) !== '',
      (b) => peerMatches(b, parent as RoutePeer),
    ],
    [
      'binding.peer.wildcard',
      peer !== undefined,
      (b) =>
        b.match.peer !== undefined &&
        str(b.match.peer.id) === '*' &&
        sameKind(kindOf(b.match.peer.kind), kindOf((peer as RoutePeer).kind)),
    ],
    [
      'binding.guild+roles',
      guild !== '' && roles.length > 0,
      (b) => noPeer(b) && str(b.match.guildId) === guild && hasRoles(b),
    ],
    ['binding.guild', guild !== '', (b) => noPeer(b) && str(b.match.guildId) === guild && !hasRoles(b)],
    [
      'binding.team',
      team !== '',
      (b) => noPeer(b) && b.match.guildId === undefined && str(b.match.teamId) === team,
    ],
    [
      'binding.account',
      true,
      (b) =>
        noPeer(b) &&
        b.match.guildId === undefined &&
        b.match.teamId === undefined &&
        (b.match.accountId ?? '').trim() !== '*',
    ],
    [
      'binding.channel',
      true,
      (b) =>
        noPeer(b) &&
        b.match.guildId === undefined &&
        b.match.teamId === undefined &&
        (b.match.accountId ?? '').trim() === '*',
    ],
  ];
  let matchedBy: MatchedBy = 'default';
  let binding: BindingConfig | undefined;
  for (const [name, enabled, test] of tiers) {
    if (!enabled) continue;
    binding = candidates.find((b) => test(b) && scopeOk(b));
    if (binding !== undefined) {
      matchedBy = name;
      break;
    }
  }
  const list = config.agents?.list ?? [];
  const agentId = lower(binding?.agentId ?? list.find((a) => a.default)?.id ?? list[0]?.id ?? 'main');
  const session = config.session ?? {};
  const dmScope: DmScope = binding?.session?.dmScope ?? session.dmScope ?? 'main';
  const groupScope: GroupScope = binding?.session?.groupScope ?? session.groupScope ?? 'per-group';
  const sessionKey = buildSessionKey({
    agentId,
    channel,
    accountId,
    peer: peer === undefined ? undefined : { kind: peer.kind as 'direct', id: peer.id },
    dmScope,
    groupScope,
    mainKey: session.mainKey,
    threadId: input.threadId ?? undefined,
  });
  const mainSessionKey = `agent:${agentId}:${lower(session.mainKey ?? '') || 'main'}`;
  return {
    agentId,
    channel,
    accountId,
    sessionKey,
    mainSessionKey,
    lastRoutePolicy: sessionKey === mainSessionKey ? 'main' : 'session',
    matchedBy,
  };
}

const agentIds = ['main', 'a', 'b'];
const channel = fc.constantFrom('x', 'y', 'X ');
const peerArb = fc.record({
  kind: fc.constantFrom('direct', 'group', 'channel', 'dm', 'Supergroup'),
  id: fc.constantFrom('p1', 'p2', 'P1', '*', 7),
});
const inputPeerArb = fc.record({
  kind: fc.constantFrom('direct', 'group', 'channel', 'dm'),
  id: fc.constantFrom('p1', 'p2', 'P1', '', 7),
});
const ids = (values: (string | number)[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const rolesArb = fc.option(fc.subarray(['r1', 'r2', 'r3']), { nil: undefined });

const bindingArb: fc.Arbitrary<BindingConfig> = fc
  .record({
    type: fc.constantFrom(undefined, 'route', 'acp'),
    agentId: fc.constantFrom(...agentIds, 'A'),
    channel,
    accountId: fc.constantFrom(undefined, '', 'default', 'w', 'W', '*'),
    peer: fc.option(peerArb, { nil: undefined }),
    guildId: ids(['g1', 'g2', 1]),
    teamId: ids(['t1', 't2']),
    roles: rolesArb,
    dmScope: fc.constantFrom(undefined, 'main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer'),
    groupScope: fc.constantFrom(undefined, 'main', 'per-group'),
  })
  .map((r) => {
    const match: Record<string, unknown> = { channel: r.channel };
    for (const key of ['accountId', 'peer', 'guildId', 'teamId', 'roles'] as const)
      if (r[key] !== undefined) match[key] = r[key];
    const session: Record<string, unknown> = {};
    if (r.dmScope !== undefined) session.dmScope = r.dmScope;
    if (r.groupScope !== undefined) session.groupScope = r.groupScope;
    return {
      ...(r.type === undefined ? {} : { type: r.type }),
      agentId: r.agentId,
      match,
      ...(Object.keys(session).length > 0 ? { session } : {}),
    } as BindingConfig;
  });

const configArb: fc.Arbitrary<RoutingConfig> = fc.record({
  agents: fc.constantFrom(
    { list: [{ id: 'main' }, { id: 'a' }, { id: 'b' }] },
    {
      list: [{ id: 'a' }, { id: 'b', default: true }, { id: 'main' }],
    },
  ),
  bindings: fc.array(bindingArb, { maxLength: 25 }),
  session: fc.record(
    {
      dmScope: fc.constantFrom('main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer'),
      groupScope: fc.constantFrom('main', 'per-group'),
      mainKey: fc.constantFrom('main', 'Home'),
    },
    { requiredKeys: [] },
  ),
});

const inputArb: fc.Arbitrary<RouteInput> = fc.record(
  {
    channel,
    accountId: fc.constantFrom('default', 'w', 'W ', 'z', ''),
    peer: inputPeerArb,
    parentPeer: inputPeerArb,
    guildId: fc.constantFrom('g1', 'g2', 1, ''),
    teamId: fc.constantFrom('t1', 't2'),
    memberRoleIds: fc.subarray(['r1', 'r2', 'r3']),
    threadId: fc.constantFrom('th', 'T:1'),
  },
  { requiredKeys: ['channel'] },
);

describe('the indexed router agrees with a linear-scan reference (fast-check)', () => {
  it('resolve equals the reference on random configs and inputs', () => {
    fc.assert(
      fc.property(configArb, fc.array(inputArb, { minLength: 1, maxLength: 10 }), (config, inputs) => {
        const router = createRouter(config);
        for (const input of inputs) expect(router.resolve(input)).toEqual(referenceResolve(config, input));
      }),
      { numRuns: 500 },
    );
  });

  it('explain reports the same route and a binding of the reported tier', () => {
    fc.assert(
      fc.property(configArb, inputArb, (config, input) => {
        const router = createRouter(config);
        const explanation = router.explain(input);
        expect(explanation).toMatchObject(router.resolve(input));
        const last = explanation.tiersTried.at(-1);
        expect(last?.matchedBy).toBe(explanation.matchedBy);
        expect(last?.matchedBindingIndex).toBe(explanation.bindingIndex);
        if (explanation.bindingIndex !== undefined) {
          expect(explanation.binding).toBe(config.bindings?.[explanation.bindingIndex]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
