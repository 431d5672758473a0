/**
 * Background runs benchmark (issue 7). Measures, on one core, with memory stores, the real reply
 * dispatcher and the in-memory test channel:
 *   - throughput: runs/s from `spawn` to the announce being posted (the child itself is instant,
 *     so this is the manager's own cost: records, events, policy, dispatch), over 1 000 parent
 *     sessions in batches that respect the per-session limit;
 *   - heap: after every run was announced and swept, the heap must be back near where it started.
 * It checks its own result (every run announced once, at its own parent's target; stores empty
 * after the sweep) and exits non-zero otherwise.
 * Run with `pnpm bench background` (or `node --expose-gc --import tsx bench/background-runs.bench.ts`).
 */
import { cpus } from 'node:os';
import type { ReplyTarget } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { createBackgroundRuns, createEventBus, createMemoryStores, createReplyDispatcher } from '@claw/core';
import { fmt, gc, mb } from './support.js';

const heap = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

async function round(total: number, sessions: number) {
  let now = 1_700_000_000_000;
  const channel = createTestChannel();
  const stores = createMemoryStores();
  const bus = createEventBus();
  const dispatcher = createReplyDispatcher({ channels: [channel], outbox: stores.outbox, now: () => now });
  const manager = createBackgroundRuns({
    stores,
    dispatcher,
    events: { emit: bus.emit }, // no turn:end source: announce as soon as the child is done
    runChild: async ({ task }) => ({ text: `done: ${task}` }),
    clock: { now: () => now },
    config: { archiveAfterMs: 1, sweepIntervalMs: 0, maxConcurrentRuns: 10_000 },
  });
  await manager.start();
  const targets: ReplyTarget[] = Array.from({ length: sessions }, (_, i) => ({
    channel: 'test',
    accountId: 'default',
    peer: { kind: 'group', id: `g${i}` },
    ...(i % 3 === 0 ? { threadId: `t${i}` } : {}),
  }));
  const expected = new Map<string, ReplyTarget>();
  const started = performance.now();
  for (let done = 0; done < total; ) {
    const batch: Promise<void>[] = [];
    for (let i = 0; i < sessions && done < total; i++, done++) {
      const target = targets[i]!;
      batch.push(
        manager
          .spawn(
            { sessionKey: `agent:main:test:group:g${i}`, agentId: 'main', turnId: `turn-${done}`, target },
            { task: `job ${done}`, cleanup: done % 2 === 0 ? 'delete' : 'keep' },
          )
          .then(({ runId }) => {
            expected.set(runId, target);
          }),
      );
    }
    await Promise.all(batch);
    await manager.idle();
  }
  const elapsed = performance.now() - started;
  // Check: one announce per run, at its own target.
  let wrong = 0;
  const seen = new Set<string>();
  for (const sent of channel.sent) {
    const runId = sent.idempotencyKey.slice('announce:'.length);
    if (seen.has(runId) || JSON.stringify(expected.get(runId)) !== JSON.stringify(sent.target)) wrong++;
    seen.add(runId);
  }
  now += 10;
  const swept = await manager.sweep();
  await stores.outbox.prune(now + 1);
  const left = (await stores.runs.list()).length + (await stores.sessions.list()).length;
  await manager.stop({ timeoutMs: 0 });
  return { elapsed, wrong, swept, left, announced: seen.size };
}

const total = 20_000;
const sessions = 1_000;
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}`);
await round(2_000, 200); // warm-up
const before = heap();
const result = await round(total, sessions);
const after = heap();
console.table({
  'spawn → announce': {
    runs: fmt(total),
    'runs/s': fmt(total / (result.elapsed / 1000)),
    'µs/run': ((result.elapsed * 1000) / total).toFixed(1),
    'heap before (MB)': mb(before),
    'heap after sweep (MB)': mb(after),
  },
});
const ok = result.wrong === 0 && result.announced === total && result.swept === total && result.left === 0;
if (!ok) {
  console.error('FAILED', result);
  process.exit(1);
}
