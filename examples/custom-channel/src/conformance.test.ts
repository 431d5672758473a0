import type { ReplyTarget } from '@claw/channel-kit';
import { channelConformance } from '@claw/channel-kit/testing';
import { afterAll, beforeAll } from 'vitest';
import type { AcmeConversation } from './acme-api.js';
import { ACME, createAcmeChannel } from './acme-channel.js';
import { type FakeAcme, startFakeAcme } from './fake-acme.js';

// The shared contract tests of every channel adapter, run against a fake Acme on 127.0.0.1.
// Each check gets a fresh adapter; the fake is how the kit sees what "the platform" received.
let acme: FakeAcme;
beforeAll(async () => {
  acme = await startFakeAcme();
});
afterAll(() => acme.close());

const target = (kind: ReplyTarget['peer']['kind'], id: string, threadId?: string): ReplyTarget => ({
  channel: ACME,
  accountId: 'default',
  peer: { kind, id },
  ...(threadId === undefined ? {} : { threadId }),
});

const conversations: Record<'direct' | 'group' | 'channel', AcmeConversation> = {
  direct: { id: 'D-alice', kind: 'dm' },
  group: { id: 'G-team', kind: 'group' },
  channel: { id: 'C-general', kind: 'channel' },
};

channelConformance(
  () =>
    createAcmeChannel({
      baseUrl: acme.url,
      token: acme.token,
      botUserId: acme.bot.id,
      webhookSecret: 'conformance-secret',
    }),
  {
    name: 'acme',
    // One target per chat type we declare, and one thread (we declare `threads`).
    targets: {
      direct: target('direct', 'D-alice'),
      group: target('group', 'G-team'),
      channel: target('channel', 'C-general'),
      thread: target('channel', 'C-general', 'T-100'),
    },
    // What Acme holds, in the adapter's own terms (the same ids as ReplyTarget and SendResult).
    received: () =>
      acme.messages().map((m) => ({
        peerId: m.conversationId,
        text: m.text,
        messageId: m.id,
        ...(m.threadId === undefined ? {} : { threadId: m.threadId }),
        ...(m.replyTo === undefined ? {} : { replyToMessageId: m.replyTo }),
      })),
    reset: () => acme.reset(),
    // Every way Acme fails, so the kit can check each is classified (and retryable or not).
    failNextSend: ({ reason, retryAfterMs }) => acme.failNextPost(reason, retryAfterMs),
    failureReasons: ['rate_limited', 'network', 'auth', 'not_found', 'forbidden', 'too_long', 'invalid'],
    // How the kit makes Acme deliver an inbound message to the started adapter.
    deliverInbound: async ({ from, text, mention, chatType }) => {
      await acme.deliver({
        conversation: conversations[chatType],
        text,
        mentionBot: mention === true,
        ...(from === 'self' ? { author: acme.bot } : {}),
      });
    },
  },
);
