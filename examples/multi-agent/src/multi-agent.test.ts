import type { InboundMessage } from '@claw/channel-kit';
import { ConfigError, createClaw } from '@claw/core';
import { createTestClaw, type TestClaw } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { type Channels, createChannels } from './channels.js';
import { agents, IDS, multiAgentConfig } from './config.js';

/** The gateway on test channels (memory stores, a manual clock), and the channels to talk through. */
function setup(): Channels & { readonly t: TestClaw } {
  const channels = createChannels();
  return {
    ...channels,
    t: createTestClaw({ config: multiAgentConfig, channels: Object.values(channels), agents }),
  };
}

/** Send one message; return the agents and sessions of its turns and the texts posted back to it. */
async function route(t: TestClaw, message: InboundMessage) {
  const { receipt } = await t.send(message);
  return {
    status: receipt.status,
    turns: receipt.turns.map(({ agentId, sessionKey }) => ({ agentId, sessionKey })),
    replies: t.replies(message).map((r) => r.message.text),
  };
}

describe('multi-agent: who answers where', () => {
  it('the support workspace on Slack goes to the support team, one session per channel and thread', async () => {
    const { t, slack } = setup();
    const help = slack.group('export is broken', {
      kind: 'channel',
      groupId: 'C-HELP',
      teamId: IDS.supportWorkspace,
    });
    const thread = slack.thread('still broken?', {
      peerId: 'C-HELP',
      threadId: '1712.5',
      teamId: IDS.supportWorkspace,
    });
    expect((await route(t, help)).turns).toEqual([
      { agentId: 'support', sessionKey: 'agent:support:slack:channel:c-help' },
    ]);
    const inThread = await route(t, thread);
    expect(inThread.turns).toEqual([
      { agentId: 'support', sessionKey: 'agent:support:slack:channel:c-help:thread:1712.5' },
    ]);
    expect(inThread.replies).toEqual([expect.stringMatching(/^Support team here/)]);
    expect(t.router.explain(help).matchedBy).toBe('binding.team');
  });

  it('another Slack workspace falls through to the default agent', async () => {
    const { t, slack } = setup();
    const other = slack.group('hello', { kind: 'channel', groupId: 'C-X', teamId: 'T999' });
    expect((await route(t, other)).turns).toEqual([
      { agentId: 'main', sessionKey: 'agent:main:slack:channel:c-x' },
    ]);
  });

  it('the VIP’s DM goes to the concierge; other allowed DMs to the generalist, each in its own session', async () => {
    const { t, telegram } = setup();
    expect((await route(t, telegram.dm('a table for two', { sender: IDS.vip }))).turns).toEqual([
      { agentId: 'concierge', sessionKey: 'agent:concierge:telegram:direct:4242' },
    ]);
    expect((await route(t, telegram.dm('my calendar?', { sender: '1001' }))).turns).toEqual([
      { agentId: 'main', sessionKey: 'agent:main:telegram:direct:1001' },
    ]);
  });

  it('a stranger’s DM reaches no agent and gets no answer', async () => {
    const { t, telegram } = setup();
    const result = await route(t, telegram.dm('hi?', { sender: '555' }));
    expect(result).toEqual({ status: 'dropped', turns: [], replies: [] });
  });

  it('in the Discord server, the moderator role picks the moderators’ assistant; other members get the generalist', async () => {
    const { t, discord } = setup();
    const ask = (roles: string[], groupId: string) =>
      discord.group('@bot status?', {
        kind: 'channel',
        groupId,
        guildId: IDS.guild,
        memberRoleIds: roles,
        mention: true,
      });
    expect((await route(t, ask([IDS.moderatorRole, 'R-member'], 'C-mod'))).turns).toEqual([
      { agentId: 'moderator', sessionKey: 'agent:moderator:discord:channel:C-mod' },
    ]);
    expect((await route(t, ask(['R-member'], 'C-lobby'))).turns).toEqual([
      { agentId: 'main', sessionKey: 'agent:main:discord:channel:C-lobby' },
    ]);
  });

  it('the review group fans out to the generalist and the critic, each in its own session, both answering there', async () => {
    const { t, telegram } = setup();
    const message = telegram.group('is this plan sound?', { groupId: IDS.reviewGroup });
    const result = await route(t, message);
    expect(result.turns).toEqual([
      { agentId: 'main', sessionKey: 'agent:main:telegram:group:-100777' },
      { agentId: 'critic', sessionKey: 'agent:critic:telegram:group:-100777' },
    ]);
    expect(result.replies.sort()).toEqual([
      expect.stringMatching(/^Critic here \(agent:critic:telegram:group:-100777\)/),
      expect.stringMatching(/^Generalist here \(agent:main:telegram:group:-100777\)/),
    ]);
    // Nothing went anywhere else.
    expect(t.replies()).toHaveLength(2);
  });

  it('a binding to an agent that does not exist is refused when the gateway is created', () => {
    const broken = {
      ...multiAgentConfig,
      bindings: [
        ...multiAgentConfig.bindings,
        { agentId: 'sales', match: { channel: 'slack', teamId: 'T555' } },
      ],
    };
    let error: unknown;
    try {
      createClaw({ config: broken, agents });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ path: 'bindings.3.agentId', message: expect.stringContaining('"sales"') }),
    ]);
  });
});
