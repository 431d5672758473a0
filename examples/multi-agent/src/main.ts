// Who answers where: a few messages through a gateway with five agents.
//   pnpm --filter @claw/example-multi-agent start
import type { InboundMessage } from '@claw/channel-kit';
import { createClaw } from '@claw/core';
import { createChannels } from './channels.js';
import { agents, IDS, multiAgentConfig } from './config.js';

const channels = createChannels();
const { slack, telegram, discord } = channels;
const claw = createClaw({ config: multiAgentConfig, channels: Object.values(channels), agents });

const messages: [label: string, message: InboundMessage][] = [
  [
    'Slack, support workspace, #help',
    slack.group('the export button is broken', {
      kind: 'channel',
      groupId: 'C-HELP',
      teamId: IDS.supportWorkspace,
    }),
  ],
  [
    'Slack, support workspace, a thread in #help',
    slack.thread('still broken after the fix?', {
      peerId: 'C-HELP',
      threadId: '1712.5',
      teamId: IDS.supportWorkspace,
    }),
  ],
  [
    'Slack, another workspace',
    slack.group('hello from the partner workspace', { kind: 'channel', groupId: 'C-X', teamId: 'T999' }),
  ],
  ['Telegram DM from the VIP', telegram.dm('book me a table for two', { sender: IDS.vip })],
  ['Telegram DM from a listed user', telegram.dm('what is on my calendar?', { sender: '1001' })],
  ['Telegram DM from a stranger', telegram.dm('hi?', { sender: '555' })],
  [
    'Discord, a moderator',
    discord.group('@bot summarise the reports', {
      kind: 'channel',
      groupId: 'C-mod',
      guildId: IDS.guild,
      memberRoleIds: [IDS.moderatorRole],
      mention: true,
    }),
  ],
  [
    'Discord, a member',
    discord.group('@bot when is the next event?', {
      kind: 'channel',
      groupId: 'C-lobby',
      guildId: IDS.guild,
      memberRoleIds: ['R-member'],
      mention: true,
    }),
  ],
  [
    'Telegram review group (broadcast)',
    telegram.group('is this launch plan sound?', { groupId: IDS.reviewGroup }),
  ],
];

for (const [label, message] of messages) {
  for (const channel of Object.values(channels)) channel.clear();
  const receipt = await claw.receive(message);
  await claw.idle();
  console.log(`\n${label}: "${message.text}"`);
  if (receipt.turns.length === 0) {
    console.log(`  ${receipt.status} (${receipt.reason}): no agent runs, nothing is sent`);
    continue;
  }
  if (receipt.turns.length > 1) {
    console.log(`  broadcast: ${receipt.turns.map((turn) => turn.agentId).join(' + ')}`);
  } else {
    const route = claw.router.explain(message);
    console.log(`  route: ${route.agentId} (${route.matchedBy})`);
  }
  for (const turn of receipt.turns)
    console.log(`  turn:  ${turn.agentId.padEnd(10)} session ${turn.sessionKey}`);
  const replies = Object.values(channels).flatMap((channel) => channel.sentTo(message));
  for (const reply of replies) console.log(`  reply: ${reply.message.text}`);
}
await claw.stop();
