import type { ReplyTarget } from '@claw/channel-kit';
import { channelConformance } from '@claw/channel-kit/testing';
import { afterAll, beforeAll } from 'vitest';
import { type FakeBotApi, type FakeFailure, startFakeBotApi } from './fake-bot-api.js';
import { createTelegramChannel } from './telegram-channel.js';
import { topicPeerId } from './updates.js';

let api: FakeBotApi;
beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());

const target = (kind: 'direct' | 'group', id: string): ReplyTarget => ({
  channel: 'telegram',
  accountId: 'default',
  peer: { kind, id },
});

// How each failure the kit asks for looks on the real Bot API.
const failures: Record<string, FakeFailure> = {
  rate_limited: { status: 429, description: 'Too Many Requests: retry after 3', retryAfter: 3 },
  network: { status: 0, description: '', dropConnection: true },
  auth: { status: 401, description: 'Unauthorized' },
  not_found: { status: 400, description: 'Bad Request: chat not found' },
  forbidden: { status: 403, description: 'Forbidden: bot was kicked from the supergroup chat' },
  too_long: { status: 400, description: 'Bad Request: message is too long' },
};

const chats = {
  direct: { id: 555, type: 'private' as const },
  group: { id: -100200, type: 'supergroup' as const },
};
const alice = { id: 555, is_bot: false, first_name: 'Alice', username: 'alice' };

channelConformance(
  () =>
    createTelegramChannel({ token: api.token, baseUrl: api.url, pollTimeoutSeconds: 5, onError: () => {} }),
  {
    name: 'telegram',
    targets: {
      direct: target('direct', '555'),
      group: target('group', '-100200'),
      topic: target('group', topicPeerId(-100200, 7)),
    },
    received: () =>
      api.messages().map((m) => ({
        peerId: m.threadId === undefined ? m.chatId : topicPeerId(m.chatId, m.threadId),
        text: m.text,
        messageId: `${m.chatId}:${m.messageId}`,
        ...(m.replyToMessageId === undefined
          ? {}
          : { replyToMessageId: `${m.chatId}:${m.replyToMessageId}` }),
      })),
    reset: () => api.reset(),
    failNextSend: ({ reason }) => api.failNext('sendMessage', failures[reason]!),
    failureReasons: ['rate_limited', 'network', 'auth', 'not_found', 'forbidden', 'too_long'],
    deliverInbound: ({ from, text, mention, chatType }) => {
      const handle = `@${api.bot.username}`;
      api.pushUpdate({
        message: {
          message_id: Math.floor(Math.random() * 1e9),
          date: 1_700_000_000,
          chat: chatType === 'direct' ? chats.direct : chats.group,
          from: from === 'self' ? api.bot : alice,
          text: mention ? `${handle} ${text}` : text,
          ...(mention ? { entities: [{ type: 'mention', offset: 0, length: handle.length }] } : {}),
        },
      });
    },
  },
);
