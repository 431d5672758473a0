/**
 * One gateway, five agents. Bindings decide which agent answers where; a broadcast group makes
 * two of them answer the same group. `main.ts` runs it, `multi-agent.test.ts` pins it down.
 */
import type { AgentHandler, ClawConfig } from '@claw/core';

/** The agents' display names, by id. */
export const AGENT_NAMES = {
  main: 'Generalist',
  support: 'Support team',
  concierge: 'VIP concierge',
  moderator: 'Moderators’ assistant',
  critic: 'Critic',
} as const;

/** The agent ids. */
export type AgentId = keyof typeof AGENT_NAMES;

/** Ids used below, named for readability. */
export const IDS = {
  /** The support team's Slack workspace. */
  supportWorkspace: 'T123',
  /** The VIP's Telegram user id (a DM's peer id is the user id). */
  vip: '4242',
  /** The Discord server, and the role its moderators have. */
  guild: 'G777',
  moderatorRole: 'R-mod',
  /** The Telegram group where the generalist and the critic both answer. */
  reviewGroup: '-100777',
} as const;

/** The whole gateway config: agents, bindings, a broadcast group, DM scope and access rules. */
export const multiAgentConfig = {
  agents: {
    list: (Object.keys(AGENT_NAMES) as AgentId[]).map((id) => ({
      id,
      name: AGENT_NAMES[id],
      ...(id === 'main' ? { default: true } : {}),
    })),
  },

  // The router tries these by tier, not by order: a peer binding beats a guild+role binding,
  // which beats a team binding. Anything unmatched goes to the default agent (`main`).
  bindings: [
    // Every conversation in the support team's Slack workspace.
    { agentId: 'support', match: { channel: 'slack', teamId: IDS.supportWorkspace } },
    // One person's DM: the VIP gets the concierge.
    { agentId: 'concierge', match: { channel: 'telegram', peer: { kind: 'direct', id: IDS.vip } } },
    // In the Discord server, members with the moderator role get the moderators' assistant.
    { agentId: 'moderator', match: { channel: 'discord', guildId: IDS.guild, roles: [IDS.moderatorRole] } },
  ],

  // Both agents answer in the review group, each in its own session, at the same time.
  broadcast: { strategy: 'parallel', [`telegram:${IDS.reviewGroup}`]: ['main', 'critic'] },

  // Several people DM the bot: give each their own session (the default `main` shares one).
  session: { dmScope: 'per-channel-peer' },

  // Who may talk to the bot at all (see docs/access.md).
  channels: {
    slack: {
      dmPolicy: 'open',
      allowFrom: ['*'],
      groupPolicy: 'open',
      groups: { '*': { requireMention: false } },
    },
    telegram: {
      dmPolicy: 'allowlist',
      allowFrom: [IDS.vip, '1001'],
      groupPolicy: 'allowlist',
      groups: { [IDS.reviewGroup]: { requireMention: false, allowFrom: ['*'] } },
    },
    discord: { groupPolicy: 'open', groups: { '*': { requireMention: true } } },
  },
} satisfies ClawConfig;

/** A handler that says who it is and what it was asked. */
function introduce(id: AgentId): AgentHandler {
  return (ctx) => `${AGENT_NAMES[id]} here (${ctx.sessionKey}). You said: ${ctx.messages.at(-1)?.text}`;
}

/** One handler per configured agent. */
export const agents: Record<AgentId, AgentHandler> = {
  main: introduce('main'),
  support: introduce('support'),
  concierge: introduce('concierge'),
  moderator: introduce('moderator'),
  critic: introduce('critic'),
};
