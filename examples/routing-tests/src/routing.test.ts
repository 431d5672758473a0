/**
 * Unit tests for routing: which agent answers a message, and in which session. No network, no
 * runtime — `createRouter(config).resolve(message)` is a pure function of your config and the
 * message. Copy this file and replace the config with yours (load it from the file your app
 * reads, so the tests guard your production rules).
 */
import { buildSessionKey, ConfigError, createRouter, type RouteInput, type RoutingConfig } from '@claw/core';
import { describe, expect, it } from 'vitest';

// 1. Your routing rules, exactly as in your app's config. createRouter validates them once:
//    an unknown agent, a typo or an unprefixed identity link throws a ConfigError right here.
const config: RoutingConfig = {
  agents: {
    list: [{ id: 'main', default: true }, { id: 'support' }, { id: 'ops' }, { id: 'mods' }, { id: 'family' }],
  },
  bindings: [
    /* 0 */ { agentId: 'ops', match: { channel: 'slack', teamId: 'T-OPS' } },
    /* 1 */ { agentId: 'support', match: { channel: 'discord', peer: { kind: 'channel', id: 'C-support' } } },
    /* 2 */ { agentId: 'mods', match: { channel: 'discord', guildId: 'G1', roles: ['R-mod'] } },
    /* 3 */ { agentId: 'ops', match: { channel: 'discord', guildId: 'G1' } },
    /* 4 */ { agentId: 'family', match: { channel: 'telegram', peer: { kind: 'group', id: '-100family' } } },
    /* 5 */ { agentId: 'support', match: { channel: 'telegram', accountId: 'helpdesk' } },
    /* 6 */ { agentId: 'support', match: { channel: 'whatsapp', accountId: '*' } },
  ],
  session: { dmScope: 'per-channel-peer' },
};
const router = createRouter(config);

// 2. A tiny helper so each expectation reads as "this message → that agent, that session".
const route = (input: RouteInput) => {
  const { agentId, sessionKey, matchedBy } = router.resolve(input);
  return { agentId, sessionKey, matchedBy };
};

describe('tiers: the most specific binding wins, whatever the config order', () => {
  it('a binding for the exact channel beats the guild-wide one', () => {
    expect(route({ channel: 'discord', guildId: 'G1', peer: { kind: 'channel', id: 'C-support' } })).toEqual({
      agentId: 'support',
      sessionKey: 'agent:support:discord:channel:C-support',
      matchedBy: 'binding.peer',
    });
  });

  it('in the guild, a member with the moderator role gets mods, everyone else ops', () => {
    const inGuild = { channel: 'discord', guildId: 'G1', peer: { kind: 'channel', id: 'C-lobby' } };
    expect(route({ ...inGuild, memberRoleIds: ['R-member', 'R-mod'] })).toMatchObject({
      agentId: 'mods',
      matchedBy: 'binding.guild+roles',
    });
    expect(route({ ...inGuild, memberRoleIds: ['R-member'] })).toMatchObject({
      agentId: 'ops',
      matchedBy: 'binding.guild',
    });
  });

  it('a whole Slack workspace goes to one agent; another workspace does not', () => {
    expect(route({ channel: 'slack', teamId: 'T-OPS', peer: { kind: 'channel', id: 'C1' } })).toMatchObject({
      agentId: 'ops',
      matchedBy: 'binding.team',
    });
    expect(route({ channel: 'slack', teamId: 'T-OTHER', peer: { kind: 'channel', id: 'C1' } })).toMatchObject(
      {
        agentId: 'main',
        matchedBy: 'default',
      },
    );
  });

  it('an account binding covers that bot account only; accountId "*" covers every account', () => {
    const dm = { kind: 'direct', id: '42' } as const;
    expect(route({ channel: 'telegram', accountId: 'helpdesk', peer: dm })).toMatchObject({
      agentId: 'support',
      matchedBy: 'binding.account',
    });
    expect(route({ channel: 'telegram', peer: dm }).agentId).toBe('main');
    expect(route({ channel: 'whatsapp', accountId: 'second-phone', peer: dm })).toMatchObject({
      agentId: 'support',
      matchedBy: 'binding.channel',
    });
  });

  it('every DM sender gets a private session (dmScope per-channel-peer)', () => {
    expect(route({ channel: 'telegram', peer: { kind: 'direct', id: '111' } }).sessionKey).toBe(
      'agent:main:telegram:direct:111',
    );
    expect(route({ channel: 'telegram', peer: { kind: 'direct', id: '222' } }).sessionKey).toBe(
      'agent:main:telegram:direct:222',
    );
  });
});

