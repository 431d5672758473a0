import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it } from 'vitest';
import type { TurnContext } from '../agents/types.js';
import { createTestClaw } from './test-claw.js';

describe('createTestClaw', () => {
  it('answers with an echo agent on an open test channel by default', async () => {
    const t = createTestClaw();
    const { receipt, outcomes } = await t.send(t.channel.dm('hello'));
    expect(receipt.status).toBe('dispatched');
    expect(outcomes.map((o) => o.status)).toEqual(['completed']);
    expect(t.replies().map((r) => r.message.text)).toEqual(['hello']);
  });

  it('tests your own agent, filters replies by conversation, and records events', async () => {
    const t = createTestClaw({
      agents: { main: (ctx: TurnContext) => `you said: ${ctx.messages[0]!.text}` },
    });
    const inGroup = t.channel.group('@bot hi', { groupId: 'team', mention: true });
    await t.send(inGroup);
    await t.send(t.channel.dm('psst'));
    expect(t.replies(inGroup).map((r) => r.message.text)).toEqual(['you said: @bot hi']);
    expect(t.replies({ kind: 'direct' }).map((r) => r.message.text)).toEqual(['you said: psst']);
    expect(t.events('turn:end').map((e) => e.status)).toEqual(['completed', 'completed']);
  });

  it('moves its clock through retry waits, so a send never waits in real time', async () => {
    const t = createTestClaw();
    t.channel.failNext(1, { reason: 'rate_limited', retryAfterMs: 300_000 });
    const before = t.clock.now();
    await t.send(t.channel.dm('eventually'));
    expect(t.clock.now() - before).toBeGreaterThanOrEqual(300_000);
    expect(t.replies()).toHaveLength(1);
  });

  it('opens every test channel it is given', async () => {
    const slack = createTestChannel({}, { id: 'slack' });
    const discord = createTestChannel({}, { id: 'discord' });
    const t = createTestClaw({ channels: [slack, discord] });
    await t.send(slack.dm('a'));
    await t.send(discord.dm('b'));
    expect(slack.sent.map((s) => s.message.text)).toEqual(['a']);
    expect(discord.sent.map((s) => s.message.text)).toEqual(['b']);
  });
});
