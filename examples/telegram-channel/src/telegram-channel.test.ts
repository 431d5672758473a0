import { ChannelSendError, type InboundMessage, type ReplyTarget } from '@claw/channel-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';
import { createTelegramChannel, type TelegramChannelOptions } from './telegram-channel.js';

let api: FakeBotApi;
beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());
afterEach(() => api.reset());

const errors: unknown[] = [];
const channel = (options: Partial<TelegramChannelOptions> = {}) =>
  createTelegramChannel({
    token: api.token,
    baseUrl: api.url,
    pollTimeoutSeconds: 5,
    retryDelayMs: 5,
    onError: (error) => errors.push(error),
    ...options,
  });
const ctx = () => ({ idempotencyKey: 'k', signal: new AbortController().signal });
const target = (peerId: string, kind: 'direct' | 'group' = 'group'): ReplyTarget => ({
  channel: 'telegram',
  accountId: 'default',
  peer: { kind, id: peerId },
});

async function waitFor(predicate: () => boolean, what: string) {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

const from = { id: 555, is_bot: false, first_name: 'Alice', username: 'alice' };

describe('sending through the Bot API', () => {
  it('posts to a chat and returns a per-bot unique message id', async () => {
    const result = await channel().send(target('555', 'direct'), { text: 'hi' }, ctx());
    expect(result).toEqual({ messageId: '555:1' });
    expect(api.calls.at(-1)).toEqual({ method: 'sendMessage', params: { chat_id: '555', text: 'hi' } });
  });

  it('posts into a forum topic with message_thread_id, as a reply with reply_parameters', async () => {
    await channel().send(
      target('-100200:topic:7'),
      { text: 'answer', replyToMessageId: '-100200:41' },
      ctx(),
    );
    expect(api.calls.at(-1)?.params).toEqual({
      chat_id: '-100200',
      text: 'answer',
      message_thread_id: 7,
      reply_parameters: { message_id: 41, allow_sending_without_reply: true },
    });
  });

  it('turns a 429 into a retryable rate limit carrying retry_after in ms', async () => {
    api.failNext('sendMessage', {
      status: 429,
      description: 'Too Many Requests: retry after 7',
      retryAfter: 7,
    });
    const error = await channel()
      .send(target('555'), { text: 'x' }, ctx())
      .catch((e: unknown) => e);
    expect(ChannelSendError.isInstance(error) && [error.reason, error.retryable, error.retryAfterMs]).toEqual(
      ['rate_limited', true, 7000],
    );
  });

  it.each([
    [{ status: 403, description: 'Forbidden: bot was blocked by the user' }, 'forbidden'],
    [{ status: 400, description: 'Bad Request: chat not found' }, 'not_found'],
    [{ status: 400, description: 'Bad Request: message is too long' }, 'too_long'],
    [{ status: 400, description: "Bad Request: can't parse entities" }, 'invalid'],
    [{ status: 502, description: 'Bad Gateway', html: true }, 'network'],
    [{ status: 0, description: '', dropConnection: true }, 'network'],
  ] as const)('classifies %j as %s', async (failure, reason) => {
    api.failNext('sendMessage', failure);
    await expect(channel().send(target('555'), { text: 'x' }, ctx())).rejects.toMatchObject({ reason });
  });

  it('reports a wrong token as a permanent auth failure', async () => {
    const error = await channel({ token: 'wrong' })
      .send(target('555'), { text: 'x' }, ctx())
      .catch((e: unknown) => e);
    expect(ChannelSendError.isInstance(error) && [error.reason, error.permanent]).toEqual(['auth', true]);
  });

  it('refuses a target of another channel or account without calling Telegram', async () => {
    await expect(
      channel().send({ ...target('555'), accountId: 'other' }, { text: 'x' }, ctx()),
    ).rejects.toMatchObject({
      reason: 'invalid',
    });
    expect(api.calls).toEqual([]);
  });

  it('edits in place and treats an unchanged edit as done', async () => {
    const telegram = channel();
    const { messageId } = await telegram.send(target('555'), { text: 'draft' }, ctx());
    await telegram.edit!(target('555'), messageId, { text: 'final' }, ctx());
    await telegram.edit!(target('555'), messageId, { text: 'final' }, ctx());
    expect(api.messages().map((m) => m.text)).toEqual(['final']);
    await expect(telegram.edit!(target('555'), '555:99', { text: 'x' }, ctx())).rejects.toMatchObject({
      reason: 'not_found',
    });
  });

  it('shows typing in the topic and does nothing to clear it', async () => {
    const telegram = channel();
    await telegram.setTyping!(target('-100200:topic:7'), true);
    await telegram.setTyping!(target('-100200:topic:7'), false);
    expect(api.calls).toEqual([
      { method: 'sendChatAction', params: { chat_id: '-100200', action: 'typing', message_thread_id: 7 } },
    ]);
  });
});

describe('receiving by long polling', () => {
  it('asks getMe who it is, delivers updates in order and confirms them only after the core took them', async () => {
    const telegram = channel();
    const received: InboundMessage[] = [];
    const signal = new AbortController().signal;
    await telegram.start!({ signal, receive: async (m) => received.push(m) });
    api.pushUpdate({
      message: { message_id: 1, date: 1, chat: { id: 555, type: 'private' }, from, text: 'one' },
    });
    const second = api.pushUpdate({
      message: {
        message_id: 2,
        date: 2,
        chat: { id: -100200, type: 'supergroup', is_forum: true },
        from,
        text: '@claw_test_bot two',
        entities: [{ type: 'mention', offset: 0, length: 14 }],
        message_thread_id: 7,
        is_topic_message: true,
      },
    });
    await waitFor(() => received.length === 2, 'two messages');
    await waitFor(
      () => api.calls.some((c) => c.method === 'getUpdates' && c.params['offset'] === second + 1),
      'the confirming poll',
    );
    await telegram.stop!();
    expect(api.calls[0]?.method).toBe('getMe');
    expect(received.map((m) => [m.peer.id, m.text, m.mentions?.self ?? false])).toEqual([
      ['555', 'one', false],
      ['-100200:topic:7', '@claw_test_bot two', true],
    ]);
  });

  it('keeps polling after a failed poll and reports the error', async () => {
    errors.length = 0;
    const telegram = channel({ bot: { id: 999, username: 'claw_test_bot' } });
    const received: string[] = [];
    api.failNext('getUpdates', { status: 502, description: 'Bad Gateway', html: true });
    await telegram.start!({
      signal: new AbortController().signal,
      receive: async (m) => received.push(m.text),
    });
    api.pushUpdate({
      message: { message_id: 3, date: 3, chat: { id: 555, type: 'private' }, from, text: 'after error' },
    });
    await waitFor(() => received.length === 1, 'the message after the failed poll');
    await telegram.stop!();
    expect(api.calls.some((c) => c.method === 'getMe')).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'network' });
  });

  it('stops polling for good when the token is rejected', async () => {
    errors.length = 0;
    const telegram = channel({ token: 'revoked', bot: { id: 999, username: 'claw_test_bot' } });
    await telegram.start!({ signal: new AbortController().signal, receive: async () => undefined });
    await waitFor(() => errors.length === 1, 'the auth error');
    await telegram.stop!();
    // Count the revoked bot's polls only: a long poll of the previous test's bot may land late.
    expect(api.unauthorized.filter((method) => method === 'getUpdates')).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'auth' });
  });

  it('reports a message the core rejects and moves on to the next one', async () => {
    errors.length = 0;
    const telegram = channel({ bot: { id: 999, username: 'claw_test_bot' } });
    const received: string[] = [];
    await telegram.start!({
      signal: new AbortController().signal,
      receive: async (m) => {
        if (m.text === 'bad') throw new Error('rejected');
        received.push(m.text);
      },
    });
    api.pushUpdate({
      message: { message_id: 4, date: 4, chat: { id: 555, type: 'private' }, from, text: 'bad' },
    });
    api.pushUpdate({
      message: { message_id: 5, date: 5, chat: { id: 555, type: 'private' }, from, text: 'good' },
    });
    await waitFor(() => received.length === 1, 'the next message');
    await telegram.stop!();
    expect(errors.map((e) => (e as Error).message)).toEqual(['rejected']);
  });

  it('ends an in-flight long poll on stop, and stops when the gateway signal aborts', async () => {
    const telegram = channel({ bot: { id: 999, username: 'claw_test_bot' } });
    const gateway = new AbortController();
    await telegram.start!({ signal: gateway.signal, receive: async () => undefined });
    await waitFor(() => api.calls.some((c) => c.method === 'getUpdates'), 'the first poll');
    gateway.abort();
    await telegram.stop!();
    const polls = api.calls.filter((c) => c.method === 'getUpdates').length;
    await telegram.stop!();
    expect(api.calls.filter((c) => c.method === 'getUpdates')).toHaveLength(polls);
  });
});

describe('createTelegramChannel', () => {
  it('requires a token', () => {
    expect(() => createTelegramChannel({ token: ' ' })).toThrow(/token must be the bot token/);
  });
});
