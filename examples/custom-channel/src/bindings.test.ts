import type { ReplyTarget } from '@claw/channel-kit';
import { type Claw, ConversationBindingError, createClaw } from '@claw/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME, createAcmeChannel } from './acme-channel.js';
import { type FakeAcme, startFakeAcme } from './fake-acme.js';

// Conversation bindings are generic: the adapter implements nothing for them. Declaring
// `supportsCurrentConversationBinding` (and `threads`) is all that lets the core pin an Acme
// conversation or thread to a session.
describe('conversation bindings on the Acme adapter', () => {
  let acme: FakeAcme;
  let claw: Claw | undefined;

  beforeEach(async () => {
    acme = await startFakeAcme();
  });
  afterEach(async () => {
    await claw?.stop();
    await acme.close();
  });

  function adapter(withFlag = true) {
    const acmeChannel = createAcmeChannel({
      baseUrl: acme.url,
      token: acme.token,
      botUserId: acme.bot.id,
      webhookSecret: 's3cret',
    });
    if (withFlag) return acmeChannel;
    return {
      ...acmeChannel,
      capabilities: { ...acmeChannel.capabilities, supportsCurrentConversationBinding: false },
    };
  }

  async function start(channel = adapter()): Promise<Claw> {
    claw = createClaw({
      config: {
        agents: { list: [{ id: 'main', default: true }, { id: 'coder' }] },
        channels: { [ACME]: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
      },
      channels: [channel],
      agents: { main: () => 'main here', coder: () => 'coder here' },
    });
    await claw.start(); // starts the adapter: its webhook server, registered with Acme
    return claw;
  }

  /** Ask in a conversation and return the answer Acme received there. */
  async function ask(
    conversation: { id: string; kind: 'group' | 'channel' },
    threadId?: string,
  ): Promise<string> {
    acme.reset();
    await acme.deliver({
      conversation,
      text: 'who is there?',
      mentionBot: true,
      ...(threadId ? { threadId } : {}),
    });
    await claw!.idle();
    const answers = acme
      .messages()
      .filter((m) => m.conversationId === conversation.id && m.threadId === threadId);
    expect(answers).toHaveLength(1);
    return answers[0]!.text;
  }

  const team = { id: 'G-team', kind: 'group' } as const;
  const general = { id: 'C-general', kind: 'channel' } as const;
  const teamTarget: ReplyTarget = {
    channel: ACME,
    accountId: 'default',
    peer: { kind: 'group', id: 'G-team' },
  };

  it('a bound conversation is answered by the bound agent; others are routed as usual', async () => {
    const gateway = await start();
    expect(await ask(team)).toBe('main here');

    await gateway.bindings.bind({
      channel: ACME,
      kind: 'current',
      target: teamTarget,
      agentId: 'coder',
      targetSessionKey: 'agent:coder:acme:group:G-team',
    });
    expect(await ask(team)).toBe('coder here');
    expect(await ask(general)).toBe('main here');

    await gateway.bindings.unbind({ target: teamTarget }, 'unfocus');
    expect(await ask(team)).toBe('main here');
  });

  it('a bound thread is answered by the bound agent, in the thread, while its channel is not', async () => {
    const gateway = await start();
    await gateway.bindings.bind({
      channel: ACME,
      kind: 'thread',
      target: {
        channel: ACME,
        accountId: 'default',
        peer: { kind: 'channel', id: 'C-general' },
        threadId: 'T-7',
      },
      agentId: 'coder',
      targetSessionKey: 'agent:coder:acme:channel:C-general:thread:T-7',
    });
    expect(await ask(general, 'T-7')).toBe('coder here');
    expect(await ask(general)).toBe('main here');
  });

  it('without the flag the same adapter cannot bind, and the error names the flag to declare', async () => {
    const gateway = await start(adapter(false));
    expect(gateway.bindings.supports(ACME, 'current')).toBe(false);
    const error = await gateway.bindings
      .bind({
        channel: ACME,
        kind: 'current',
        target: teamTarget,
        agentId: 'coder',
        targetSessionKey: 'agent:coder:acme:group:G-team',
      })
      .catch((e: unknown) => e);
    expect(ConversationBindingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'capability_unsupported',
      capability: 'supportsCurrentConversationBinding',
    });
  });
});
