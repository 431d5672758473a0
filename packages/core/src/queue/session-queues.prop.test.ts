import type { ReplyTarget } from '@claw/channel-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionQueues } from './session-queues.js';
import type { MessageOutcome, QueueLane, QueueMode } from './types.js';

interface Arrival {
  readonly session: number;
  readonly conversation: number;
  readonly lane: QueueLane;
  readonly mode: QueueMode;
  /** How many scheduler steps the handler of a turn started by this message takes. */
  readonly steps: number;
  /** Whether that handler reads its steer inbox between steps. */
  readonly readsSteer: boolean;
}

const arrival = (modes: readonly QueueMode[]) =>
  fc.record({
    session: fc.integer({ min: 0, max: 5 }),
    conversation: fc.integer({ min: 0, max: 1 }),
    lane: fc.constantFrom<QueueLane>('main', 'main', 'background'),
    mode: fc.constantFrom(...modes),
    steps: fc.integer({ min: 0, max: 3 }),
    readsSteer: fc.boolean(),
  });

const targetOf = (a: Arrival): ReplyTarget => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'group', id: `g${a.session}` },
  ...(a.conversation === 0 ? {} : { threadId: 't1' }),
});

/**
 * Random arrivals across sessions, interleaved by fast-check's scheduler with random handler
 * durations. Checks, per session: turns never overlap; every message is handled exactly once
 * (in a turn or taken from a steer inbox) unless dropped by an interrupt; handled messages keep
 * arrival order. Globally: no lane ever runs more turns than its limit, and nothing is retained
 * once everything settled.
 */
async function check(
  scheduler: fc.Scheduler,
  arrivals: readonly Arrival[],
  limits: { main: number; background: number },
) {
  const running = new Map<string, number>();
  const laneActive = { main: 0, background: 0 };
  const handled = new Map<string, number[]>(); // session → arrival indices, in handling order
  const violations: string[] = [];
  const byId = new Map<string, number>();

  const queues = createSessionQueues<{ index: number }>({
    concurrency: limits,
    defaults: { cap: 1000 },
    run: async (turn) => {
      const n = (running.get(turn.sessionKey) ?? 0) + 1;
      running.set(turn.sessionKey, n);
      if (n > 1) violations.push(`two turns at once in ${turn.sessionKey}`);
      laneActive[turn.lane]++;
      if (laneActive[turn.lane] > limits[turn.lane]) violations.push(`lane ${turn.lane} over its limit`);
      const log = handled.get(turn.sessionKey) ?? [];
      handled.set(turn.sessionKey, log);
      for (const item of turn.items) log.push(item.payload.index);
      const first = arrivals[turn.items[0]!.payload.index]!;
      try {
        for (let step = 0; step < first.steps && !turn.signal.aborted; step++) {
          await scheduler.schedule(Promise.resolve(), `${turn.id} step ${step}`);
          if (first.readsSteer) for (const item of turn.steer.take()) log.push(item.payload.index);
        }
      } finally {
        laneActive[turn.lane]--;
        running.set(turn.sessionKey, running.get(turn.sessionKey)! - 1);
      }
    },
  });

  const outcomes: Promise<MessageOutcome>[] = [];
  const arrivalOrder: number[] = [];
  for (const [index, a] of arrivals.entries()) {
    scheduler.scheduleFunction(async () => {
      arrivalOrder.push(index);
      const result = queues.enqueue(
        {
          sessionKey: `s${a.session}`,
          target: targetOf(a),
          payload: { index },
          id: `m${index}`,
          lane: a.lane,
        },
        { mode: a.mode },
      );
      byId.set(result.id, index);
      outcomes.push(result.settled);
    })();
  }
  await scheduler.waitIdle();
  await queues.idle();
  const settled = await Promise.all(outcomes);

  expect(violations).toEqual([]);
  expect(queues.activeSessions).toBe(0);
  expect(queues.queued).toBe(0);
  expect(queues.running).toBe(0);

  const dropped = new Set(settled.flatMap((o, i) => (o.status === 'dropped' ? [i] : [])));
  for (const [session, log] of handled) {
    const expected = arrivalOrder.filter((i) => `s${arrivals[i]!.session}` === session);
    const positions = log.map((i) => expected.indexOf(i));
    expect(positions, `${session} handled out of arrival order`).toEqual(
      [...positions].sort((x, y) => x - y),
    );
    expect(new Set(log).size, `${session} handled a message twice`).toBe(log.length);
  }
  const handledAll = new Set([...handled.values()].flat());
  for (const index of arrivals.keys()) {
    const outcome = settled[arrivalOrder.indexOf(index)]!;
    if (outcome.status === 'dropped') expect(handledAll.has(index)).toBe(false);
    else expect(handledAll.has(index), `message ${index} was lost (${outcome.status})`).toBe(true);
  }
  if (!arrivals.some((a) => a.mode === 'interrupt')) expect(dropped.size).toBe(0);
}

describe('session queues (property)', () => {
  it('run each session sequentially in arrival order and never exceed a lane limit (followup, collect, steer)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(arrival(['followup', 'collect', 'steer']), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        async (scheduler, arrivals, main, background) => check(scheduler, arrivals, { main, background }),
      ),
      { numRuns: 300 },
    );
  });

  it('with interrupts too, never lose a message that was not deliberately dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(arrival(['followup', 'collect', 'steer', 'interrupt']), { maxLength: 30 }),
        async (scheduler, arrivals) => check(scheduler, arrivals, { main: 2, background: 1 }),
      ),
      { numRuns: 300 },
    );
  });
});
