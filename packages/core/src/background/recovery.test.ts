import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileStores } from '../stores/index.js';
import type { ClawStores, RunRecord } from '../stores/types.js';
import {
  createFakeClock,
  createHarness,
  dmTarget,
  groupTarget,
  type Harness,
  parentFor,
} from './test-support.js';

// A "crash" is a process that simply stops: its manager is abandoned mid-flight, nothing is
// stopped or flushed. The next "process" opens the same directory with fresh stores.

let dir: string;
let channel: TestChannel;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claw-background-'));
  channel = createTestChannel(); // the platform outlives the gateway process
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (): ClawStores => createFileStores({ dir, fsync: false });

const boot = (overrides: Parameters<typeof createHarness>[0] = {}): Harness =>
  createHarness({ stores: open(), channel, holdForTurns: false, clock: createFakeClock(), ...overrides });

async function runStatus(h: Harness, runId: string): Promise<RunRecord | undefined> {
  return h.manager.get(runId);
}

describe('restart with file stores', () => {
  it('announces a run interrupted mid-run once, as interrupted', async () => {
    const first = boot();
    await first.manager.start();
    const { runId } = await first.manager.spawn(parentFor(groupTarget('dev-team', 'ci')), {
      task: 'analyse the CI logs',
      label: 'CI logs',
    });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    await vi.waitFor(async () => expect((await runStatus(first, runId))?.status).toBe('running'));
    // crash

    const second = boot();
    expect(await second.manager.start()).toEqual({
      announcing: 0,
      interrupted: 1,
      restarted: 0,
      cleanedUp: 0,
    });
    await second.manager.idle();
    expect(channel.sent.map((s) => [s.target.threadId, s.message.text])).toEqual([
      ['ci', '⚠️ CI logs was interrupted by a restart before it finished'],
    ]);
    expect(await runStatus(second, runId)).toMatchObject({ status: 'interrupted', announced: true });
    expect(second.calls).toHaveLength(0);

    const third = boot();
    expect(await third.manager.start()).toEqual({
      announcing: 0,
      interrupted: 0,
      restarted: 0,
      cleanedUp: 0,
    });
    await third.manager.idle();
    expect(channel.sent).toHaveLength(1);
  });

  it('re-runs an interrupted run that asked for retryOnRestart, with the same narrowed policy', async () => {
    const first = boot();
    const { runId } = await first.manager.spawn(parentFor(dmTarget()), {
      task: 'crunch',
      retryOnRestart: true,
    });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    const firstPolicy = first.calls[0]!.input.toolPolicy;
    // crash

    const second = boot();
    expect(await second.manager.start()).toMatchObject({ restarted: 1, interrupted: 0 });
    await vi.waitFor(() => expect(second.calls).toHaveLength(1));
    expect(second.calls[0]!.input.runId).toBe(runId);
    expect(second.calls[0]!.input.toolPolicy.layers).toEqual(firstPolicy.layers);
    second.calls[0]!.resolve('crunched');
    await second.manager.idle();
    expect(channel.sent.map((s) => s.message.text)).toEqual(['✅ crunch finished\n\ncrunched']);
    const record = await runStatus(second, runId);
    expect(record).toMatchObject({ status: 'succeeded', announced: true });
    expect(record?.meta?.['background']).toMatchObject({ restarts: 1 });
  });

  it('stops re-running a run after maxRestarts and announces it as interrupted', async () => {
    const config = { maxRestarts: 1 };
    const first = boot({ config });
    await first.manager.spawn(parentFor(dmTarget()), { task: 'flaky', retryOnRestart: true });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    const second = boot({ config });
    expect(await second.manager.start()).toMatchObject({ restarted: 1 });
    await vi.waitFor(() => expect(second.calls).toHaveLength(1));
    const third = boot({ config });
    expect(await third.manager.start()).toMatchObject({ restarted: 0, interrupted: 1 });
    await third.manager.idle();
    expect(channel.sent.map((s) => s.message.text)).toEqual([
      '⚠️ flaky was interrupted by a restart before it finished',
    ]);
  });

  it('announces a run that finished but was not announced before the crash, exactly once', async () => {
    // The first process dies after recording the result, before anything was sent.
    const first = boot({ extra: { dispatcher: { deliver: () => new Promise(() => {}) } } });
    const { runId } = await first.manager.spawn(parentFor(groupTarget('dev-team', 'ci')), { task: 'check' });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    first.calls[0]!.resolve('all green');
    await vi.waitFor(async () => expect((await runStatus(first, runId))?.status).toBe('succeeded'));
    expect(channel.sent).toHaveLength(0);

    const second = boot();
    expect(await second.manager.start()).toMatchObject({ announcing: 1 });
    await second.manager.idle();
    const third = boot();
    await third.manager.start();
    await third.manager.idle();
    expect(channel.sent.map((s) => [s.target.threadId, s.message.text])).toEqual([
      ['ci', '✅ check finished\n\nall green'],
    ]);
  });

  it('does not post again when the crash came after the send but before the run was marked announced', async () => {
    const stores = open();
    const crashing: ClawStores = {
      ...stores,
      runs: {
        ...stores.runs,
        async put(run) {
          if (run.announced) throw new Error('process died');
          return stores.runs.put(run);
        },
      },
    };
    const first = boot({ stores: crashing });
    const { runId } = await first.manager.spawn(parentFor(dmTarget()), { task: 'report' });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    first.calls[0]!.resolve('done');
    await first.manager.idle();
    expect(channel.sent).toHaveLength(1);
    expect((await runStatus(first, runId))?.announced).toBe(false);

    const second = boot();
    expect(await second.manager.start()).toMatchObject({ announcing: 1 });
    await second.manager.idle();
    expect(channel.sent).toHaveLength(1);
    expect(await runStatus(second, runId)).toMatchObject({ announced: true });
  });

  it('finishes a delete cleanup that a crash cut short', async () => {
    const stores = open();
    const failingDelete: ClawStores = {
      ...stores,
      sessions: {
        ...stores.sessions,
        async delete() {
          throw new Error('process died');
        },
      },
    };
    const first = boot({ stores: failingDelete });
    const { runId, sessionKey } = await first.manager.spawn(parentFor(dmTarget()), {
      task: 'tidy',
      cleanup: 'delete',
    });
    await stores.sessions.touch(sessionKey, 1);
    await stores.transcripts.append(sessionKey, { role: 'assistant', text: 'work', at: 1 });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    first.calls[0]!.resolve('ok');
    await first.manager.idle();
    expect(await stores.sessions.get(sessionKey)).toBeDefined();

    const second = boot();
    expect(await second.manager.start()).toMatchObject({ cleanedUp: 1 });
    expect(await second.stores.sessions.get(sessionKey)).toBeUndefined();
    expect(await second.stores.transcripts.read(sessionKey)).toEqual([]);
    expect((await runStatus(second, runId))?.meta?.['background']).toHaveProperty('cleanedAt');
    expect(channel.sent).toHaveLength(1);
  });

  it('does not mistake a run spawned before start() for a leftover', async () => {
    const h = boot();
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'early' });
    await vi.waitFor(() => expect(h.calls).toHaveLength(1));
    expect(await h.manager.start()).toEqual({ announcing: 0, interrupted: 0, restarted: 0, cleanedUp: 0 });
    h.calls[0]!.resolve('fine');
    await h.manager.idle();
    expect(await runStatus(h, runId)).toMatchObject({ status: 'succeeded', announced: true });
  });
});
