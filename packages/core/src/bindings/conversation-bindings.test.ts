import {
  type ChannelAdapter,
  type ChannelCapabilitiesInput,
  defineChannel,
  type ReplyTarget,
  replyTargetOf,
} from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors/index.js';
import type { ClawEventMap } from '../events/types.js';
import { createMemoryBindingStore } from '../stores/memory-stores.js';
import { ConversationBindingError } from './conversation-binding-error.js';
import { createConversationBindings } from './conversation-bindings.js';
import { resolveConversationId } from './conversation-id.js';

/** The smallest adapter there is, plus whatever capability flags a test declares. */
function minimalAdapter(id: string, capabilities: ChannelCapabilitiesInput = {}): ChannelAdapter {
  return defineChannel({
    specificationVersion: 'v1',
    id,
    capabilities,
    send: async () => ({ messageId: 'x' }),
  });
}

function setup(channels: ChannelAdapter[], options: { agents?: string[] } = {}) {
  let time = 1_000_000;
  const events: { name: string; payload: unknown }[] = [];
  const store = createMemoryBindingStore();
  const bindings = createConversationBindings(store, {
    channels,
    now: () => time,
    onEvent: (name, payload) => {
      events.push({ name, payload });
    },
    ...options,
  });
  const named = <K extends keyof ClawEventMap>(name: K) =>
    events.filter((e) => e.name === name).map((e) => e.payload as ClawEventMap[K]);
  return {
    bindings,
    store,
    named,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const bindTo = { targetSessionKey: 'agent:coder:acp:session-1', agentId: 'coder' } as const;

describe('conversation bindings', () => {
  it('let a channel that only declares supportsCurrentConversationBinding bind its current conversation', async () => {
    const clawline = minimalAdapter('clawline', { supportsCurrentConversationBinding: true });
    const { bindings } = setup([clawline]);
    const target: ReplyTarget = {
      channel: 'clawline',
      accountId: 'default',
      peer: { kind: 'direct', id: 'user:alice' },
    };
    const binding = await bindings.bind({ channel: 'clawline', target, kind: 'current', ...bindTo });
    expect(binding).toMatchObject({
      channel: 'clawline',
      accountId: 'default',
      conversationId: 'alice',
      kind: 'current',
      ...bindTo,
    });
    // The next message in that conversation — replying to another message — finds the binding.
    const next = await bindings.lookupTarget({ ...target, replyToMessageId: 'm42' });
    expect(next?.targetSessionKey).toBe(bindTo.targetSessionKey);
  });

  it('refuse the current conversation of a channel without the flag, naming the channel and the flag', async () => {
    const plain = minimalAdapter('plain');
    const { bindings } = setup([plain]);
    const error = await bindings
      .bind({ channel: 'plain', conversationId: 'c1', kind: 'current', ...bindTo })
      .catch((e: unknown) => e);
    expect(ConversationBindingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'capability_unsupported',
      channel: 'plain',
      capability: 'supportsCurrentConversationBinding',
    });
    expect((error as Error).message).toMatch(/"plain".*supportsCurrentConversationBinding/);
    expect(bindings.supports('plain', 'current')).toBe(false);
  });

  it('bind threads only on channels that declare threads, and only a target in a thread', async () => {
    const threaded = createTestChannel({}, { id: 'slack' });
    const flat = minimalAdapter('flat', { supportsCurrentConversationBinding: true });
    const { bindings } = setup([threaded, flat]);
    const inThread = replyTargetOf(threaded.thread('help', { peerId: 'C1', threadId: '1712.5' }));
    const binding = await bindings.bind({ channel: 'slack', target: inThread, kind: 'thread', ...bindTo });
    expect(binding.conversationId).toBe('C1:thread:1712.5');
    await expect(
      bindings.bind({
        channel: 'slack',
        target: replyTargetOf(threaded.group('hi')),
        kind: 'thread',
        ...bindTo,
      }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/threadId/) });
    await expect(
      bindings.bind({ channel: 'flat', conversationId: 'x', kind: 'thread', ...bindTo }),
    ).rejects.toMatchObject({
      code: 'capability_unsupported',
      capability: 'threads',
    });
  });

  it('refuse a channel it has no adapter for, and an agent that is not configured', async () => {
    const { bindings } = setup([createTestChannel()], { agents: ['main'] });
    await expect(
      bindings.bind({
        channel: 'nowhere',
        conversationId: 'c',
        kind: 'current',
        targetSessionKey: 'agent:main:x',
        agentId: 'main',
      }),
    ).rejects.toMatchObject({
      code: 'unknown_channel',
      channel: 'nowhere',
    });
    await expect(
      bindings.bind({ channel: 'test', conversationId: 'c', kind: 'current', ...bindTo }),
    ).rejects.toMatchObject({
      code: 'unknown_agent',
    });
  });

  it('keep bindings apart per channel, account and conversation', async () => {
    const a = createTestChannel({}, { id: 'a' });
    const b = createTestChannel({}, { id: 'b' });
    const { bindings } = setup([a, b]);
    await bindings.bind({ channel: 'a', conversationId: 'c1', kind: 'current', ...bindTo });
    expect(await bindings.lookup('a', undefined, 'c1')).toBeDefined();
    expect(await bindings.lookup('a', 'default', 'c1')).toBeDefined();
    expect(await bindings.lookup('b', 'default', 'c1')).toBeUndefined();
    expect(await bindings.lookup('a', 'work', 'c1')).toBeUndefined();
    expect(await bindings.lookup('a', 'default', 'c2')).toBeUndefined();
  });

  it('expire a binding left idle past its TTL, and keep an active one alive', async () => {
    const { bindings, advance, named } = setup([createTestChannel()]);
    await bindings.bind({
      channel: 'test',
      conversationId: 'c1',
      kind: 'current',
      idleTtlMs: 60_000,
      ...bindTo,
    });
    await bindings.bind({
      channel: 'test',
      conversationId: 'c2',
      kind: 'current',
      idleTtlMs: 60_000,
      ...bindTo,
    });
    for (let i = 0; i < 5; i++) {
      advance(50_000);
      expect(await bindings.lookup('test', 'default', 'c1'), `lookup ${i}`).toBeDefined();
    }
    expect(await bindings.lookup('test', 'default', 'c2')).toBeUndefined();
    expect(named('binding:expired')).toEqual([
      expect.objectContaining({ reason: 'idle', binding: expect.objectContaining({ conversationId: 'c2' }) }),
    ]);
  });

  it('expire a binding at its max age whatever the activity', async () => {
    const { bindings, advance, named } = setup([createTestChannel()]);
    await bindings.bind({
      channel: 'test',
      conversationId: 'c1',
      kind: 'current',
      idleTtlMs: 0,
      maxAgeMs: 100_000,
      ...bindTo,
    });
    advance(60_000);
    expect(await bindings.lookup('test', 'default', 'c1')).toBeDefined();
    advance(40_000);
    expect(await bindings.lookup('test', 'default', 'c1')).toBeUndefined();
    expect(named('binding:expired')[0]?.reason).toBe('max_age');
  });

  it('write the activity time of a busy binding only now and then', async () => {
    const { bindings, store, advance } = setup([createTestChannel()]);
    await bindings.bind({ channel: 'test', conversationId: 'c1', kind: 'current', ...bindTo });
    const put = vi.spyOn(store, 'put');
    for (let i = 0; i < 100; i++) {
      advance(1000);
      await bindings.lookup('test', 'default', 'c1');
    }
    expect(put.mock.calls.length).toBeLessThanOrEqual(2);
    expect(put.mock.calls.length).toBeGreaterThan(0);
  });

  it('replace the binding of a conversation on re-bind, keeping what was not given again', async () => {
    const { bindings, named } = setup([createTestChannel()]);
    const first = await bindings.bind({
      channel: 'test',
      conversationId: 'c1',
      kind: 'current',
      label: 'focus',
      idleTtlMs: 5000,
      ...bindTo,
    });
    const second = await bindings.bind({
      channel: 'test',
      conversationId: 'c1',
      kind: 'current',
      targetSessionKey: 'agent:main:other',
      agentId: 'main',
    });
    expect(second).toMatchObject({
      targetSessionKey: 'agent:main:other',
      label: 'focus',
      idleTtlMs: 5000,
      bindingId: first.bindingId,
    });
    expect(named('binding:bound').map((e) => e.replaced?.targetSessionKey)).toEqual([
      undefined,
      bindTo.targetSessionKey,
    ]);
    expect(await bindings.list()).toHaveLength(1);
  });

  it('unbind by id, by conversation, by target and by session, reporting each removal', async () => {
    const tg = createTestChannel();
    const { bindings, named } = setup([tg]);
    const target = replyTargetOf(tg.group('x', { groupId: 'g9' }));
    const one = await bindings.bind({ channel: 'test', conversationId: 'c1', kind: 'current', ...bindTo });
    await bindings.bind({ channel: 'test', conversationId: 'c2', kind: 'current', ...bindTo });
    await bindings.bind({ channel: 'test', target, kind: 'current', ...bindTo });
    await bindings.bind({
      channel: 'test',
      conversationId: 'c4',
      kind: 'current',
      targetSessionKey: 'agent:main:keep',
      agentId: 'main',
    });
    expect(await bindings.unbind({ bindingId: one.bindingId }, 'unfocus')).toHaveLength(1);
    expect(await bindings.unbind({ channel: 'test', conversationId: 'c2' })).toHaveLength(1);
    expect(await bindings.unbind({ target })).toHaveLength(1);
    expect(await bindings.unbind({ bindingId: one.bindingId })).toEqual([]);
    await bindings.bind({ channel: 'test', conversationId: 'c5', kind: 'current', ...bindTo });
    expect(
      await bindings.unbind({ targetSessionKey: bindTo.targetSessionKey }, 'session-ended'),
    ).toHaveLength(1);
    expect((await bindings.list()).map((b) => b.conversationId)).toEqual(['c4']);
    expect(named('binding:unbound').map((e) => e.reason)).toEqual([
      'unfocus',
      'unbind',
      'unbind',
      'session-ended',
    ]);
  });

  it('leave expired bindings out of listings and remove them on sweep', async () => {
    const { bindings, advance } = setup([createTestChannel()]);
    await bindings.bind({
      channel: 'test',
      conversationId: 'short',
      kind: 'current',
      idleTtlMs: 1000,
      ...bindTo,
    });
    await bindings.bind({
      channel: 'test',
      conversationId: 'long',
      kind: 'current',
      idleTtlMs: 100_000,
      ...bindTo,
    });
    advance(2000);
    expect((await bindings.sweep()).map((b) => b.conversationId)).toEqual(['short']);
    expect(
      (await bindings.list({ targetSessionKey: bindTo.targetSessionKey })).map((b) => b.conversationId),
    ).toEqual(['long']);
  });

  it('reject malformed input, naming the field', async () => {
    const { bindings } = setup([createTestChannel()]);
    await expect(bindings.bind({ channel: 'test', kind: 'current', ...bindTo })).rejects.toThrow(
      /conversationId or as target/,
    );
    await expect(
      bindings.bind({ channel: 'test', conversationId: 'c', kind: 'sideways' as never, ...bindTo }),
    ).rejects.toThrow(/kind/);
    await expect(
      bindings.bind({ channel: 'test', conversationId: 'c', kind: 'current', idleTtlMs: -5, ...bindTo }),
    ).rejects.toThrow(/idleTtlMs/);
    await expect(bindings.lookup('test', 'default', '')).rejects.toThrow(/conversationId/);
    expect(() => createConversationBindings(createMemoryBindingStore(), { defaultIdleTtlMs: -1 })).toThrow(
      ConfigError,
    );
  });
});

