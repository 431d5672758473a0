import { type ChannelAdapter, defineChannel, type ReplyTarget } from '@claw/channel-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindingIdScope } from '../stores/binding-scopes.js';
import { createMemoryBindingStore } from '../stores/memory-stores.js';
import { createConversationBindings, isSurelyUnbound } from './conversation-bindings.js';
import { bindingIdOf, bindingScopeOf } from './conversation-id.js';

function adapter(id: string, conversationId?: ChannelAdapter['conversationId']): ChannelAdapter {
  return defineChannel({
    specificationVersion: 'v1',
    id,
    capabilities: { supportsCurrentConversationBinding: true, threads: true },
    send: async () => ({ messageId: 'x' }),
    ...(conversationId === undefined ? {} : { conversationId }),
  });
}

const target = (peerId: string, accountId = 'default'): ReplyTarget => ({
  channel: 'chat',
  accountId,
  peer: { kind: 'group', id: peerId },
});

const bindTo = { targetSessionKey: 'agent:coder:acp:s1', agentId: 'coder', kind: 'current' } as const;

// Lookups on a memory store answer "no binding here" without asking the store; these tests hold
// that answer to what the store really holds.
describe('lookups answered without the store', () => {
  it('see a binding made through another bindings service sharing the store, and its removal', async () => {
    const store = createMemoryBindingStore();
    const channels = [adapter('chat')];
    const reader = createConversationBindings(store, { channels });
    const writer = createConversationBindings(store, { channels });
    expect(await reader.lookupTarget(target('g1'))).toBeUndefined();
    await writer.bind({ ...bindTo, channel: 'chat', target: target('g1') });
    expect((await reader.lookupTarget(target('g1')))?.agentId).toBe('coder');
    expect(await reader.lookupTarget(target('g2'))).toBeUndefined();
    await writer.unbind({ target: target('g1') });
    expect(await reader.lookupTarget(target('g1'))).toBeUndefined();
  });

  it('see a binding written straight into the store, under the account it was bound for', async () => {
    const store = createMemoryBindingStore();
    const bindings = createConversationBindings(store, { channels: [adapter('chat')] });
    const bindingId = bindingIdOf('chat', 'work', 'g1');
    await store.put({
      bindingId,
      kind: 'current',
      channel: 'chat',
      accountId: 'work',
      conversationId: 'g1',
      targetSessionKey: 's',
      agentId: 'coder',
      boundAt: 0,
      lastActivityAt: 0,
      idleTtlMs: 0,
      maxAgeMs: 0,
    });
    expect(await bindings.lookupTarget(target('g1', 'default'))).toBeUndefined();
    expect((await bindings.lookupTarget(target('g1', ' work ')))?.bindingId).toBe(bindingId);
    await store.delete(bindingId);
    expect(await bindings.lookupTarget(target('g1', 'work'))).toBeUndefined();
  });

  it('forget a scope only when its last binding goes', async () => {
    const store = createMemoryBindingStore();
    const bindings = createConversationBindings(store, { channels: [adapter('chat')] });
    await bindings.bind({ ...bindTo, channel: 'chat', conversationId: 'a' });
    await bindings.bind({ ...bindTo, channel: 'chat', conversationId: 'b' });
    await bindings.bind({ ...bindTo, channel: 'chat', conversationId: 'b' }); // re-bind: still two
    await bindings.unbind({ channel: 'chat', conversationId: 'a' });
    expect((await bindings.lookupTarget(target('b')))?.conversationId).toBe('b');
    await bindings.unbind({ channel: 'chat', conversationId: 'b' });
    expect(await bindings.lookupTarget(target('b'))).toBeUndefined();
  });

  it('still reject a malformed target, and an adapter whose conversation id is broken', async () => {
    const store = createMemoryBindingStore();
    const broken = createConversationBindings(store, {
      channels: [adapter('chat', () => '')],
    });
    const lookup = broken.lookupTarget(target('g1'));
    await expect(lookup).rejects.toThrow(TypeError);
    await expect(broken.lookupTarget({} as ReplyTarget)).rejects.toThrow(/target/);
  });

  it('are known synchronously only when the store can tell, and never for a bound conversation', async () => {
    const store = createMemoryBindingStore();
    const channels = [adapter('chat')];
    const bindings = createConversationBindings(store, { channels });
    expect(isSurelyUnbound(bindings, target('g1'))).toBe(true);
    await createConversationBindings(store, { channels }).bind({
      ...bindTo,
      channel: 'chat',
      target: target('g1'),
    });
    expect(isSurelyUnbound(bindings, target('g1'))).toBe(false);
    expect(isSurelyUnbound(bindings, target('g1', 'other'))).toBe(true);
    // A malformed target is left to lookupTarget, which rejects it.
    expect(isSurelyUnbound(bindings, {} as ReplyTarget)).toBe(false);
    // A store of the host's own: no synchronous answer, every lookup asks it.
    const wrapped = createConversationBindings(
      {
        get: (id) => store.get(id),
        put: (b) => store.put(b),
        delete: (id) => store.delete(id),
        list: (f) => store.list(f),
      },
      { channels },
    );
    expect(isSurelyUnbound(wrapped, target('g2'))).toBe(false);
    expect(await wrapped.lookupTarget(target('g2'))).toBeUndefined();
  });

  it('cut every binding id to the scope of its channel and account', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (channel, account, conversation) => {
        expect(bindingIdScope(bindingIdOf(channel, account, conversation))).toBe(
          bindingScopeOf(channel, account),
        );
      }),
      { numRuns: 500 },
    );
  });
});
