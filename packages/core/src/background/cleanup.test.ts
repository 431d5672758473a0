import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../stores/index.js';
import type { ClawStores } from '../stores/types.js';
import { createHarness, dmTarget, flush, groupTarget, parentFor } from './test-support.js';
import type { RunChild } from './types.js';

const HOUR = 60 * 60_000;

/** A child that writes to its own session and transcript, as a real agent turn does. */
const workingChild =
  (stores: ClawStores, at: () => number): RunChild =>
  async (input) => {
    await stores.sessions.touch(input.childSessionKey, at());
    await stores.transcripts.append(input.childSessionKey, [
      { role: 'user', text: input.task, at: at() },
      { role: 'assistant', text: `done: ${input.task}`, at: at() },
    ]);
    return { text: `done: ${input.task}` };
  };

function setup(config = {}) {
  const stores = createMemoryStores();
  let clockNow = () => 0;
  const h = createHarness({
    stores,
    holdForTurns: false,
    config,
    runChild: (input) => workingChild(stores, clockNow)(input),
  });
  clockNow = h.clock.now;
  return h;
}

describe('cleanup', () => {
  it('delete removes the child session and transcript right after the announce', async () => {
    const h = setup();
    const { runId, sessionKey } = await h.manager.spawn(parentFor(dmTarget()), {
      task: 'a',
      cleanup: 'delete',
    });
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(1);
    expect(await h.stores.sessions.get(sessionKey)).toBeUndefined();
    expect(await h.stores.transcripts.read(sessionKey)).toEqual([]);
    // The record stays listable until it is archived away.
    const record = await h.manager.get(runId);
    expect(record?.meta?.['background']).toMatchObject({ archiveAt: h.clock.now() + HOUR });
    expect(record?.meta?.['background']).not.toHaveProperty('archivedAt');
  });

  it('keep archives the child session and the sweeper removes it after archiveAfterMs', async () => {
    const h = setup();
    const { runId, sessionKey } = await h.manager.spawn(parentFor(dmTarget()), {
      task: 'b',
      cleanup: 'keep',
    });
    await h.manager.idle();
    expect(await h.stores.sessions.get(sessionKey)).toBeDefined();
    expect(await h.stores.transcripts.read(sessionKey)).toHaveLength(2);
    const archivedAt = h.clock.now();
    expect((await h.manager.get(runId))?.meta?.['background']).toMatchObject({
      archivedAt,
      archiveAt: archivedAt + HOUR,
    });
    await h.clock.advance(HOUR - 1);
    expect(await h.manager.sweep()).toBe(0);
    await h.clock.advance(1);
    expect(await h.manager.sweep()).toBe(1);
    expect(await h.manager.get(runId)).toBeUndefined();
    expect(await h.stores.sessions.get(sessionKey)).toBeUndefined();
    expect(await h.stores.transcripts.read(sessionKey)).toEqual([]);
  });

  it('the sweeper started by start() runs on its own', async () => {
    const h = setup({ archiveAfterMs: 10 * 60_000, sweepIntervalMs: 60_000 });
    await h.manager.start();
    await h.manager.spawn(parentFor(dmTarget()), { task: 'c' });
    await h.manager.idle();
    expect(await h.manager.list()).toHaveLength(1);
    await h.clock.advance(11 * 60_000);
    expect(await h.manager.list()).toHaveLength(0);
    await h.manager.stop({ timeoutMs: 0 });
    expect(h.clock.pending).toBe(0);
  });

  it('archiveAfterMs 0 keeps archived runs', async () => {
    const h = setup({ archiveAfterMs: 0 });
    await h.manager.spawn(parentFor(dmTarget()), { task: 'd' });
    await h.manager.idle();
    await h.clock.advance(100 * HOUR);
    expect(await h.manager.sweep()).toBe(0);
    expect(await h.manager.list()).toHaveLength(1);
  });

  it('a run whose announce was given up is archived and swept too', async () => {
    const h = setup();
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'e' });
    h.channel.failNext(1, { reason: 'forbidden' });
    await h.manager.idle();
    expect((await h.manager.get(runId))?.announced).toBe(false);
    await h.clock.advance(HOUR);
    expect(await h.manager.sweep()).toBe(1);
  });

  it('after thousands of runs the registry, stores and runtime are back to their baseline', async () => {
    const h = setup();
    await h.manager.start();
    const targets = [
      groupTarget('dev-team'),
      groupTarget('dev-team', 'ci'),
      groupTarget('release-squad'),
      dmTarget('u1'),
      dmTarget('u2'),
    ];
    const total = 2000;
    const childKeys: string[] = [];
    for (let i = 0; i < total; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) => {
        const n = i + j;
        return h.manager.spawn(parentFor(targets[n % targets.length]!), {
          task: `job ${n}`,
          cleanup: n % 2 === 0 ? 'delete' : 'keep',
          ...(n % 7 === 0 ? { timeoutMs: 5000 } : {}),
        });
      });
      for (const accepted of await Promise.all(batch)) childKeys.push(accepted.sessionKey);
      await h.manager.idle();
    }
    expect(h.channel.sent).toHaveLength(total);
    expect(await h.stores.runs.list({ announced: false })).toEqual([]);
    // Everything is archived; an hour later the sweeper has removed it all.
    await h.clock.advance(HOUR + 60_000);
    await h.manager.idle();
    expect(await h.stores.runs.list()).toEqual([]);
    expect(await h.stores.sessions.list()).toEqual([]);
    const transcripts = await Promise.all(childKeys.map((key) => h.stores.transcripts.read(key)));
    expect(transcripts.filter((t) => t.length > 0)).toHaveLength(0);
    expect(h.manager.stats).toEqual({ executing: 0, announcing: 0, parentSessions: 0, heldTurns: 0 });
    // The announce parts are the dispatcher's to prune (the gateway does it with its own age).
    expect(await h.stores.outbox.prune(h.clock.now())).toBe(total);
    await h.manager.stop({ timeoutMs: 0 });
    expect(h.clock.pending).toBe(0);
  }, 60_000);

  it('held parent turns are forgotten once their runs are announced', async () => {
    const h = createHarness();
    const parent = parentFor(groupTarget('g'));
    for (let i = 0; i < 3; i++) await h.manager.spawn(parent, { task: `t${i}` });
    expect(h.manager.stats.heldTurns).toBe(1);
    await flush();
    for (const call of h.calls) call.resolve('r');
    h.endTurn(parent);
    await h.manager.idle();
    expect(h.manager.stats).toEqual({ executing: 0, announcing: 0, parentSessions: 0, heldTurns: 0 });
    expect(h.clock.pending).toBe(0);
  });
});
