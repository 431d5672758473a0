/**
 * Gateway building-block benchmarks (issue 6, items 2, 5, 6). Measures, on one core:
 *   - session queues alone: messages/s from `enqueue` to the end of a no-op turn, across 1 000
 *     sessions (so turns of different sessions interleave in the lanes), and per-message overhead;
 *   - session queues + reply dispatcher + memory stores: every turn touches its session, appends
 *     to its transcript, claims a dedupe key and sends one reply (outbox record + mark) to the
 *     in-memory test channel;
 *   - 10 000 concurrent sessions: admission time and heap while all are running at once;
 *   - 1 000 000 distinct sessions that come and go: heap after (idle sessions must be released,
 *     so the runtime returns to within a few MB of where it started; stores are not involved).
 * Every run checks its own result (all turns ran, every reply landed at its own target) and exits
 * non-zero otherwise. The composed `createClaw().receive` pipeline is measured once it exists.
 * Run with `pnpm bench gateway` (or `node --expose-gc --import tsx bench/gateway-queue.bench.ts`).
 */
import { cpus } from 'node:os';
import type { ReplyTarget } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import {
  conversationKeyOf,
  createConversationBindings,
  createMemoryStores,
  createReplyDispatcher,
  createSessionQueues,
} from '@claw/core';
import { fail, fmt, gc, heap, mb, median } from './support.js';

/** Messages in admission at once in the pipeline benchmarks. */
const window = 1000;

const targets: ReplyTarget[] = Array.from({ length: 1000 }, (_, i) => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: i % 3 === 0 ? 'direct' : 'group', id: `peer-${i}` },
  ...(i % 5 === 0 ? { threadId: `t${i}` } : {}),
}));

/** Messages/s of the queues with a no-op turn: `total` messages over `sessions` sessions. */
async function queueThroughput(total: number, sessions: number): Promise<number> {
  let turns = 0;
  const queues = createSessionQueues<number>({
    // Every message is enqueued up front: lift the cap so none is dropped.
    defaults: { cap: total },
    run: () => {
      turns++;
    },
    newId: (() => {
      let n = 0;
      return () => `m${n++}`;
    })(),
  });
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const s = i % sessions;
    queues.enqueue({
      sessionKey: `agent:main:test:group:peer-${s}`,
      target: targets[s % targets.length]!,
      payload: i,
    });
  }
  await queues.idle();
  const elapsed = performance.now() - start;
  if (turns !== total) fail(`queue ran ${turns} turns for ${total} messages`);
  if (queues.activeSessions !== 0) fail('sessions were not released');
  return (total / elapsed) * 1000;
}

/**
 * Messages/s through the parts of `receive` this package provides, with a no-op agent: dedupe
 * claim, conversation-binding lookup, session touch, enqueue, and the (empty) turn.
 */
async function admissionThroughput(total: number, sessions: number): Promise<number> {
  const channel = createTestChannel({}, { now: () => 0 });
  const stores = createMemoryStores();
  const bindings = createConversationBindings(stores.bindings, { channels: [channel] });
  let turns = 0;
  const queues = createSessionQueues<number>({
    defaults: { cap: total },
    run: () => {
      turns++;
    },
  });
  const now = 1_700_000_000_000;
  const admit = async (i: number): Promise<void> => {
    const target = targets[(i % sessions) % targets.length]!;
    const id = `m${i}`;
    if (!(await stores.dedupe.claim(`test|default|${id}`, 60_000, now))) return;
    const bound = await bindings.lookupTarget(target);
    const sessionKey = bound?.targetSessionKey ?? `agent:main:test:${target.peer.kind}:${target.peer.id}`;
    const entry = await stores.sessions.touch(sessionKey, now);
    queues.enqueue(
      { sessionKey, target, payload: i, id },
      entry.queueMode === undefined ? undefined : { mode: entry.queueMode },
    );
  };
  const start = performance.now();
  // Steady arrival: up to `window` messages in admission at once (not all of them at once, which
  // would measure the garbage collector's handling of 100 000 pending promises).
  for (let from = 0; from < total; from += window) {
    const admitted: Promise<void>[] = [];
    for (let i = from; i < Math.min(total, from + window); i++) admitted.push(admit(i));
    await Promise.all(admitted);
  }
  await queues.idle();
  const elapsed = performance.now() - start;
  if (turns !== total) fail(`ran ${turns} turns for ${total} messages`);
  return (total / elapsed) * 1000;
}

