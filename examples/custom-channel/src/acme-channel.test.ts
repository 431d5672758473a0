import { InvalidMessageError } from '@claw/channel-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcmeMessage } from './acme-api.js';
import { createAcmeChannel, toInboundMessage } from './acme-channel.js';
import { type FakeAcme, startFakeAcme } from './fake-acme.js';

const message: AcmeMessage = {
  id: 'M-1',
  conversation: { id: 'C-general', kind: 'channel' },
  thread_id: 'T-7',
  author: { id: 'U-alice', handle: 'alice', name: 'Alice', is_bot: false },
  text: '@acmebot deploy?',
  mentions: ['U-bot'],
  reply_to: { id: 'M-0', author_id: 'U-bot' },
  created_at: '2026-01-01T09:00:00.000Z',
};

describe('Acme events → InboundMessage', () => {
  it('keeps the conversation, the thread, the sender and the native mention', () => {
    expect(toInboundMessage(message, 'U-bot')).toMatchObject({
      channel: 'acme',
      messageId: 'M-1',
      peer: { kind: 'channel', id: 'C-general' },
      threadId: 'T-7',
      sender: { id: 'U-alice', username: 'alice', isSelf: false },
      mentions: { self: true, users: ['U-bot'] },
      replyTo: { messageId: 'M-0', fromSelf: true },
      timestamp: Date.UTC(2026, 0, 1, 9),
    });
  });

  it('maps a DM to a direct peer and flags the bot’s own messages', () => {
    const own = toInboundMessage(
      { ...message, conversation: { id: 'D-1', kind: 'dm' }, author: { ...message.author, id: 'U-bot' } },
      'U-bot',
    );
    expect(own.peer).toEqual({ kind: 'direct', id: 'D-1' });
    expect(own.sender.isSelf).toBe(true);
  });

  it('rejects an event without a conversation, naming the field', () => {
    const broken = { ...message, conversation: undefined } as unknown as AcmeMessage;
    expect(() => toInboundMessage(broken, 'U-bot')).toThrow(InvalidMessageError);
  });
});

describe('the Acme webhook', () => {
  let acme: FakeAcme;
  beforeEach(async () => {
    acme = await startFakeAcme();
  });
  afterEach(() => acme.close());

  it('hands events to the core only with the right secret, and answers 400 to a malformed one', async () => {
    const received: unknown[] = [];
    const channel = createAcmeChannel({
      baseUrl: acme.url,
      token: acme.token,
      botUserId: acme.bot.id,
      webhookSecret: 'right',
    });
    const stop = new AbortController();
    await channel.start!({ signal: stop.signal, receive: async (m) => received.push(m) });
    try {
      const ok = await acme.deliver({ conversation: { id: 'G-team', kind: 'group' }, text: 'hi' });
      expect(ok.status).toBe(204);
      expect(received).toHaveLength(1);

      // Someone who found the URL but not the secret.
      const forged = await fetch(acme.webhookUrl()!, {
        method: 'POST',
        headers: { 'x-acme-secret': 'wrong' },
        body: JSON.stringify({ type: 'message.created', message }),
      });
      expect(forged.status).toBe(401);

      const malformed = await fetch(acme.webhookUrl()!, {
        method: 'POST',
        headers: { 'x-acme-secret': 'right' },
        body: JSON.stringify({ type: 'message.created', message: { ...message, author: undefined } }),
      });
      expect(malformed.status).toBe(400);
      expect(received).toHaveLength(1);
    } finally {
      stop.abort();
      await channel.stop!();
    }
  });
});
