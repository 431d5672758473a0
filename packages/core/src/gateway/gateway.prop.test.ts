import { type InboundMessage, replyTargetOf } from '@claw/channel-kit';
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TurnContext } from '../agents/types.js';
import { createRouter } from '../routing/router.js';
import { createManualClock, createTestClaw } from '../testing/index.js';
import type { ClawConfig } from './config.js';

const openChannel = {
  dmPolicy: 'open',
  allowFrom: ['*'],
  groupPolicy: 'open',
  groups: { '*': { requireMention: false } },
} as const;

/** Two channels, two accounts each, two agents; one account of one channel is bound to `support`. */
const config: ClawConfig = {
  agents: { list: [{ id: 'main', default: true }, { id: 'support' }] },
  bindings: [{ agentId: 'support', match: { channel: 'beta', accountId: 'second' } }],
  session: { dmScope: 'per-account-channel-peer' },
  channels: { alpha: openChannel, beta: openChannel },
};

const origin = fc.record({
  channel: fc.constantFrom('alpha', 'beta'),
  accountId: fc.constantFrom('default', 'second'),
  kind: fc.constantFrom('dm', 'group', 'thread', 'topic'),
  where: fc.integer({ min: 1, max: 3 }),
  sub: fc.integer({ min: 1, max: 2 }),
  sender: fc.integer({ min: 1, max: 3 }),
});
type Origin = typeof origin extends fc.Arbitrary<infer T> ? T : never;

const command = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('send' as const),
      origin,
      delay: fc.integer({ min: 0, max: 6 }),
      failure: fc.constantFrom('none', 'none', 'none', 'network', 'permanent'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('tick' as const), rounds: fc.integer({ min: 1, max: 6 }) }),
  },
);

const nextRound = () => new Promise<void>((resolve) => setImmediate(resolve));

function build(channel: TestChannel, o: Origin, messageId: string): InboundMessage {
  const common = { messageId, accountId: o.accountId, sender: `s${o.sender}` };
  const text = `text of ${messageId}`;
  switch (o.kind) {
    case 'dm':
      return channel.dm(text, common);
    case 'group':
      return channel.group(text, { ...common, groupId: `g${o.where}` });
    case 'thread':
      return channel.thread(text, { ...common, peerId: `c${o.where}`, threadId: `t${o.sub}` });
    default:
      return channel.topic(text, { ...common, groupId: `f${o.where}`, topicId: String(o.sub) });
  }
}

describe('the gateway under random interleavings', () => {
  it('answers every message at its own origin only, keeps sessions apart, and runs each session in order', async () => {
    const router = createRouter(config);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => {
        const clock = createManualClock();
        const channels = {
          alpha: createTestChannel({}, { id: 'alpha', now: () => clock.now() }),
          beta: createTestChannel({}, { id: 'beta', now: () => clock.now() }),
        };
        const delays = new Map<string, number>();
        const active = new Set<string>();
        const handled = new Map<string, string[]>();
        let overlaps = 0;
        const handler = async (ctx: TurnContext) => {
          if (active.has(ctx.sessionKey)) overlaps++;
          active.add(ctx.sessionKey);
          const ids = ctx.messages.map((m) => m.messageId);
          handled.set(ctx.sessionKey, [...(handled.get(ctx.sessionKey) ?? []), ...ids]);
          for (let i = 0; i < (delays.get(ids[0]!) ?? 0); i++) await nextRound();
          active.delete(ctx.sessionKey);
          return `reply:${ids.join(',')}`;
        };
        const t = createTestClaw({
          config,
          clock,
          channels: [channels.alpha, channels.beta],
          agents: { main: handler, support: handler },
        });

        const messages = new Map<string, InboundMessage>();
        const sessionOf = new Map<string, string>();
        const turnOf = new Map<string, string>();
        const admitted = new Map<string, string[]>();
        for (const [i, c] of commands.entries()) {
          if (c.type === 'tick') {
            for (let r = 0; r < c.rounds; r++) await nextRound();
            continue;
          }
          const channel = channels[c.origin.channel];
          const message = build(channel, c.origin, `m${i}`);
          messages.set(message.messageId, message);
          delays.set(message.messageId, c.delay);
          if (c.failure !== 'none') {
            channel.failNext(1, { reason: c.failure === 'network' ? 'network' : 'forbidden' });
          }
          const receipt = await t.receive(message);
          expect(receipt.status).toBe('dispatched');
          // The session is the one routing alone gives (no cross-talk by construction).
          expect(receipt.sessionKey).toBe(router.resolve(message).sessionKey);
          sessionOf.set(message.messageId, receipt.sessionKey!);
          turnOf.set(message.messageId, receipt.turnId!);
          admitted.set(receipt.sessionKey!, [
            ...(admitted.get(receipt.sessionKey!) ?? []),
            message.messageId,
          ]);
        }
        await t.idle();

        // Each session's turns ran one at a time, in arrival order.
        expect(overlaps).toBe(0);
        expect(Object.fromEntries(handled)).toEqual(Object.fromEntries(admitted));

        // Every reply went to the origin of the message it answers, on its channel, and only once.
        const failedTurns = new Set(t.events('reply:failed').map((e) => e.turnId));
        const repliesPerMessage = new Map<string, number>();
        for (const channel of [channels.alpha, channels.beta]) {
          for (const sent of channel.sent) {
            const ids = sent.message.text.replace(/^reply:/, '').split(',');
            for (const id of ids) {
              const source = messages.get(id)!;
              expect(source.channel).toBe(channel.id);
              expect(sent.target).toEqual(replyTargetOf(source));
              repliesPerMessage.set(id, (repliesPerMessage.get(id) ?? 0) + 1);
            }
          }
        }
        for (const id of messages.keys()) {
          const count = repliesPerMessage.get(id) ?? 0;
          expect(count).toBe(failedTurns.has(turnOf.get(id)!) ? 0 : 1);
        }

        // Each session's transcript holds its own messages and replies, and nothing else.
        for (const [sessionKey, ids] of admitted) {
          const transcript = await t.stores.transcripts.read(sessionKey);
          expect(transcript.filter((e) => e.role === 'user').map((e) => e.messageId)).toEqual(ids);
          for (const entry of transcript.filter((e) => e.role === 'assistant')) {
            for (const id of entry.text.replace(/^reply:/, '').split(',')) {
              expect(sessionOf.get(id)).toBe(sessionKey);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