describe('threads and topics', () => {
  it('a Discord thread inherits its parent channel’s agent, in a session of its own', () => {
    expect(
      route({
        channel: 'discord',
        guildId: 'G1',
        peer: { kind: 'channel', id: 'TH-9' }, // a Discord thread is a channel of its own …
        parentPeer: { kind: 'channel', id: 'C-support' }, // … inside the bound channel
      }),
    ).toEqual({
      agentId: 'support',
      sessionKey: 'agent:support:discord:channel:TH-9',
      matchedBy: 'binding.peer.parent',
    });
  });

  it('a Telegram forum topic inherits its group’s agent, one session per topic', () => {
    const topic = (n: number) =>
      route({
        channel: 'telegram',
        peer: { kind: 'group', id: `-100family:topic:${n}` },
        parentPeer: { kind: 'group', id: '-100family' },
      });
    expect(topic(3)).toMatchObject({
      agentId: 'family',
      sessionKey: 'agent:family:telegram:group:-100family:topic:3',
    });
    expect(topic(4).sessionKey).not.toBe(topic(3).sessionKey);
  });

  it('a Slack thread keeps the channel’s agent and adds :thread:<ts> to the session', () => {
    const channel = { channel: 'slack', teamId: 'T-OPS', peer: { kind: 'channel', id: 'C1' } } as const;
    expect(route({ ...channel, threadId: '1712.5' }).sessionKey).toBe(
      `${route(channel).sessionKey}:thread:1712.5`,
    );
  });

  it('an id crafted to look like a thread never reaches the thread’s session', () => {
    const thread = route({ channel: 'slack', peer: { kind: 'channel', id: 'C1' }, threadId: 'T1' });
    const crafted = route({ channel: 'slack', peer: { kind: 'channel', id: 'C1:thread:T1' } });
    expect(crafted.sessionKey).not.toBe(thread.sessionKey);
    expect(crafted.sessionKey).toBe(
      buildSessionKey({ channel: 'slack', peer: { kind: 'channel', id: 'C1:thread:T1' } }),
    );
  });
});

describe('explain(): assert on why, not only on what', () => {
  it('names the binding that decided and the tiers tried before it', () => {
    const why = router.explain({
      channel: 'discord',
      guildId: 'G1',
      memberRoleIds: ['R-member'],
      peer: { kind: 'channel', id: 'C-lobby' },
    });
    expect(why.bindingIndex).toBe(3);
    expect(why.binding).toEqual(config.bindings![3]);
    expect(why.tiersTried.map((t) => t.matchedBy)).toEqual([
      'binding.peer',
      'binding.peer.wildcard',
      'binding.guild+roles',
      'binding.guild',
    ]);
    // The role binding was a candidate but did not match: this member lacks the role.
    expect(why.tiersTried[2]).toMatchObject({ candidates: 1 });
    expect(why.tiersTried[2]!.matchedBindingIndex).toBeUndefined();
    expect(String(why)).toContain('→ agent "ops" (binding.guild)');
  });

  it('says when nothing matched and the default agent answers', () => {
    const why = router.explain({ channel: 'signal', peer: { kind: 'direct', id: '+15550100' } });
    expect(why).toMatchObject({ agentId: 'main', matchedBy: 'default' });
    expect(why.bindingIndex).toBeUndefined();
  });
});

describe('config errors: caught when the router is created, listed by path', () => {
  function issuesOf(broken: RoutingConfig): { path: string; message: string }[] {
    try {
      createRouter(broken);
    } catch (error) {
      if (ConfigError.isInstance(error)) return [...error.issues];
      throw error;
    }
    throw new Error('expected createRouter to throw a ConfigError');
  }

  it('a binding to an agent that does not exist is an error, not a silent fallback', () => {
    const issues = issuesOf({
      ...config,
      bindings: [...config.bindings!, { agentId: 'suport', match: { channel: 'telegram' } }],
    });
    expect(issues).toEqual([
      { path: 'bindings.7.agentId', message: expect.stringContaining('unknown agent "suport"') },
    ]);
  });

  it('every problem is reported at once', () => {
    const issues = issuesOf({
      ...config,
      bindings: [
        { agentId: 'ops', match: { channel: 'discord', peer: { kind: 'room' as 'channel', id: '1' } } },
        { agentId: 'ghost', match: { channel: 'slack' } },
      ],
      session: { identityLinks: { alice: ['111'] } },
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'bindings.0.match.peer.kind',
      'bindings.1.agentId',
      'session.identityLinks.alice.0',
    ]);
  });
});
