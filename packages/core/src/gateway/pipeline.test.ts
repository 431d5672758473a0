import { replyTargetOf } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it } from 'vitest';
import type { TurnContext } from '../agents/types.js';
import { ConversationBindingError } from '../bindings/index.js';
import { createTestClaw } from '../testing/index.js';
import type { ClawConfig } from './config.js';

/** Open DMs and groups on the `test` channel (groups still need a mention). */
const open: ClawConfig = {
  channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
};

/** A handler that records its contexts and answers `<agent>: <text>`. */
function recorder(agentId = 'main') {
  const seen: TurnContext[] = [];
  const handler = (ctx: TurnContext) => {
    seen.push(ctx);
    return `${agentId}: ${ctx.messages.map((m) => m.text).join(' | ')}`;
  };
  return { seen, handler };
}

describe('the receive pipeline', () => {
  it('answers a DM in the DM, in its own per-sender session', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({
      config: { ...open, session: { dmScope: 'per-channel-peer' } },
      agents: { main: handler },
    });
    const alice = t.channel.dm('hello', { sender: 'alice' });
    const bob = t.channel.dm('hi', { sender: 'bob' });
    const a = await t.send(alice);
    const b = await t.send(bob);

    expect(a.receipt).toMatchObject({ status: 'dispatched', reason: 'dm_policy_open', agentId: 'main' });
    expect(a.receipt.sessionKey).toBe('agent:main:test:direct:alice');
    expect(b.receipt.sessionKey).toBe('agent:main:test:direct:bob');
    expect(t.replies(alice).map((r) => r.message.text)).toEqual(['main: hello']);
    expect(t.replies(bob).map((r) => r.message.text)).toEqual(['main: hi']);
    expect(seen[0]!.target).toEqual(replyTargetOf(alice));
    expect(a.outcomes).toEqual([
      expect.objectContaining({
        status: 'completed',
        sessionKey: a.receipt.sessionKey,
        turnId: a.receipt.turnId,
      }),
    ]);
  });

  it('records the message and the reply in the session transcript, and hands the transcript to the next turn', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({ config: open, agents: { main: handler } });
    const first = await t.send(t.channel.dm('one'));
    await t.send(t.channel.dm('two'));

    const transcript = await t.stores.transcripts.read(first.receipt.sessionKey!);
    expect(transcript.map((e) => [e.role, e.text])).toEqual([
      ['user', 'one'],
      ['assistant', 'main: one'],
      ['user', 'two'],
      ['assistant', 'main: two'],
    ]);
    expect(seen[1]!.transcript.map((e) => e.text)).toEqual(['one', 'main: one']);
  });

  it('skips an unmentioned group message as history and injects it into the next mentioned turn', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({ config: open, agents: { main: handler } });
    const chatter = await t.send(
      t.channel.group('the build is red again', { sender: { id: 'u2', name: 'Bob' } }),
    );
    expect(chatter.receipt).toMatchObject({ status: 'skipped', reason: 'no_mention' });
    expect(chatter.outcomes).toEqual([]);
    expect(t.replies()).toEqual([]);

    const ask = t.channel.group('@bot why?', { mention: true });
    const asked = await t.send(ask);
    expect(asked.receipt).toMatchObject({ status: 'dispatched', reason: 'mentioned' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.history.map((h) => `${h.sender}: ${h.body}`)).toEqual(['Bob: the build is red again']);
    expect(t.replies({ peerId: 'g1' }).map((r) => r.message.text)).toEqual(['main: @bot why?']);

    // Taken by the turn: the next turn does not see it again.
    await t.send(t.channel.group('@bot and now?', { mention: true }));
    expect(seen[1]!.history).toEqual([]);
  });

  it('answers a thread in the thread, in a thread session', async () => {
    const t = createTestClaw({ config: open });
    const message = t.channel.thread('@bot CI?', { peerId: 'c1', threadId: 't9', mention: true });
    const { receipt } = await t.send(message);
    expect(receipt.sessionKey).toBe('agent:main:test:channel:c1:thread:t9');
    const [reply] = t.replies();
    expect(reply!.target).toMatchObject({ peer: { kind: 'channel', id: 'c1' }, threadId: 't9' });
    expect(t.replies({ peerId: 'c1', threadId: null })).toEqual([]);
  });

  it('answers a Telegram forum topic in the topic, in its own session', async () => {
    const telegram = createTestChannel({}, { id: 'telegram' });
    const t = createTestClaw({
      config: { channels: { telegram: { groupPolicy: 'open' } } },
      channels: [telegram],
    });
    const inTopic = telegram.topic('@bot deploy?', { groupId: '-100', topicId: '42', mention: true });
    const inOther = telegram.topic('@bot other?', { groupId: '-100', topicId: '7', mention: true });
    const a = await t.send(inTopic);
    const b = await t.send(inOther);
    expect(a.receipt.sessionKey).toBe('agent:main:telegram:group:-100:topic:42');
    expect(b.receipt.sessionKey).toBe('agent:main:telegram:group:-100:topic:7');
    expect(telegram.sentTo({ peerId: '-100:topic:42' }).map((r) => r.message.text)).toEqual(['@bot deploy?']);
    expect(telegram.sentTo({ peerId: '-100:topic:7' }).map((r) => r.message.text)).toEqual(['@bot other?']);
  });

  it('routes a bound conversation to its bound session and agent instead of the routed one', async () => {
    const main = recorder('main');
    const support = recorder('support');
    const t = createTestClaw({
      config: { ...open, agents: { list: [{ id: 'main', default: true }, { id: 'support' }] } },
      agents: { main: main.handler, support: support.handler },
    });
    const question = t.channel.thread('@bot help', { peerId: 'c1', threadId: 't1', mention: true });
    const binding = await t.bindings.bind({
      channel: 'test',
      target: replyTargetOf(question),
      kind: 'thread',
      targetSessionKey: 'agent:support:subagent:focus',
      agentId: 'support',
    });
    const { receipt } = await t.send(question);
    expect(receipt).toMatchObject({
      status: 'dispatched',
      agentId: 'support',
      sessionKey: 'agent:support:subagent:focus',
      bindingId: binding.bindingId,
    });
    expect(main.seen).toHaveLength(0);
    expect(t.replies({ peerId: 'c1', threadId: 't1' }).map((r) => r.message.text)).toEqual([
      'support: @bot help',
    ]);
    expect(t.events('decision').at(-1)).toMatchObject({ bindingId: binding.bindingId, action: 'dispatch' });

    // Another thread of the same channel is not bound.
    const other = await t.send(t.channel.thread('@bot hi', { peerId: 'c1', threadId: 't2', mention: true }));
    expect(other.receipt.agentId).toBe('main');
  });

  it('binds the current conversation only on channels that declare the capability', async () => {
    const plain = createTestChannel({ supportsCurrentConversationBinding: false }, { id: 'plain' });
    const t = createTestClaw({ config: open, channels: [createTestChannel(), plain] });
    const error = await t.bindings
      .bind({
        channel: 'plain',
        target: replyTargetOf(plain.dm('x')),
        kind: 'current',
        targetSessionKey: 'agent:main:elsewhere',
        agentId: 'main',
      })
      .catch((e: unknown) => e);
    expect(ConversationBindingError.isInstance(error)).toBe(true);
    expect((error as ConversationBindingError).capability).toBe('supportsCurrentConversationBinding');
  });

  it('fans a broadcast group out to every agent, each in its own session, all answering in the group', async () => {
    const main = recorder('main');
    const support = recorder('support');
    const t = createTestClaw({
      config: {
        channels: { test: { groupPolicy: 'open', groups: { g1: { requireMention: false } } } },
        agents: { list: [{ id: 'main', default: true }, { id: 'support' }] },
        broadcast: { 'test:g1': ['main', 'support'] },
      },
      agents: { main: main.handler, support: support.handler },
    });
    const { receipt, outcomes } = await t.send(t.channel.group('status?', { groupId: 'g1' }));
    expect(receipt.status).toBe('dispatched');
    expect(receipt.turns.map((turn) => turn.sessionKey)).toEqual([
      'agent:main:test:group:g1',
      'agent:support:test:group:g1',
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['completed', 'completed']);
    expect(
      t
        .replies({ peerId: 'g1' })
        .map((r) => r.message.text)
        .sort(),
    ).toEqual(['main: status?', 'support: status?']);
  });

  it('runs a sequential broadcast one agent after the other', async () => {
    const t = createTestClaw({
      config: {
        channels: { test: { groupPolicy: 'open', groups: { '*': { requireMention: false } } } },
        agents: { list: [{ id: 'main', default: true }, { id: 'support' }] },
        broadcast: { strategy: 'sequential', 'test:g1': ['support', 'main'] },
      },
      agents: { main: () => 'from main', support: () => 'from support' },
    });
    await t.send(t.channel.group('go'));
    const order = t.recorded
      .filter((r) => r.event === 'turn:start' || r.event === 'turn:end')
      .map((r) => `${r.event}:${(r.payload as { agentId: string }).agentId}`);
    expect(order).toEqual(['turn:start:support', 'turn:end:support', 'turn:start:main', 'turn:end:main']);
    expect(t.replies().map((r) => r.message.text)).toEqual(['from support', 'from main']);
  });

  it('sends an unknown DM sender one pairing code, in the DM, and admits them once approved', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({
      config: { channels: { test: { dmPolicy: 'pairing' } } },
      agents: { main: handler },
    });
    const first = await t.send(t.channel.dm('hi', { sender: 'stranger' }));
    expect(first.receipt).toMatchObject({ status: 'pairing', reason: 'dm_policy_pairing_required' });
    const challenge = t.replies();
    expect(challenge).toHaveLength(1);
    expect(challenge[0]!.target.peer).toEqual({ kind: 'direct', id: 'stranger' });
    const code = /Pairing code: (\S+)/.exec(challenge[0]!.message.text)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{8}$/);

    // Asking again does not send a second code.
    await t.send(t.channel.dm('hello?', { sender: 'stranger' }));
    expect(t.replies()).toHaveLength(1);
    expect(seen).toHaveLength(0);

    expect(await t.pairing.approve('test', code!)).toMatchObject({ senderId: 'stranger' });
    const admitted = await t.send(t.channel.dm('now?', { sender: 'stranger' }));
    expect(admitted.receipt).toMatchObject({ status: 'dispatched', reason: 'dm_policy_allowlisted' });
    expect(t.replies().at(-1)!.message.text).toBe('main: now?');
  });

  it('runs a redelivered message once', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({ config: open, agents: { main: handler } });
    const message = t.channel.dm('pay the invoice', { messageId: 'platform-77' });
    const first = await t.send(message);
    const again = await t.send({ ...message });
    expect(first.receipt.status).toBe('dispatched');
    expect(again.receipt).toMatchObject({ status: 'duplicate', reason: 'duplicate' });
    expect(again.outcomes).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(t.replies()).toHaveLength(1);
    // The same id on another account is another message.
    const other = await t.send({ ...message, accountId: 'second' });
    expect(other.receipt.status).toBe('dispatched');
  });

  it('drops its own echoes and other bots before anything else', async () => {
    const t = createTestClaw({ config: open });
    const echo = await t.send(t.channel.group('@bot hi', { fromSelf: true, mention: true }));
    const bot = await t.send(t.channel.dm('beep', { sender: { id: 'b2', isBot: true } }));
    expect(echo.receipt).toMatchObject({ status: 'dropped', reason: 'own_message' });
    expect(bot.receipt).toMatchObject({ status: 'dropped', reason: 'bot_message' });
    expect(t.replies()).toEqual([]);
  });

  it('lets an owner switch a group to answer every message with /activation', async () => {
    const { seen, handler } = recorder();
    const t = createTestClaw({
      config: { ...open, commands: { ownerAllowFrom: ['test:owner'] } },
      agents: { main: handler },
    });
    const command = await t.send(t.channel.group('/activation always', { sender: 'owner' }));
    expect(command.receipt).toMatchObject({ status: 'command', reason: 'activation_set' });
    expect(t.replies().map((r) => r.message.text)).toEqual([
      'Group activation: always (I answer every message here).',
    ]);
    const chatter = await t.send(t.channel.group('no mention needed now', { sender: 'u3' }));
    expect(chatter.receipt).toMatchObject({ status: 'dispatched', reason: 'mention_not_required' });
    expect(seen).toHaveLength(1);

    // Someone else's /activation is only context.
    const other = await t.send(t.channel.group('/activation mention', { sender: 'u3' }));
    expect(other.receipt.status).toBe('skipped');
  });

  it('emits inbound, decision, turn and reply events that carry the same trace ids', async () => {
    const t = createTestClaw({ config: open });
    const { receipt } = await t.send(t.channel.dm('trace me', { messageId: 'm-trace' }));
    const ids = {
      sessionKey: receipt.sessionKey,
      agentId: 'main',
      turnId: receipt.turnId,
      messageId: 'm-trace',
    };
    expect(t.recorded.map((r) => r.event)).toEqual([
      'inbound',
      'decision',
      'turn:start',
      'reply:sent',
      'turn:end',
    ]);
    expect(t.events('decision')[0]).toMatchObject({ ...ids, action: 'dispatch' });
    expect(t.events('turn:start')[0]).toMatchObject(ids);
    expect(t.events('reply:sent')[0]).toMatchObject(ids);
    expect(t.events('turn:end')[0]).toMatchObject({ ...ids, status: 'completed' });
  });
});