/** Messages/s with stores and one dispatched reply per turn. */
async function pipelineThroughput(total: number, sessions: number): Promise<number> {
  const channel = createTestChannel({}, { now: () => 0 });
  const stores = createMemoryStores();
  const dispatcher = createReplyDispatcher({ channels: [channel], outbox: stores.outbox });
  let now = 1_700_000_000_000;
  const queues = createSessionQueues<{ text: string; id: string }>({
    defaults: { cap: total },
    run: async (turn) => {
      const at = now++;
      await stores.sessions.touch(turn.sessionKey, at);
      await stores.transcripts.append(turn.sessionKey, {
        role: 'user',
        text: turn.items[0]!.payload.text,
        at,
      });
      const replies = dispatcher.forTurn({
        turnId: turn.id,
        target: turn.target,
        sessionKey: turn.sessionKey,
      });
      await replies.send('ok');
    },
  });
  const start = performance.now();
  for (let from = 0; from < total; from += window) {
    const admitted: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(total, from + window); i++) {
      const s = i % sessions;
      const target = targets[s % targets.length]!;
      const id = `m${i}`;
      // Dedupe claim then enqueue, as `receive` will.
      admitted.push(
        stores.dedupe.claim(`test|default|${id}`, 60_000, now).then((fresh) => {
          if (fresh) {
            queues.enqueue({
              sessionKey: `agent:main:test:${target.peer.id}`,
              target,
              payload: { text: `hello ${i}`, id },
              id,
            });
          }
        }),
      );
    }
    await Promise.all(admitted);
  }
  await queues.idle();
  await dispatcher.idle();
  const elapsed = performance.now() - start;
  if (channel.sent.length !== total) fail(`sent ${channel.sent.length} replies for ${total} messages`);
  for (const sent of channel.sent.slice(0, 2000)) {
    const index = Number(sent.idempotencyKey.slice(1, sent.idempotencyKey.indexOf(':')));
    if (conversationKeyOf(sent.target) !== conversationKeyOf(targets[(index % sessions) % targets.length]!))
      fail(`reply ${sent.idempotencyKey} went to the wrong target`);
  }
  return (total / elapsed) * 1000;
}

/** 10 000 sessions running at once: admission time and heap per running session. */
async function concurrentSessions(
  count: number,
): Promise<{ admitMs: number; bytesPerSession: number; drainMs: number }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let running = 0;
  const queues = createSessionQueues<number>({
    concurrency: { main: count },
    run: async () => {
      running++;
      await gate;
    },
  });
  const before = heap();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    queues.enqueue({
      sessionKey: `agent:main:test:direct:u${i}`,
      target: targets[i % targets.length]!,
      payload: i,
    });
  }
  await new Promise((r) => setImmediate(r));
  const admitMs = performance.now() - start;
  if (running !== count || queues.running !== count) fail(`only ${running} of ${count} sessions are running`);
  const during = heap();
  const drainStart = performance.now();
  release();
  await queues.idle();
  return { admitMs, bytesPerSession: (during - before) / count, drainMs: performance.now() - drainStart };
}

/** Heap growth after `total` distinct sessions came and went (batches of 10 000). */
async function churn(total: number): Promise<{ growth: number; ms: number }> {
  const queues = createSessionQueues<number>({
    run: () => {},
    newId: (() => {
      let n = 0;
      return () => `m${n++}`;
    })(),
  });
  // Warm up the code paths (JIT, p-queue internals) before taking the baseline.
  for (let i = 0; i < 20_000; i++)
    queues.enqueue({ sessionKey: `warm:${i}`, target: targets[i % 1000]!, payload: i });
  await queues.idle();
  const before = heap();
  const start = performance.now();
  for (let batch = 0; batch < total / 10_000; batch++) {
    for (let i = 0; i < 10_000; i++) {
      const n = batch * 10_000 + i;
      queues.enqueue({
        sessionKey: `agent:main:test:direct:user-${n}`,
        target: targets[n % 1000]!,
        payload: n,
      });
    }
    await queues.idle();
  }
  const ms = performance.now() - start;
  if (queues.activeSessions !== 0) fail('sessions were not released');
  return { growth: heap() - before, ms };
}

const rounds = 5;
console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (one used)`,
);
if (gc === undefined) console.log('(run with --expose-gc for heap figures)');

const queueRates: number[] = [];
for (let r = 0; r < rounds; r++) queueRates.push(await queueThroughput(200_000, 1000));
const queueRate = median(queueRates);
console.log(
  `session queues alone, no-op turns: ${fmt(queueRate)} messages/s  (${(1e6 / queueRate).toFixed(2)} µs/message)`,
);

const admissionRates: number[] = [];
for (let r = 0; r < rounds; r++) admissionRates.push(await admissionThroughput(100_000, 1000));
const admissionRate = median(admissionRates);
console.log(
  `admission (dedupe, binding, session, enqueue), no-op turn: ${fmt(admissionRate)} messages/s  (${(1e6 / admissionRate).toFixed(2)} µs/message)`,
);

const pipeRates: number[] = [];
for (let r = 0; r < rounds; r++) pipeRates.push(await pipelineThroughput(100_000, 1000));
const pipeRate = median(pipeRates);
console.log(
  `admission + transcript + 1 reply per turn: ${fmt(pipeRate)} messages/s  (${(1e6 / pipeRate).toFixed(2)} µs/message)`,
);

const concurrent = await concurrentSessions(10_000);
console.log(
  `10 000 concurrent sessions: admitted in ${concurrent.admitMs.toFixed(0)} ms, ${fmt(concurrent.bytesPerSession)} bytes/running session, drained in ${concurrent.drainMs.toFixed(0)} ms`,
);

const churned = await churn(1_000_000);
console.log(
  `1 000 000 sessions came and went: heap ${churned.growth >= 0 ? '+' : ''}${mb(churned.growth)} MB after (${fmt((1_000_000 / churned.ms) * 1000)} sessions/s)`,
);
if (gc !== undefined && churned.growth > 8 * 1024 * 1024)
  fail(`heap grew by ${mb(churned.growth)} MB after the sessions went idle`);
