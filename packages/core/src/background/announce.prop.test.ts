import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpawnLimitError } from './errors.js';
import { createHarness, dmTarget, flush, groupTarget, parentFor } from './test-support.js';
import type { SpawnParent } from './types.js';

// The seed's gateway: one group with a main channel and two threads, another group, two DMs.
const ORIGINS = [
  groupTarget('dev-team'),
  groupTarget('dev-team', 'ci'),
  groupTarget('dev-team', 'release-plan'),
  groupTarget('release-squad'),
  dmTarget('u1'),
  dmTarget('u2'),
];

type Action =
  | { readonly kind: 'ask'; readonly origin: number } // a new turn spawns a run
  | { readonly kind: 'spawnMore'; readonly pick: number } // an open turn spawns one more (A and B in parallel)
  | { readonly kind: 'reply'; readonly pick: number } // an open turn sends its ack and ends
  | { readonly kind: 'finish'; readonly pick: number; readonly ok: boolean } // a child ends
  | { readonly kind: 'chat'; readonly origin: number } // unrelated traffic in some conversation
  | { readonly kind: 'tick'; readonly ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('ask' as const), origin: fc.nat(ORIGINS.length - 1) }),
  fc.record({ kind: fc.constant('spawnMore' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reply' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('chat' as const), origin: fc.nat(ORIGINS.length - 1) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
);

describe('announce routing (property)', () => {
  it('every result lands once at its parent’s origin, after that turn’s own reply, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const h = createHarness();
        const open: SpawnParent[] = [];
        const runs = new Map<string, SpawnParent>(); // runId → parent turn
        let chats = 0;
        const spawnFrom = async (parent: SpawnParent) => {
          try {
            const { runId } = await h.manager.spawn(parent, { task: `task of ${parent.turnId}` });
            runs.set(runId, parent);
          } catch (error) {
            if (!SpawnLimitError.isInstance(error)) throw error;
          }
        };
        const reply = async (parent: SpawnParent) => {
          await h.dispatcher
            .forTurn({ turnId: parent.turnId, target: parent.target })
            .send(`ack ${parent.turnId}`);
          h.endTurn(parent);
        };
        const settled = new Set<number>();
        for (const a of actions) {
          switch (a.kind) {
            case 'ask': {
              const parent = parentFor(ORIGINS[a.origin]!);
              open.push(parent);
              await spawnFrom(parent);
              break;
            }
            case 'spawnMore':
              if (open.length > 0) await spawnFrom(open[a.pick % open.length]!);
              break;
            case 'reply':
              if (open.length > 0) await reply(open.splice(a.pick % open.length, 1)[0]!);
              break;
            case 'finish': {
              const pending = h.calls.map((_, i) => i).filter((i) => !settled.has(i));
              if (pending.length === 0) break;
              const i = pending[a.pick % pending.length]!;
              settled.add(i);
              if (a.ok) h.calls[i]!.resolve(`result ${h.calls[i]!.input.runId}`);
              else h.calls[i]!.reject(new Error('child failed'));
              break;
            }
            case 'chat':
              await h.dispatcher.deliver(ORIGINS[a.origin]!, 'chatter', {
                turnId: `chat-${chats++}`,
                partIndex: 0,
              });
              break;
            case 'tick':
              await h.clock.advance(a.ms);
              break;
          }
        }
        for (const parent of open.splice(0)) await reply(parent);
        await flush();
        h.calls.forEach((call, i) => {
          if (!settled.has(i)) call.resolve('late result');
        });
        await h.manager.idle();

        const sent = h.channel.sent;
        for (const [runId, parent] of runs) {
          const announces = sent.filter((s) => s.idempotencyKey === `announce:${runId}`);
          expect(announces).toHaveLength(1);
          expect(announces[0]!.target).toEqual(parent.target);
          const ackIndex = sent.findIndex((s) => s.message.text === `ack ${parent.turnId}`);
          expect(ackIndex).toBeGreaterThanOrEqual(0);
          expect(ackIndex).toBeLessThan(sent.indexOf(announces[0]!));
        }
        expect(sent.filter((s) => s.idempotencyKey.startsWith('announce:'))).toHaveLength(runs.size);
        expect(h.manager.stats).toEqual({ executing: 0, announcing: 0, parentSessions: 0, heldTurns: 0 });
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
