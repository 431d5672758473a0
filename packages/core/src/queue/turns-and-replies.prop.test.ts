import { type ChannelAdapter, ChannelSendError, type InboundMessage, replyTargetOf } from '@claw/channel-kit';
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReplyDispatcher } from '../dispatch/reply-dispatcher.js';
import { conversationKeyOf } from '../dispatch/target-key.js';
import { createMemoryStores } from '../stores/memory-stores.js';
import { createSessionQueues } from './session-queues.js';

// The queue, the dispatcher and the stores together, as the gateway wires them: one session per
// conversation (standing in for the router), each turn appends to its transcript and answers
// through the dispatcher, with random handler delays and random send failures.

const channelIds = ['telegram', 'slack'] as const;

/** One inbound message to generate: where it comes from and how long its turn thinks. */
interface Spec {
  readonly channel: (typeof channelIds)[number];
  readonly account: string;
  readonly shape: 'dm' | 'group' | 'thread' | 'topic';
  readonly peer: string;
  readonly thread: string;
  readonly steps: number;
}

const messageArb: fc.Arbitrary<Spec> = fc.record({
  channel: fc.constantFrom(...channelIds),
  account: fc.constantFrom('default', 'work'),
  shape: fc.constantFrom('dm' as const, 'group' as const, 'thread' as const, 'topic' as const),
  peer: fc.constantFrom('a', 'b', 'c:thread:x'),
  thread: fc.constantFrom('t1', 't2'),
  steps: fc.integer({ min: 0, max: 2 }),
});

function build(channel: TestChannel, spec: Spec, id: string): InboundMessage {
  const options = { messageId: id, accountId: spec.account, sender: `user-${spec.peer}` };
  switch (spec.shape) {
    case 'dm':
      return channel.dm(`hello ${id}`, options);
    case 'group':
      return channel.group(`hello ${id}`, { ...options, groupId: spec.peer });
    case 'thread':
      return channel.thread(`hello ${id}`, { ...options, peerId: spec.peer, threadId: spec.thread });
    default:
      return channel.topic(`hello ${id}`, { ...options, groupId: spec.peer, topicId: spec.thread });
  }
}

describe('turns and replies (property)', () => {
  it('answer every message at its own origin only, keep transcripts apart, and run each session in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(messageArb, { maxLength: 30 }),
        fc.array(fc.constantFrom('ok', 'ok', 'ok', 'transient', 'permanent'), { maxLength: 100 }),
        async (scheduler, specs, failures) => {
          const channels = Object.fromEntries(
            channelIds.map((id) => [id, createTestChannel({}, { id })]),
          ) as Record<(typeof channelIds)[number], TestChannel>;
          let sendCall = 0;
          const adapters = channelIds.map(
            (id): ChannelAdapter => ({
              ...channels[id],
              send: async (target, message, ctx) => {
                await scheduler.schedule(Promise.resolve(), `send ${ctx.idempotencyKey}`);
                const failure = failures[sendCall++ % Math.max(1, failures.length)] ?? 'ok';
                if (failure === 'transient') throw new ChannelSendError('flaky', { reason: 'network' });
                if (failure === 'permanent') throw new ChannelSendError('gone', { reason: 'forbidden' });
                return channels[id].send(target, message, ctx);
              },
            }),
          );
          const stores = createMemoryStores();
          const failedTurns = new Set<string>();
          const dispatcher = createReplyDispatcher({
            channels: adapters,
            outbox: stores.outbox,
            sleep: async () => {},
            onEvent: (name, payload) => {
              if (name === 'reply:failed') failedTurns.add((payload as { turnId: string }).turnId);
            },
          });
          const running = new Map<string, number>();
          const overlaps: string[] = [];
          const origin = new Map<string, string>(); // message id → conversation key
          const queues = createSessionQueues<InboundMessage>({
            defaults: { cap: 1000 },
            run: async (turn) => {
              running.set(turn.sessionKey, (running.get(turn.sessionKey) ?? 0) + 1);
              if (running.get(turn.sessionKey)! > 1) overlaps.push(turn.sessionKey);
              const message = turn.items[0]!.payload;
              await stores.transcripts.append(turn.sessionKey, {
                role: 'user',
                text: message.text,
                at: 0,
                messageId: message.messageId,
              });
              const steps = specs[Number(message.messageId.slice(1))]!.steps;
              for (let i = 0; i < steps; i++)
                await scheduler.schedule(Promise.resolve(), `${turn.id} thinks`);
              await dispatcher
                .forTurn({ turnId: turn.id, target: turn.target })
                .send(`re:${message.messageId}`);
              await stores.transcripts.append(turn.sessionKey, {
                role: 'assistant',
                text: `re:${message.messageId}`,
                at: 0,
              });
              running.set(turn.sessionKey, running.get(turn.sessionKey)! - 1);
            },
          });

          const arrival = new Map<string, string[]>(); // session → message ids in arrival order
          specs.forEach((spec, i) => {
            scheduler.scheduleFunction(async () => {
              const message = build(channels[spec.channel], spec, `m${i}`);
              const target = replyTargetOf(message);
              const sessionKey = conversationKeyOf(target);
              origin.set(message.messageId, sessionKey);
              arrival.set(sessionKey, [...(arrival.get(sessionKey) ?? []), message.messageId]);
              queues.enqueue({ sessionKey, target, payload: message, id: `turn-${message.messageId}` });
            })();
          });
          await scheduler.waitIdle();
          await queues.idle();
          await dispatcher.idle();

          expect(overlaps).toEqual([]);
          // Every reply landed at the origin of the message it answers, and only once.
          const replies = channelIds.flatMap((id) => channels[id].sent);
          for (const reply of replies) {
            const answered = reply.message.text.slice('re:'.length);
            expect(conversationKeyOf(reply.target), `reply to ${answered}`).toBe(origin.get(answered));
          }
          expect(new Set(replies.map((r) => r.message.text)).size).toBe(replies.length);
          // Every message got its answer, unless the send was reported as failed.
          for (const id of origin.keys()) {
            const answered = replies.some((r) => r.message.text === `re:${id}`);
            expect(answered || failedTurns.has(`turn-${id}`), `message ${id} unanswered and unreported`).toBe(
              true,
            );
          }
          // Each transcript holds its own conversation only, in arrival order.
          for (const [sessionKey, ids] of arrival) {
            const entries = await stores.transcripts.read(sessionKey);
            const users = entries.filter((e) => e.role === 'user').map((e) => e.messageId);
            expect(users).toEqual(ids);
            for (const e of entries.filter((x) => x.role === 'assistant')) {
              expect(origin.get(e.text.slice(3))).toBe(sessionKey);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
