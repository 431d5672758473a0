import type { InboundMessage } from '@claw/channel-kit';
import { createRouter, type RoutingConfig } from '@claw/core';
import { style } from './style.js';

/** The routing part of the demo's config: three agents, bindings by team, guild role and peer. */
export const routingConfig = {
  agents: { list: [{ id: 'main', default: true }, { id: 'support' }, { id: 'ops' }] },
  bindings: [
    { agentId: 'support', match: { channel: 'slack', teamId: 'T0SUPPORT' } },
    { agentId: 'ops', match: { channel: 'discord', guildId: '81384788765712384', roles: ['1035'] } },
    { agentId: 'ops', match: { channel: 'telegram', peer: { kind: 'group', id: '-1001700000000' } } },
  ],
  session: { dmScope: 'per-channel-peer' },
} satisfies RoutingConfig;

const at = Date.UTC(2026, 10, 21, 9, 0);

/** A handful of realistic messages: a DM, a group, a thread, a Discord guild, a Telegram topic. */
export const previewMessages: { label: string; message: InboundMessage }[] = [
  {
    label: 'Telegram DM from Alice',
    message: {
      channel: 'telegram',
      messageId: '101',
      peer: { kind: 'direct', id: '5000000001' },
      sender: { id: '5000000001', username: 'alice' },
      text: 'this stays between us…',
      timestamp: at,
    },
  },
  {
    label: 'Slack support workspace, #help',
    message: {
      channel: 'slack',
      messageId: '1732180000.000100',
      peer: { kind: 'channel', id: 'C0HELP' },
      teamId: 'T0SUPPORT',
      sender: { id: 'U0BOB' },
      text: '@claw my invoice is wrong',
      timestamp: at + 1000,
    },
  },
  {
    label: 'Slack thread under that message',
    message: {
      channel: 'slack',
      messageId: '1732180050.000200',
      peer: { kind: 'channel', id: 'C0HELP' },
      teamId: 'T0SUPPORT',
      threadId: '1732180000.000100',
      sender: { id: 'U0BOB' },
      text: 'here is the PDF',
      timestamp: at + 2000,
    },
  },
  {
    label: 'Discord guild, member with the on-call role',
    message: {
      channel: 'discord',
      messageId: '1100000000000000900',
      peer: { kind: 'channel', id: '1100000000000000555' },
      guildId: '81384788765712384',
      memberRoleIds: ['1035'],
      sender: { id: '1100000000000000042' },
      text: '<@1100000000000000001> prod is down',
      timestamp: at + 3000,
    },
  },
  {
    label: 'Telegram forum topic "CI" in the dev-team group',
    message: {
      channel: 'telegram',
      messageId: '102',
      peer: { kind: 'group', id: '-1001700000000:topic:42' },
      parentPeer: { kind: 'group', id: '-1001700000000' },
      sender: { id: '5000000002' },
      text: '@claw_bot why did CI fail?',
      timestamp: at + 4000,
    },
  },
  {
    label: 'Matrix room whose id contains ":" (escaped, never collides)',
    message: {
      channel: 'matrix',
      messageId: '$ev1',
      peer: { kind: 'channel', id: '!Ops:example.org' },
      sender: { id: '@carol:example.org' },
      text: 'hello',
      timestamp: at + 5000,
    },
  },
];

/** Print agent, session key and the router's explanation for each preview message. */
export function printRoutePreview(): void {
  const router = createRouter(routingConfig);
  console.log(style.bold('\n── Routing: which agent, which session ──\n'));
  for (const { label, message } of previewMessages) {
    const route = router.explain(message);
    console.log(`${style.cyan(label)}  ${style.dim(`"${message.text}"`)}`);
    console.log(`  agent ${style.green(route.agentId)} via ${style.yellow(route.matchedBy)}`);
    console.log(`  session ${style.magenta(route.sessionKey)}`);
    for (const line of route.lines.slice(1, -1)) console.log(style.dim(`  ${line.trim()}`));
    console.log();
  }
}
