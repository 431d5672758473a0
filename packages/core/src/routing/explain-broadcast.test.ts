import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import type { RoutingConfig } from './schema.js';

const config: RoutingConfig = {
  agents: { list: [{ id: 'main', default: true }, { id: 'a' }, { id: 'b' }] },
  bindings: [
    { agentId: 'a', match: { channel: 'discord', accountId: '*' } },
    { agentId: 'b', match: { channel: 'discord', guildId: 'g' }, comment: 'guild' },
  ],
  session: { dmScope: 'per-channel-peer' },
  broadcast: {
    strategy: 'sequential',
    'whatsapp:120363@g.us': ['a', 'b'],
    'discord:9': { agents: ['main', 'a', 'b'], maxRounds: 2 },
    'telegram:5': [],
  },
};

describe('explain shows the tiers tried and the deciding binding', () => {
  const router = createRouter(config);

  it('returns the resolve result plus the tiers tried, binding index and binding', () => {
    const input = { channel: 'discord', peer: { kind: 'channel', id: '1' }, guildId: 'g' } as const;
    const explanation = router.explain(input);
    expect(explanation).toMatchObject(router.resolve(input));
    expect(
      explanation.tiersTried.map((t) => [t.tier, t.matchedBy, t.candidates, t.matchedBindingIndex]),
    ).toEqual([
      [1, 'binding.peer', 0, undefined],
      [3, 'binding.peer.wildcard', 0, undefined],
      [5, 'binding.guild', 1, 1],
    ]);
    expect(explanation.bindingIndex).toBe(1);
    expect(explanation.binding).toEqual(config.bindings?.[1]);
  });

  it('prints a readable trace ending in the decision', () => {
    const text = String(router.explain({ channel: 'telegram', peer: { kind: 'direct', id: 'u' } }));
    expect(text.split('\n')).toEqual([
      'route channel "telegram", account "default", peer direct:u',
      '  tier 1 binding.peer: 0 candidate(s), no match',
      '  tier 3 binding.peer.wildcard: 0 candidate(s), no match',
      '  tier 7 binding.account: 0 candidate(s), no match',
      '  tier 8 binding.channel: 0 candidate(s), no match',
      '  tier 9 default: 0 candidate(s), default agent "main"',
      '→ agent "main" (default), session agent:main:telegram:direct:u',
    ]);
  });

  it('has no binding for the default route and stays serializable', () => {
    const explanation = router.explain({ channel: 'slack' });
    expect(explanation.bindingIndex).toBeUndefined();
    expect(Object.isFrozen(explanation)).toBe(true);
    expect(JSON.parse(JSON.stringify(explanation)).tiersTried).toHaveLength(3);
  });
});

describe('broadcast groups (routing.md §5)', () => {
  const router = createRouter(config);

  it('fans out to every agent with channel-qualified keys and its own session', () => {
    const plan = router.broadcast({ channel: 'WhatsApp', peer: { kind: 'group', id: '120363@g.us' } });
    expect(plan).toMatchObject({
      key: 'whatsapp:120363@g.us',
      strategy: 'sequential',
      mentionGating: true,
      maxRounds: 1,
      maxTurns: 2,
    });
    expect(plan?.routes.map((r) => [r.agentId, r.sessionKey, r.matchedBy])).toEqual([
      ['a', 'agent:a:whatsapp:group:120363@g.us', 'default'],
      ['b', 'agent:b:whatsapp:group:120363@g.us', 'default'],
    ]);
  });

  it('keeps the base route account and matchedBy, and each agent its own main key', () => {
    const plan = router.broadcast({
      channel: 'discord',
      accountId: 'Bot2',
      peer: { kind: 'channel', id: '9' },
    });
    expect(plan?.maxRounds).toBe(2);
    expect(plan?.routes.map((r) => [r.agentId, r.accountId, r.matchedBy, r.mainSessionKey])).toEqual([
      ['main', 'bot2', 'binding.channel', 'agent:main:main'],
      ['a', 'bot2', 'binding.channel', 'agent:a:main'],
      ['b', 'bot2', 'binding.channel', 'agent:b:main'],
    ]);
  });

  it('selects only the mentioned agents under mention gating, all when none is mentioned', () => {
    const input = { channel: 'discord', peer: { kind: 'channel', id: '9' } } as const;
    expect(router.broadcast(input, { mentionedAgentIds: ['B'] })?.routes.map((r) => r.agentId)).toEqual([
      'b',
    ]);
    expect(router.broadcast(input, { mentionedAgentIds: ['nobody'] })?.routes).toHaveLength(3);
  });

  it('returns null when no group matches, when the group is empty, or without a peer', () => {
    expect(router.broadcast({ channel: 'whatsapp', peer: { kind: 'group', id: 'other' } })).toBeNull();
    expect(router.broadcast({ channel: 'telegram', peer: { kind: 'group', id: '5' } })).toBeNull();
    expect(router.broadcast({ channel: 'whatsapp' })).toBeNull();
  });

  it('does not match an unqualified or differently-cased peer id', () => {
    expect(router.broadcast({ channel: 'discord', peer: { kind: 'channel', id: '09' } })).toBeNull();
    expect(router.broadcast({ channel: 'whatsapp', peer: { kind: 'group', id: '120363@G.US' } })).toBeNull();
  });
});
