import { describe, expect, it } from 'vitest';
import { replyTargetOf } from '../envelope/reply-target.js';
import { ChannelSendError } from '../errors/channel-send-error.js';
import { createTestChannel } from './test-channel.js';

const ctx = (key = 'k1') => ({ idempotencyKey: key, signal: new AbortController().signal });

describe('createTestChannel', () => {
  it('records each send with its target, message and idempotency key, and returns increasing ids', async () => {
    const channel = createTestChannel();
    const target = replyTargetOf(channel.group('hi'));
    expect(await channel.send(target, { text: 'one' }, ctx('turn-1:0'))).toEqual({ messageId: 'sent-1' });
    expect(await channel.send(target, { text: 'two' }, ctx('turn-1:1'))).toEqual({ messageId: 'sent-2' });
    expect(
      channel.sent.map((s) => [s.target.peer.id, s.message.text, s.idempotencyKey, s.messageId]),
    ).toEqual([
      ['g1', 'one', 'turn-1:0', 'sent-1'],
      ['g1', 'two', 'turn-1:1', 'sent-2'],
    ]);
  });

  it('filters sends by conversation, thread or the message being answered', async () => {
    const channel = createTestChannel();
    const inThread = channel.thread('q', { threadId: 't9' });
    await channel.send(replyTargetOf(inThread), { text: 'in thread' }, ctx());
    await channel.send(replyTargetOf(channel.thread('q')), { text: 'other thread' }, ctx());
    await channel.send(
      replyTargetOf(channel.group('q', { kind: 'channel', groupId: 'c1' })),
      { text: 'top level' },
      ctx(),
    );
    expect(channel.sentTo(inThread).map((s) => s.message.text)).toEqual(['in thread']);
    expect(channel.sentTo({ peerId: 'c1' })).toHaveLength(3);
    expect(channel.sentTo({ peerId: 'c1', threadId: null }).map((s) => s.message.text)).toEqual([
      'top level',
    ]);
  });

  it('fails the next N sends as told, then recovers; failed attempts are recorded, not sent', async () => {
    const channel = createTestChannel();
    const target = replyTargetOf(channel.dm('hi'));
    channel.failNext(2, { reason: 'rate_limited', retryAfterMs: 1500 });
    for (let i = 0; i < 2; i++) {
      const error = await channel.send(target, { text: 'x' }, ctx()).catch((e: unknown) => e);
      expect(
        ChannelSendError.isInstance(error) && [error.reason, error.retryable, error.retryAfterMs],
      ).toEqual(['rate_limited', true, 1500]);
    }
    await channel.send(target, { text: 'x' }, ctx());
    expect(channel.sent).toHaveLength(1);
    expect(channel.attempts.map((a) => a.error === undefined)).toEqual([false, false, true]);
  });

  it('injects permanent failures into edits without touching sends', async () => {
    const channel = createTestChannel();
    const target = replyTargetOf(channel.dm('hi'));
    const { messageId } = await channel.send(target, { text: 'a' }, ctx());
    channel.failNext(1, { reason: 'forbidden', operation: 'edit' });
    await expect(channel.edit!(target, messageId, { text: 'b' }, ctx())).rejects.toMatchObject({
      reason: 'forbidden',
      permanent: true,
    });
    await channel.edit!(target, messageId, { text: 'b' }, ctx());
    expect(channel.edits.map((e) => e.message.text)).toEqual(['b']);
  });

  it('rejects like a strict platform: too long, undeclared features, foreign channel, unknown message', async () => {
    const channel = createTestChannel({
      textChunkLimit: 5,
      threads: false,
      replies: false,
      media: false,
      edit: false,
    });
    const target = replyTargetOf(channel.dm('hi'), { replyToMessage: false });
    const reasonOf = (p: Promise<unknown>) =>
      p.then(
        () => 'sent',
        (e: ChannelSendError) => e.reason,
      );
    expect(await reasonOf(channel.send(target, { text: '123456' }, ctx()))).toBe('too_long');
    expect(await reasonOf(channel.send({ ...target, threadId: 't' }, { text: 'x' }, ctx()))).toBe('invalid');
    expect(await reasonOf(channel.send(target, { text: 'x', replyToMessageId: 'm1' }, ctx()))).toBe(
      'invalid',
    );
    expect(
      await reasonOf(
        channel.send(target, { text: 'x', media: [{ kind: 'image', url: 'https://x/y.png' }] }, ctx()),
      ),
    ).toBe('invalid');
    expect(await reasonOf(channel.send({ ...target, channel: 'other' }, { text: 'x' }, ctx()))).toBe(
      'invalid',
    );
    expect(await reasonOf(channel.send(target, { text: '  ' }, ctx()))).toBe('invalid');
    expect(channel.edit).toBeUndefined();
    const full = createTestChannel();
    expect(await reasonOf(full.react!(target, 'nope', '👍', ctx()))).toBe('not_found');
    expect(channel.sent).toHaveLength(0);
  });

  it('rejects a send whose signal is already aborted, posting nothing', async () => {
    const channel = createTestChannel();
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    await expect(
      channel.send(
        replyTargetOf(channel.dm('x')),
        { text: 'x' },
        { idempotencyKey: 'k', signal: controller.signal },
      ),
    ).rejects.toThrow('stopping');
    expect(channel.sent).toHaveLength(0);
  });

  it('builds valid messages for every conversation kind with deterministic ids and timestamps', () => {
    const channel = createTestChannel({}, { id: 'telegram' });
    const dm = channel.dm('hello');
    expect(dm).toEqual({
      channel: 'telegram',
      accountId: 'default',
      messageId: 'm1',
      peer: { kind: 'direct', id: 'u1' },
      sender: { id: 'u1', username: 'alice', name: 'Alice' },
      text: 'hello',
      timestamp: 1_700_000_000_000,
    });
    expect(channel.dm('again').messageId).toBe('m2');
    expect(channel.group('g', { groupId: 'team', sender: 'u7' })).toMatchObject({
      peer: { kind: 'group', id: 'team' },
      sender: { id: 'u7' },
    });
    expect(channel.thread('t')).toMatchObject({ peer: { kind: 'channel', id: 'c1' }, threadId: 't1' });
    expect(channel.topic('t', { groupId: '-100', topicId: '7' })).toMatchObject({
      peer: { kind: 'group', id: '-100:topic:7' },
      parentPeer: { kind: 'group', id: '-100' },
    });
  });

  it('builds mentions, replies to the bot and the bot’s own echoes', async () => {
    const channel = createTestChannel({}, { botId: 'B1', botUsername: 'claw_bot' });
    expect(channel.group('hey', { mention: true, mentions: ['u2'] }).mentions).toEqual({
      self: true,
      users: ['B1', 'u2'],
    });
    expect(channel.group('hey', { mentions: ['u2'] }).mentions).toEqual({ self: false, users: ['u2'] });
    const { messageId } = await channel.send(replyTargetOf(channel.dm('x')), { text: 'answer' }, ctx());
    expect(channel.group('thanks', { replyToBot: true }).replyTo).toEqual({
      messageId,
      senderId: 'B1',
      fromSelf: true,
    });
    expect(channel.group('re', { replyTo: 'm42' }).replyTo).toEqual({ messageId: 'm42' });
    expect(channel.dm('echo', { fromSelf: true }).sender).toEqual({
      id: 'B1',
      username: 'claw_bot',
      isBot: true,
      isSelf: true,
    });
  });

  it('hands inbound messages to the core once started, and refuses before', async () => {
    const channel = createTestChannel();
    await expect(channel.inbound(channel.dm('early'))).rejects.toThrow(/not started/);
    const received: string[] = [];
    await channel.start!({
      receive: async (m) => received.push(m.text),
      signal: new AbortController().signal,
    });
    expect(channel.isStarted()).toBe(true);
    await channel.inbound(channel.dm('hello'));
    await channel.stop!();
    expect(received).toEqual(['hello']);
    expect(channel.isStarted()).toBe(false);
  });

  it('follows capability overrides with its methods, so it always passes defineChannel', () => {
    const poor = createTestChannel({ edit: false, reactions: false, typing: false });
    expect([poor.edit, poor.react, poor.setTyping]).toEqual([undefined, undefined, undefined]);
    expect(poor.capabilities.threads).toBe(true);
    expect(Object.isFrozen(poor)).toBe(true);
  });

  it('records typing and clears everything on clear(), keeping ids unique', async () => {
    const channel = createTestChannel();
    const target = replyTargetOf(channel.dm('x'));
    await channel.setTyping!(target, true);
    await channel.send(target, { text: 'a' }, ctx());
    channel.failNext(1, { reason: 'network' });
    channel.clear();
    expect([channel.sent, channel.typing, channel.attempts]).toEqual([[], [], []]);
    expect(await channel.send(target, { text: 'b' }, ctx())).toEqual({ messageId: 'sent-2' });
    expect(() => channel.failNext(1, { reason: 'boom' as never })).toThrow(/unknown failure reason/);
  });
});