describe('conversation ids', () => {
  const target = (id: string, threadId?: string): ReplyTarget => ({
    channel: 'chat',
    accountId: 'default',
    peer: { kind: 'channel', id },
    ...(threadId === undefined ? {} : { threadId }),
  });

  it('strip a user:, chat: or channel: prefix from the peer id', () => {
    expect(resolveConversationId(undefined, target('user:U1'))).toBe('U1');
    expect(resolveConversationId(undefined, target('chat:oc_1'))).toBe('oc_1');
    expect(resolveConversationId(undefined, target('channel:C1'))).toBe('C1');
    expect(resolveConversationId(undefined, target('chat:user:U1'))).toBe('user:U1');
    expect(resolveConversationId(undefined, target('chat:7'))).toBe('7');
    expect(resolveConversationId(undefined, target('user:'))).toBe('user:');
  });

  it('include the thread, so a thread is its own conversation', () => {
    expect(resolveConversationId(undefined, target('C1', '99'))).toBe('C1:thread:99');
    expect(resolveConversationId(undefined, target('C1', '99'))).not.toBe(
      resolveConversationId(undefined, target('C1')),
    );
  });

  it('never let an id containing :thread: pass for a thread', () => {
    expect(resolveConversationId(undefined, target('a:thread:b'))).not.toBe(
      resolveConversationId(undefined, target('a', 'b')),
    );
  });

  it('use the adapter conversationId when it has one', () => {
    const adapter = { id: 'chat', conversationId: (t: ReplyTarget) => `room-${t.peer.id}` };
    expect(resolveConversationId(adapter, target('user:U1'))).toBe('room-user:U1');
  });
});
