import type { InboundMessage } from '@claw/channel-kit';
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';
import type { ClawConfig } from '@claw/core';

/**
 * The seed story: a dev-team Slack workspace with a main channel and a CI thread, a release
 * channel, a Telegram forum topic, a private DM, an unknown sender, an un-mentioned message kept as
 * context, and a heavy "analyse documents A and B" request that runs in the background.
 */
export const demoConfig = {
  agents: {
    list: [
      { id: 'main', default: true, name: 'Claw' },
      { id: 'release', name: 'Release bot' },
    ],
  },
  bindings: [{ agentId: 'release', match: { channel: 'slack', peer: { kind: 'channel', id: 'C0RELEASE' } } }],
  session: { dmScope: 'per-channel-peer' },
  channels: {
    slack: {
      dmPolicy: 'allowlist',
      allowFrom: ['U0ALICE'],
      groupPolicy: 'allowlist',
      // Anyone in the listed channels may talk to the bot (when they mention it).
      groupAllowFrom: ['*'],
      groups: { C0DEVTEAM: { requireMention: true }, C0RELEASE: { requireMention: true } },
    },
    telegram: {
      dmPolicy: 'pairing',
      allowFrom: ['5000000001'],
      groupPolicy: 'allowlist',
      groupAllowFrom: ['*'],
      groups: { '-1001700000000': { requireMention: true } },
    },
  },
} satisfies ClawConfig;

/** One conversation of the story: its title and the messages people post there, in order. */
export interface Conversation {
  readonly title: string;
  readonly messages: readonly InboundMessage[];
}

/** The channels and conversations of the demo (fresh each call, so runs are independent). */
export function createScenario(): {
  slack: TestChannel;
  telegram: TestChannel;
  conversations: Conversation[];
} {
  const slack = createTestChannel({ edit: false }, { id: 'slack', botId: 'U0CLAW', botUsername: 'claw' });
  const telegram = createTestChannel(
    { edit: false },
    { id: 'telegram', botId: '7000000000', botUsername: 'claw_bot' },
  );
  const alice = { id: 'U0ALICE', username: 'alice', name: 'Alice' };
  const bob = { id: 'U0BOB', username: 'bob', name: 'Bob' };
  const carol = { id: 'U0CAROL', username: 'carol', name: 'Carol' };
  const dave = { id: 'U0DAVE', username: 'dave', name: 'Dave' };
  const team = { teamId: 'T0ACME' };
  const devTeam = { ...team, groupId: 'C0DEVTEAM', kind: 'channel' as const };
  const ciThread = { ...team, peerId: 'C0DEVTEAM', kind: 'channel' as const, threadId: '1732180000.000100' };

  const conversations: Conversation[] = [
    {
      title: 'Slack #dev-team (main channel)',
      messages: [
        slack.group('lunch at noon, anyone?', { ...devTeam, sender: bob, messageId: 'S1' }),
        slack.group('@claw write the release plan for Thursday', {
          ...devTeam,
          sender: alice,
          mention: true,
          messageId: 'S2',
        }),
      ],
    },
    {
      title: 'Slack #dev-team › thread "CI is red"',
      messages: [
        slack.thread('@claw why did CI fail?', {
          ...ciThread,
          sender: carol,
          mention: true,
          messageId: 'S3',
        }),
        slack.thread('@claw analyse documents A and B in parallel and give me a conclusion', {
          ...ciThread,
          sender: carol,
          mention: true,
          messageId: 'S4',
        }),
      ],
    },
    {
      title: 'Slack #release',
      messages: [
        slack.group('@claw draft the changelog', {
          ...team,
          groupId: 'C0RELEASE',
          kind: 'channel',
          sender: dave,
          mention: true,
          messageId: 'S5',
        }),
      ],
    },
    {
      title: 'Telegram dev group › forum topic "CI"',
      messages: [
        telegram.topic('@claw_bot why did CI fail on main?', {
          groupId: '-1001700000000',
          topicId: '42',
          sender: { id: '5000000002', username: 'erin', name: 'Erin' },
          mention: true,
          messageId: 'T1',
        }),
      ],
    },
    {
      title: 'Telegram DM with Frank (the owner)',
      messages: [
        telegram.dm('this stays between us: the salary numbers are final', {
          sender: { id: '5000000001', username: 'frank', name: 'Frank' },
          messageId: 'T2',
        }),
      ],
    },
    {
      title: 'Telegram DM from a stranger',
      messages: [
        telegram.dm('hi, who are you?', {
          sender: { id: '5000000099', username: 'stranger', name: 'Stranger' },
          messageId: 'T3',
        }),
      ],
    },
  ];
  return { slack, telegram, conversations };
}
