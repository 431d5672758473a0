/**
 * Stand-ins for the Slack, Telegram and Discord adapters: in-memory test channels that record
 * what the gateway sends and build realistic inbound messages. A real host passes its real
 * adapters to `createClaw` instead; nothing else changes.
 */
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';

/** The three channels, by id. */
export interface Channels {
  readonly slack: TestChannel;
  readonly telegram: TestChannel;
  readonly discord: TestChannel;
}

/** Fresh channels (each records only its own sends). */
export function createChannels(): Channels {
  return {
    // Slack ids are case-insensitive; Slack has threads.
    slack: createTestChannel({ caseInsensitiveIds: true, topics: false }, { id: 'slack' }),
    telegram: createTestChannel({ threads: false }, { id: 'telegram' }),
    discord: createTestChannel({ topics: false }, { id: 'discord' }),
  };
}
