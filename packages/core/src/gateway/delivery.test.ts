import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestChannel } from '@claw/channel-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { TurnContext } from '../agents/types.js';
import { createFileStores } from '../stores/file-stores.js';
import { createManualClock, createTestClaw } from '../testing/index.js';
import { type ClawConfig, DEFAULT_APOLOGY } from './config.js';
import { TurnEndedError } from './errors.js';

const open: ClawConfig = {
  channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
};

const dirs: string[] = [];

/** Wait (in real time, for file I/O) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 2) {
    if (waited > 5000) throw new Error('condition not reached within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('replies', () => {
  it('retries a transient send failure and posts the reply once', async () => {
    const t = createTestClaw({ config: open });
    t.channel.failNext(2, { reason: 'network' });
    await t.send(t.channel.dm('hello'));
    expect(t.channel.attempts.map((a) => a.error === undefined)).toEqual([false, false, true]);
    expect(t.replies().map((r) => r.message.text)).toEqual(['hello']);
    expect(t.events('reply:sent')[0]).toMatchObject({ attempts: 3 });
    expect(new Set(t.channel.attempts.map((a) => a.idempotencyKey)).size).toBe(1);
  });

  it("waits at least as long as the platform's retryAfter before retrying", async () => {
    const t = createTestClaw({ config: open });
    t.channel.failNext(1, { reason: 'rate_limited', retryAfterMs: 7000 });
    await t.send(t.channel.dm('hello'));
    const [failed, sent] = t.channel.attempts;
    expect(sent!.at - failed!.at).toBeGreaterThanOrEqual(7000);
  });

  it('reports a permanent failure as reply:failed and still delivers the later parts', async () => {
    const t = createTestClaw({
      config: open,
      agents: {
        main: async (ctx: TurnContext) => {
          await ctx.reply('first');
          await ctx.reply('second');
        },
      },
    });
    t.channel.failNext(1, { reason: 'forbidden' });
    const { outcomes } = await t.send(t.channel.dm('go'));
    expect(t.events('reply:failed')).toEqual([
      expect.objectContaining({ reason: 'permanent', partIndex: 0, attempts: 1 }),
    ]);
    expect(t.replies().map((r) => r.message.text)).toEqual(['second']);
    expect(outcomes[0]!.status).toBe('completed');
  });

  it('gives up after the configured attempts', async () => {
    const t = createTestClaw({ config: { ...open, gateway: { retry: { attempts: 2 } } } });
    t.channel.failNext(5, { reason: 'network' });
    await t.send(t.channel.dm('hello'));
    expect(t.channel.attempts).toHaveLength(2);
    expect(t.events('reply:failed')[0]).toMatchObject({ reason: 'retries_exhausted', attempts: 2 });
  });

  it('chunks a long reply at the channel limit, each chunk with its own idempotency key', async () => {
    const small = createTestChannel({ textChunkLimit: 10 });
    const t = createTestClaw({
      config: open,
      channels: small,
      agents: { main: () => 'aaaa bbbb cccc dddd' },
    });
    const { receipt } = await t.send(small.dm('x'));
    expect(small.sent.map((s) => s.message.text)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(small.sent.map((s) => s.idempotencyKey)).toEqual([
      `${receipt.turnId}:0.0`,
      `${receipt.turnId}:0.1`,
    ]);
  });

  it('never posts a confirmed part twice after a restart, and delivers what was left pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-outbox-'));
    dirs.push(dir);
    const firstChannel = createTestChannel();
    const first = createTestClaw({
      config: open,
      channels: firstChannel,
      stores: createFileStores({ dir, fsync: false }),
      agents: {
        main: async (ctx: TurnContext) => {
          await ctx.reply('part one');
          // Part two hits a rate limit, and the process goes down while it waits.
          firstChannel.failNext(1, { reason: 'rate_limited', retryAfterMs: 60_000 });
          await ctx.reply('part two');
        },
      },
    });
    const message = firstChannel.dm('two parts please', { messageId: 'm-restart' });
    const receipt = await first.receive(message);
    await until(() => firstChannel.attempts.length === 2);
    const report = await first.stop({ timeoutMs: 0 });
    expect(report.aborted).toEqual([receipt.turnId]);
    expect(firstChannel.sent.map((s) => s.message.text)).toEqual(['part one']);

    // Restart: a new process over the same files, a fresh connection to the platform.
    const secondChannel = createTestChannel();
    const second = createTestClaw({
      config: open,
      channels: secondChannel,
      stores: createFileStores({ dir, fsync: false }),
      clock: createManualClock(first.clock.now()),
    });
    await second.start();
    await second.idle();
    expect(secondChannel.sent.map((s) => [s.idempotencyKey, s.message.text])).toEqual([
      [`${receipt.turnId}:1`, 'part two'],
    ]);

    // The platform redelivers the inbound message: a duplicate, nothing runs or posts again.
    const again = await second.send(message);
    expect(again.receipt.status).toBe('duplicate');
    expect(secondChannel.sent).toHaveLength(1);
    await second.stop();
  });

  it('prunes confirmed parts from the outbox as traffic flows, once they could no longer be retried', async () => {
    const t = createTestClaw({ config: open });
    const first = await t.send(t.channel.dm('one'));
    const firstKey = `${first.receipt.turnId}:0`;
    expect(await t.stores.outbox.get(firstKey)).toMatchObject({ status: 'sent' });
    t.clock.advance(19 * 60_000);
    await t.send(t.channel.dm('two'));
    expect(await t.stores.outbox.get(firstKey)).toBeDefined(); // still within twice the reply age limit
    t.clock.advance(2 * 60_000);
    const third = await t.send(t.channel.dm('three'));
    expect(await t.stores.outbox.get(firstKey)).toBeUndefined();
    expect(await t.stores.outbox.get(`${third.receipt.turnId}:0`)).toMatchObject({ status: 'sent' });
  });

  it('streams with edits on channels that can edit, and records the full text', async () => {
    const t = createTestClaw({
      config: open,
      agents: {
        main: async (ctx: TurnContext) => {
          const stream = ctx.stream();
          stream.write('Hel');
          stream.write('lo, ');
          stream.write('world');
          await stream.end();
        },
      },
    });
    const { receipt } = await t.send(t.channel.dm('stream please'));
    expect(t.channel.sent).toHaveLength(1);
    const shown = t.channel.edits.at(-1)?.message.text ?? t.channel.sent[0]!.message.text;
    expect(shown).toBe('Hello, world');
    const transcript = await t.stores.transcripts.read(receipt.sessionKey!);
    expect(transcript.at(-1)).toMatchObject({ role: 'assistant', text: 'Hello, world' });
  });

  it('streams coalesced blocks on channels without edit, and ends a stream the handler left open', async () => {
    const plain = createTestChannel({ edit: false });
    const t = createTestClaw({
      config: { ...open, gateway: { stream: { minChars: 1, maxChars: 20, idleMs: 0 } } },
      channels: plain,
      agents: {
        main: (ctx: TurnContext) => {
          const stream = ctx.stream();
          stream.write('First paragraph.\n\n');
          stream.write('Second paragraph.');
        },
      },
    });
    await t.send(plain.dm('go'));
    expect(plain.sent.map((s) => s.message.text).join(' ')).toContain('First paragraph.');
    expect(plain.sent.map((s) => s.message.text).join(' ')).toContain('Second paragraph.');
    expect(plain.edits).toEqual([]);
  });

  it('shows typing while the handler asks for it and clears it when the turn ends', async () => {
    const t = createTestClaw({
      config: open,
      agents: {
        main: async (ctx: TurnContext) => {
          await ctx.setTyping(true);
          return 'done';
        },
      },
    });
    const message = t.channel.dm('hi');
    await t.send(message);
    expect(t.channel.typing.map((r) => [r.target.peer.id, r.typing])).toEqual([
      ['u1', true],
      ['u1', false],
    ]);
  });
});

describe('handler failures', () => {
  it('end the turn as failed with an error event and a short apology to the origin', async () => {
    const boom = new Error('model exploded');
    const t = createTestClaw({
      config: open,
      agents: {
        main: () => {
          throw boom;
        },
      },
    });
    const message = t.channel.group('@bot hi', { groupId: 'g7', mention: true });
    const { receipt, outcomes } = await t.send(message);
    expect(outcomes[0]!.status).toBe('failed');
    expect(t.events('error')).toEqual([
      expect.objectContaining({
        error: boom,
        source: 'turn',
        turnId: receipt.turnId,
        sessionKey: receipt.sessionKey,
      }),
    ]);
    expect(t.events('turn:end')[0]).toMatchObject({ status: 'failed', error: boom });
    expect(t.replies(message).map((r) => r.message.text)).toEqual([DEFAULT_APOLOGY]);

    // The gateway carries on.
    const next = await t.send(t.channel.dm('still there?'));
    expect(next.receipt.status).toBe('dispatched');
  });

  it('use the configured apology, or none', async () => {
    const failing = { main: () => Promise.reject(new Error('no')) };
    const custom = createTestClaw({
      config: { ...open, gateway: { apology: 'Hiccup, try again.' } },
      agents: failing,
    });
    await custom.send(custom.channel.dm('x'));
    expect(custom.replies().map((r) => r.message.text)).toEqual(['Hiccup, try again.']);
    const silent = createTestClaw({ config: { ...open, gateway: { apology: false } }, agents: failing });
    await silent.send(silent.channel.dm('x'));
    expect(silent.replies()).toEqual([]);
  });

  it('treat a return value that is not a reply as a failure', async () => {
    const t = createTestClaw({ config: open, agents: { main: () => 42 as unknown as string } });
    const { outcomes } = await t.send(t.channel.dm('x'));
    expect(outcomes[0]!.status).toBe('failed');
    expect(String((t.events('error')[0]!.error as Error).message)).toMatch(/returned a number/);
  });

  it('refuse replies after the turn ended', async () => {
    let saved: TurnContext | undefined;
    const t = createTestClaw({
      config: open,
      agents: {
        main: (ctx: TurnContext) => {
          saved = ctx;
        },
      },
    });
    await t.send(t.channel.dm('x'));
    await expect(saved!.reply('late')).rejects.toSatisfy((e) => TurnEndedError.isInstance(e));
    expect(() => saved!.stream()).toThrow(/after turn/);
    expect(t.replies()).toEqual([]);
  });
});
