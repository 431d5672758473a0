import { describe, expect, it } from 'vitest';
import type { TurnContext } from '../agents/types.js';
import { createMemoryStores } from '../stores/memory-stores.js';
import { createTestClaw } from '../testing/index.js';
import type { ClawConfig } from './config.js';
import { ClawStoppedError } from './errors.js';

const open: ClawConfig = {
  channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
};

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('stop()', () => {
  it('stops accepting at once and lets a running turn finish within the timeout', async () => {
    const gate = deferred();
    const started = deferred();
    const t = createTestClaw({
      config: open,
      agents: {
        main: async () => {
          started.resolve();
          await gate.promise;
          return 'finished in time';
        },
      },
    });
    const receipt = await t.receive(t.channel.dm('work'));
    await t.settle(started.promise);
    const stopping = t.claw.stop({ timeoutMs: 60_000 });
    await expect(t.receive(t.channel.dm('too late'))).rejects.toSatisfy((e) =>
      ClawStoppedError.isInstance(e),
    );
    expect(t.state).toBe('stopping');
    gate.resolve();
    const report = await stopping;
    expect(report).toEqual({ unprocessed: [], aborted: [] });
    expect((await receipt.done)[0]!.status).toBe('completed');
    expect(t.replies().map((r) => r.message.text)).toEqual(['finished in time']);
    expect(t.state).toBe('stopped');
  });

  it('aborts a turn that outlives the timeout through its signal', async () => {
    const t = createTestClaw({
      config: open,
      agents: {
        main: (ctx: TurnContext) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          }),
      },
    });
    const receipt = await t.receive(t.channel.dm('endless'));
    const report = await t.stop({ timeoutMs: 5000 });
    expect(report.aborted).toEqual([receipt.turnId]);
    expect((await receipt.done)[0]!.status).toBe('aborted');
    expect(t.events('turn:end')[0]).toMatchObject({ status: 'aborted', turnId: receipt.turnId });
    // Aborted by shutdown is not a failure: no apology.
    expect(t.replies()).toEqual([]);
  });

  it('reports queued messages that never ran, and frees them for a redelivery after a restart', async () => {
    const stores = createMemoryStores();
    const gate = deferred();
    const t = createTestClaw({
      config: open,
      stores,
      agents: {
        main: async (ctx: TurnContext) => {
          if (ctx.messages[0]!.text === 'first') await gate.promise;
          return 'ok';
        },
      },
    });
    await t.receive(t.channel.dm('first'));
    const second = t.channel.dm('second', { messageId: 'm-second' });
    const queued = await t.receive(second);
    const stopping = t.claw.stop({ timeoutMs: 60_000 });
    gate.resolve();
    const report = await stopping;
    expect(report.unprocessed).toEqual([
      { message: second, sessionKey: queued.sessionKey, agentId: 'main', turnId: queued.turnId },
    ]);
    expect(t.events('message:unprocessed')).toEqual([
      expect.objectContaining({ messageId: 'm-second', reason: 'stopped', turnId: queued.turnId }),
    ]);
    expect((await queued.done)[0]!.status).toBe('stopped');

    const restarted = createTestClaw({ config: open, stores });
    const redelivered = await restarted.send(second);
    expect(redelivered.receipt.status).toBe('dispatched');
    expect(restarted.replies().map((r) => r.message.text)).toEqual(['second']);
  });

  it('starts and stops the adapters, and cannot be started again once stopped', async () => {
    const t = createTestClaw({ config: open });
    expect(t.channel.isStarted()).toBe(false);
    await t.start();
    expect(t.state).toBe('running');
    expect(t.channel.isStarted()).toBe(true);
    const receipt = (await t.channel.inbound(t.channel.dm('via the adapter'))) as { status: string };
    expect(receipt.status).toBe('dispatched');
    await t.idle();
    expect(t.replies().map((r) => r.message.text)).toEqual(['via the adapter']);

    const first = t.claw.stop();
    expect(t.claw.stop()).toBe(first);
    await first;
    expect(t.channel.isStarted()).toBe(false);
    await expect(t.start()).rejects.toSatisfy((e) => ClawStoppedError.isInstance(e));
  });
});
