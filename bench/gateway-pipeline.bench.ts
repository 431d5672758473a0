/**
 * The composed gateway (issue 6): `createClaw().receive` end to end — validation, own/bot check,
 * dedupe claim, binding lookup, routing, access decision, session read, pinned target, queue, and
 * the turn (session touch, transcript read and append, handler, events). Measures, on one core:
 *   - messages/s through `receive` with a no-op agent and the test channel (1 000 sessions, DMs and
 *     group messages), and per-message µs; the same with one reply per message;
 *   - 10 000 concurrent sessions: admission time and heap while all turns are running at once;
 *   - heap after 1 000 000 distinct sessions have come and gone (stores excluded: no-op stores), which
 *     must come back to within a few MB of where it started.
 * Every run checks its own result (every message ran, every reply landed at its origin, nothing is
 * left queued) and exits non-zero otherwise. Throughput is also reported per CPU-second of this
 * process (the machine is shared; time spent descheduled does not count).
 * Run with `pnpm bench gateway-pipeline`
 * (or `node --expose-gc --import tsx bench/gateway-pipeline.bench.ts`).
 */
import { cpus } from 'node:os';
import { type InboundMessage, replyTargetOf } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import {
  type ClawConfig,
  type ClawStores,
  createClaw,
  createMemoryStores,
  type SessionEntry,
} from '@claw/core';
import { fail, fmt, gc, heap, mb, median } from './support.js';

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** DMs open to everyone, groups open without a mention: every message is dispatched. */
const config: ClawConfig = {
  channels: {
    test: {
      dmPolicy: 'open',
      allowFrom: ['*'],
      groupPolicy: 'open',
      groups: { '*': { requireMention: false } },
    },
  },
  session: { dmScope: 'per-channel-peer' },
  // Everything arrives up front in a window: lift the cap so nothing is summarised away.
  messages: { queue: { cap: 100_000 } },
};

/** Messages for `sessions` conversations (a third DMs, the rest groups), `total` of them. */
function messages(channel: ReturnType<typeof createTestChannel>, total: number, sessions: number, from = 0) {
  const list: InboundMessage[] = [];
  for (let i = from; i < from + total; i++) {
    const s = i % sessions;
    const messageId = `m${i}`;
    list.push(
      s % 3 === 0
        ? channel.dm(`hello ${i}`, { sender: `user-${s}`, messageId })
        : channel.group(`hello ${i}`, { groupId: `group-${s}`, sender: `user-${s % 50}`, messageId }),
    );
  }
  return list;
}

const window = 1000;

/** Messages/s through `receive`, wall and CPU. */
async function throughput(
  total: number,
  sessions: number,
  reply: boolean,
): Promise<{ wall: number; cpu: number }> {
  const channel = createTestChannel({}, { now: () => 1_700_000_000_000 });
  let turns = 0;
  const claw = createClaw({
    config,
    channels: [channel],
    agents: {
      main: () => {
        turns++;
        return reply ? 'ok' : undefined;
      },
    },
    stores: createMemoryStores(),
  });
  const inbound = messages(channel, total, sessions);
  const startWall = performance.now();
  const startCpu = cpuMs();
  // Steady arrival: up to `window` messages in admission at once, as adapters deliver them.
  for (let from = 0; from < total; from += window) {
    const admitted: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(total, from + window); i++) admitted.push(claw.receive(inbound[i]));
    await Promise.all(admitted);
  }
  await claw.idle();
  const wall = performance.now() - startWall;
  const cpu = cpuMs() - startCpu;
  if (turns !== total) fail(`ran ${turns} turns for ${total} messages`);
  if (reply) {
    if (channel.sent.length !== total) fail(`sent ${channel.sent.length} replies for ${total} messages`);
    const byId = new Map(inbound.map((m) => [m.messageId, m]));
    for (const sent of channel.sent) {
      const origin = byId.get(sent.target.replyToMessageId ?? '');
      if (origin === undefined || JSON.stringify(replyTargetOf(origin)) !== JSON.stringify(sent.target)) {
        fail(`a reply went to ${JSON.stringify(sent.target)}, not to its origin`);
      }
    }
  }
  return { wall: (total / wall) * 1000, cpu: (total / cpu) * 1000 };
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
  const channel = createTestChannel({}, { now: () => 1_700_000_000_000 });
  const claw = createClaw({
    config: { ...config, gateway: { concurrency: { main: count } } },
    channels: [channel],
    agents: {
      main: async () => {
        running++;
        await gate;
      },
    },
  });
  const inbound = messages(channel, count, count);
  const before = heap();
  const start = performance.now();
  await Promise.all(inbound.map((m) => claw.receive(m)));
  while (running < count) await new Promise((r) => setImmediate(r));
  const admitMs = performance.now() - start;
  const during = heap();
  const drainStart = performance.now();
  release();
  await claw.idle();
  return { admitMs, bytesPerSession: (during - before) / count, drainMs: performance.now() - drainStart };
}

