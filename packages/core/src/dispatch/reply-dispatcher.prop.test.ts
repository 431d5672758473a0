import { type ChannelAdapter, ChannelSendError, type ReplyTarget } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryOutboxStore } from '../stores/memory-stores.js';
import { createReplyDispatcher } from './reply-dispatcher.js';
import { conversationKeyOf } from './target-key.js';

const channelIds = ['telegram', 'slack', 'matrix'] as const;

const targetArb: fc.Arbitrary<ReplyTarget> = fc
  .record({
    channel: fc.constantFrom(...channelIds),
    accountId: fc.constantFrom('default', 'work'),
    kind: fc.constantFrom('direct' as const, 'group' as const, 'channel' as const),
    peer: fc.constantFrom('a', 'b', '!room:server', 'a:thread:b'),
    thread: fc.option(fc.constantFrom('t1', 't2'), { nil: undefined }),
  })
  .map((r) => ({
    channel: r.channel,
    accountId: r.accountId,
    peer: { kind: r.kind, id: r.peer },
    ...(r.thread === undefined ? {} : { threadId: r.thread }),
  }));

const outcomeArb = fc.constantFrom('ok', 'ok', 'ok', 'transient', 'permanent');

describe('reply dispatcher (property)', () => {
  it('delivers every part to its own target only, in order per target, never twice, and accounts for every part', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ target: targetArb, words: fc.integer({ min: 1, max: 12 }) }), { maxLength: 25 }),
        fc.array(outcomeArb, { maxLength: 200 }),
        async (scheduler, deliveries, outcomes) => {
          let call = 0;
          const channels = channelIds.map((id): ChannelAdapter => {
            const channel = createTestChannel({ textChunkLimit: 16 }, { id });
            return {
              ...channel,
              send: async (target, message, ctx) => {
                await scheduler.schedule(Promise.resolve(), `${id} send ${ctx.idempotencyKey}`);
                const outcome = outcomes[call++ % Math.max(1, outcomes.length)] ?? 'ok';
                if (outcome === 'transient') throw new ChannelSendError('flaky', { reason: 'network' });
                if (outcome === 'permanent') throw new ChannelSendError('gone', { reason: 'forbidden' });
                return channel.send(target, message, ctx);
              },
            };
          });
          const failedKeys: string[] = [];
          const dispatcher = createReplyDispatcher({
            channels,
            outbox: createMemoryOutboxStore(),
            sleep: async () => {},
            onEvent: (name, payload) => {
              if (name === 'reply:failed')
                failedKeys.push((payload as { idempotencyKey: string }).idempotencyKey);
            },
          });

          const posted: { key: string; target: ReplyTarget; text: string }[] = [];
          const expected = new Map<string, { target: ReplyTarget; order: number }>();
          const results = deliveries.map(({ target, words }, i) => {
            const text = Array.from({ length: words }, (_, w) => `d${i}w${w}`).join(' ');
            return dispatcher.deliver(target, text, { turnId: `turn${i}`, partIndex: 0 }).then((result) => {
              for (const part of result.parts)
                expected.set(part.idempotencyKey, { target, order: i * 1000 + part.chunkIndex });
              return result;
            });
          });
          await scheduler.waitIdle();
          const settled = await Promise.all(results);
          await dispatcher.idle();
          for (const channel of channels) {
            for (const sent of (
              channel as unknown as {
                sent: { idempotencyKey: string; target: ReplyTarget; message: { text: string } }[];
              }
            ).sent) {
              posted.push({ key: sent.idempotencyKey, target: sent.target, text: sent.message.text });
            }
          }

          // Each part landed exactly where its delivery was pinned, and only once.
          expect(new Set(posted.map((p) => p.key)).size).toBe(posted.length);
          for (const p of posted) expect(p.target).toEqual(expected.get(p.key)?.target);
          // Per target (each channel's log is in send order), parts and their chunks went out in the
          // order they were delivered.
          const byTarget = new Map<string, number[]>();
          for (const p of posted) {
            const key = conversationKeyOf(p.target);
            byTarget.set(key, [...(byTarget.get(key) ?? []), expected.get(p.key)!.order]);
          }
          for (const orders of byTarget.values()) expect(orders).toEqual([...orders].sort((a, b) => a - b));
          // Every chunk is accounted for: sent or reported failed, never both.
          const sentKeys = new Set(posted.map((p) => p.key));
          for (const result of settled) {
            for (const part of result.parts) {
              const failed = failedKeys.filter((k) => k === part.idempotencyKey).length;
              expect(sentKeys.has(part.idempotencyKey) ? 1 : 0, part.idempotencyKey).toBe(
                part.status === 'sent' ? 1 : 0,
              );
              expect(failed, part.idempotencyKey).toBe(part.status === 'failed' ? 1 : 0);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