/**
 * Stores that keep nothing (so the churn measures the runtime, not the data): sessions and
 * transcripts read as empty, every dedupe claim succeeds. The rest are the memory stores (a no-op
 * agent never writes to them).
 */
function noopStores(): ClawStores {
  const memory = createMemoryStores();
  return {
    ...memory,
    sessions: {
      get: async () => undefined,
      touch: async (sessionKey, at): Promise<SessionEntry> => ({
        sessionKey,
        createdAt: at,
        lastActivityAt: at,
      }),
      update: async (sessionKey, _patch, at) => ({ sessionKey, createdAt: at, lastActivityAt: at }),
      delete: async () => false,
      list: async () => [],
    },
    transcripts: { append: async () => {}, read: async () => [], delete: async () => false },
    dedupe: { claim: async () => true, release: async () => {}, prune: async () => 0 },
  };
}

/** Heap growth after `total` distinct sessions came and went (batches of 10 000). */
async function churn(total: number): Promise<{ growth: number; ms: number }> {
  const channel = createTestChannel({}, { now: () => 1_700_000_000_000 });
  let turns = 0;
  const claw = createClaw({
    config,
    channels: [channel],
    agents: {
      main: () => {
        turns++;
      },
    },
    stores: noopStores(),
  });
  const batch = 10_000;
  const run = async (from: number, sessionsOffset: number) => {
    const list: Promise<unknown>[] = [];
    for (let i = from; i < from + batch; i++) {
      list.push(claw.receive(channel.dm('hi', { sender: `user-${sessionsOffset + i}`, messageId: `c${i}` })));
    }
    await Promise.all(list);
    await claw.idle();
  };
  // Warm up the code paths (JIT, p-queue internals) before taking the baseline.
  await run(0, 10_000_000);
  await run(batch, 10_000_000);
  const before = heap();
  const start = performance.now();
  for (let from = 0; from < total; from += batch) await run(from + 2 * batch, 0);
  const ms = performance.now() - start;
  if (turns !== total + 2 * batch) fail(`ran ${turns} turns for ${total + 2 * batch} messages`);
  return { growth: heap() - before, ms };
}

const rounds = 5;
console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (one used)`,
);
if (gc === undefined) console.log('(run with --expose-gc for heap figures)');

for (const [label, reply] of [
  ['receive → no-op agent', false],
  ['receive → agent with one reply', true],
] as const) {
  await throughput(20_000, 1000, reply); // warm-up
  const runs: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < rounds; r++) runs.push(await throughput(100_000, 1000, reply));
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  console.log(
    `${label}: ${fmt(cpu)} messages per CPU-second (${(1e6 / cpu).toFixed(2)} µs/message); wall ${fmt(wall)} messages/s (${(1e6 / wall).toFixed(2)} µs)`,
  );
}

const concurrent = await concurrentSessions(10_000);
console.log(
  `10 000 concurrent sessions: admitted and running in ${concurrent.admitMs.toFixed(0)} ms, ${fmt(concurrent.bytesPerSession)} bytes/running session, drained in ${concurrent.drainMs.toFixed(0)} ms`,
);

const churned = await churn(1_000_000);
console.log(
  `1 000 000 sessions came and went: heap ${churned.growth >= 0 ? '+' : ''}${mb(churned.growth)} MB after (${fmt((1_000_000 / churned.ms) * 1000)} messages/s)`,
);
if (gc !== undefined && churned.growth > 8 * 1024 * 1024)
  fail(`heap grew by ${mb(churned.growth)} MB after the sessions went idle`);
