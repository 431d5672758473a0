import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChannelAdapter, type ReplyTarget, replyTargetOf } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors/index.js';
import type { ClawEventMap } from '../events/types.js';
import { createFileStores } from '../stores/file-stores.js';
import { createMemoryOutboxStore } from '../stores/memory-stores.js';
import type { OutboxStore } from '../stores/types.js';
import { ReplyDispatchError } from './reply-dispatch-error.js';
import { createReplyDispatcher } from './reply-dispatcher.js';
import type { ReplyDispatcherOptions } from './types.js';

/** A clock whose `sleep` advances time at once and records each wait. */
function instantClock(start = 1_700_000_000_000) {
  let time = start;
  const waits: number[] = [];
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    sleep: async (ms: number) => {
      waits.push(ms);
      time += ms;
    },
    waits,
  };
}

type Events = { name: keyof ClawEventMap; payload: ClawEventMap[keyof ClawEventMap] }[];

function setup(
  channels: ChannelAdapter[],
  options: Partial<ReplyDispatcherOptions> = {},
  outbox: OutboxStore = createMemoryOutboxStore(),
) {
  const clock = instantClock();
  const events: Events = [];
  const dispatcher = createReplyDispatcher({
    channels,
    outbox,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5, // no jitter
    onEvent: (name, payload) => {
      events.push({ name, payload });
    },
    ...options,
  });
  const named = <K extends keyof ClawEventMap>(name: K) =>
    events.filter((e) => e.name === name).map((e) => e.payload as ClawEventMap[K]);
  return { dispatcher, clock, events, named, outbox };
}

const group = (id = 'g1', extra: Partial<ReplyTarget> = {}): ReplyTarget => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'group', id },
  ...extra,
});

describe('reply dispatcher', () => {
  it('delivers to the pinned target, quoting the message it answers', async () => {
    const tg = createTestChannel();
    const { dispatcher, named } = setup([tg]);
    const message = tg.thread('why did CI fail?', { peerId: 'dev-team', threadId: 'ci' });
    const target = replyTargetOf(message);
    const result = await dispatcher.deliver(target, 'Because the lockfile is stale.', {
      turnId: 't1',
      partIndex: 0,
      sessionKey: 'sk',
      agentId: 'main',
      messageId: message.messageId,
    });
    expect(result.status).toBe('sent');
    expect(tg.sent).toHaveLength(1);
    expect(tg.sent[0]?.target).toEqual(target);
    expect(tg.sent[0]?.message).toEqual({
      text: 'Because the lockfile is stale.',
      replyToMessageId: message.messageId,
    });
    expect(tg.sent[0]?.idempotencyKey).toBe('t1:0');
    expect(named('reply:sent')).toEqual([
      expect.objectContaining({
        turnId: 't1',
        sessionKey: 'sk',
        agentId: 'main',
        messageId: message.messageId,
        idempotencyKey: 't1:0',
        platformMessageId: tg.sent[0]?.messageId,
        attempts: 1,
        target,
      }),
    ]);
  });

  it('chunks long text at the channel limit, in order, one key per chunk', async () => {
    const tg = createTestChannel({ textChunkLimit: 20 });
    const { dispatcher } = setup([tg]);
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    const result = await dispatcher.deliver(group(), text, { turnId: 't', partIndex: 3 });
    expect(tg.sent.length).toBeGreaterThan(1);
    expect(tg.sent.every((s) => s.message.text.length <= 20)).toBe(true);
    expect(tg.sent.map((s) => s.message.text).join(' ')).toBe(text);
    expect(tg.sent.map((s) => s.idempotencyKey)).toEqual(tg.sent.map((_, i) => `t:3.${i}`));
    expect(result.parts.map((p) => p.chunkIndex)).toEqual(tg.sent.map((_, i) => i));
  });

  it('quotes only the first part of a turn with replyToMode first, and none with off', async () => {
    const tg = createTestChannel({ textChunkLimit: 10 });
    const target = group('g1', { replyToMessageId: 'm9' });
    const first = setup([tg], { replyToMode: 'first' }).dispatcher;
    await first.deliver(target, 'aaaa bbbb cccc', { turnId: 't', partIndex: 0 });
    await first.deliver(target, 'later', { turnId: 't', partIndex: 1 });
    expect(tg.sent.map((s) => s.message.replyToMessageId)).toEqual(['m9', undefined, undefined]);
    tg.clear();
    await setup([tg], { replyToMode: 'off' }).dispatcher.deliver(target, 'x', { turnId: 'u', partIndex: 0 });
    expect(tg.sent[0]?.message.replyToMessageId).toBeUndefined();
  });

  it('never quotes on a channel without replies, and puts media links in the text when it has no media', async () => {
    const plain = createTestChannel({ replies: false, media: false });
    const { dispatcher } = setup([plain]);
    await dispatcher.deliver(
      group('g1', { replyToMessageId: 'm1' }),
      { text: 'the report', media: [{ kind: 'file', url: 'https://example.org/r.pdf' }] },
      { turnId: 't', partIndex: 0 },
    );
    expect(plain.sent[0]?.message).toEqual({ text: 'the report\nhttps://example.org/r.pdf' });
  });

  it('keeps strict order per target and delivers different targets independently', async () => {
    const tg = createTestChannel();
    const { dispatcher } = setup([tg]);
    const deliveries = [];
    for (let i = 0; i < 5; i++) {
      deliveries.push(dispatcher.deliver(group('a'), `a${i}`, { turnId: 'ta', partIndex: i }));
      deliveries.push(dispatcher.deliver(group('b'), `b${i}`, { turnId: 'tb', partIndex: i }));
    }
    await Promise.all(deliveries);
    expect(tg.sentTo({ peerId: 'a' }).map((s) => s.message.text)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(tg.sentTo({ peerId: 'b' }).map((s) => s.message.text)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(dispatcher.pending).toBe(0);
  });

  it('records each part in the outbox before sending and marks it sent after', async () => {
    const outbox = createMemoryOutboxStore();
    const tg = createTestChannel();
    const statusAtSend: (string | undefined)[] = [];
    const spy: ChannelAdapter = {
      ...tg,
      send: async (target, message, ctx) => {
        statusAtSend.push((await outbox.get(ctx.idempotencyKey))?.status);
        return tg.send(target, message, ctx);
      },
    };
    const { dispatcher } = setup([spy], {}, outbox);
    await dispatcher.deliver(group(), 'hi', { turnId: 't', partIndex: 0 });
    expect(statusAtSend).toEqual(['pending']);
    expect(await outbox.get('t:0')).toMatchObject({
      status: 'sent',
      platformMessageId: tg.sent[0]?.messageId,
      attempts: 1,
    });
  });

  it('skips a part the outbox already has as sent, so a retried turn never double-posts', async () => {
    const tg = createTestChannel();
    const { dispatcher } = setup([tg]);
    await dispatcher.deliver(group(), 'answer', { turnId: 't', partIndex: 0 });
    const again = await dispatcher.deliver(group(), 'answer', { turnId: 't', partIndex: 0 });
    expect(again.status).toBe('skipped');
    expect(again.parts[0]?.platformMessageId).toBe(tg.sent[0]?.messageId);
    expect(tg.sent).toHaveLength(1);
  });

  describe('retries', () => {
    it('retries a transient failure with exponential backoff and then delivers', async () => {
      const tg = createTestChannel();
      tg.failNext(2, { reason: 'network' });
      const { dispatcher, clock } = setup([tg], { retry: { attempts: 3, baseDelayMs: 100 } });
      const result = await dispatcher.deliver(group(), 'hi', { turnId: 't', partIndex: 0 });
      expect(result.parts[0]).toMatchObject({ status: 'sent', attempts: 3 });
      expect(clock.waits).toEqual([100, 200]);
      expect(tg.attempts.map((a) => a.idempotencyKey)).toEqual(['t:0', 't:0', 't:0']);
    });

    it('waits at least what the platform asked for with retryAfterMs', async () => {
      const tg = createTestChannel();
      tg.failNext(1, { reason: 'rate_limited', retryAfterMs: 45_000 });
      const { dispatcher, clock } = setup([tg], { retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
      await dispatcher.deliver(group(), 'hi', { turnId: 't', partIndex: 0 });
      expect(clock.waits).toEqual([45_000]);
      expect(tg.sent).toHaveLength(1);
    });

    it('spreads delays with jitter from the injected random source', async () => {
      const tg = createTestChannel();
      tg.failNext(1, { reason: 'network' });
      const { dispatcher, clock } = setup([tg], {
        retry: { baseDelayMs: 1000, jitter: 0.1 },
        random: () => 0.99,
      });
      await dispatcher.deliver(group(), 'hi', { turnId: 't', partIndex: 0 });
      expect(clock.waits[0]).toBeGreaterThan(1000);
      expect(clock.waits[0]).toBeLessThanOrEqual(1100);
    });

    it('gives up after the configured attempts and reports retries_exhausted', async () => {
      const tg = createTestChannel();
      tg.failNext(5, { reason: 'network' });
      const { dispatcher, named, outbox } = setup([tg], { retry: { attempts: 2 } });
      const result = await dispatcher.deliver(group(), 'hi', { turnId: 't', partIndex: 0, sessionKey: 'sk' });
      expect(result.status).toBe('failed');
      expect(named('reply:failed')).toEqual([
        expect.objectContaining({ reason: 'retries_exhausted', attempts: 2, sessionKey: 'sk' }),
      ]);
      expect(await outbox.get('t:0')).toMatchObject({ status: 'failed' });
    });

    it('reports a permanent failure without retrying and still delivers the later parts, in order', async () => {
      const tg = createTestChannel();
      tg.failNext(1, { reason: 'forbidden' });
      const { dispatcher, named, clock } = setup([tg]);
      const first = dispatcher.deliver(group(), 'first', { turnId: 't', partIndex: 0 });
      const second = dispatcher.deliver(group(), 'second', { turnId: 't', partIndex: 1 });
      expect((await first).status).toBe('failed');
      expect((await second).status).toBe('sent');
      expect(clock.waits).toEqual([]);
      expect(tg.sent.map((s) => s.message.text)).toEqual(['second']);
      expect(named('reply:failed')).toEqual([
        expect.objectContaining({ reason: 'permanent', idempotencyKey: 't:0' }),
      ]);
    });

    it('treats an error that is not a ChannelSendError as permanent', async () => {
      const broken: ChannelAdapter = {
        ...createTestChannel(),
        send: async () => {
          throw new TypeError('adapter bug');
        },
      };
      const { dispatcher, clock } = setup([broken]);
      const result = await dispatcher.deliver(group(), 'x', { turnId: 't', partIndex: 0 });
      expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'permanent', attempts: 1 });
      expect(clock.waits).toEqual([]);
    });

    it('never lets a retry reorder the parts of a target', async () => {
      const tg = createTestChannel();
      tg.failNext(2, { reason: 'rate_limited', retryAfterMs: 10 });
      const { dispatcher } = setup([tg]);
      await Promise.all(
        [0, 1, 2].map((i) => dispatcher.deliver(group(), `p${i}`, { turnId: 't', partIndex: i })),
      );
      expect(tg.sent.map((s) => s.message.text)).toEqual(['p0', 'p1', 'p2']);
    });
  });

  describe('staleness', () => {
    it('drops a part older than maxAgeMs instead of delivering it late', async () => {
      const tg = createTestChannel();
      const { dispatcher, clock, named } = setup([tg], { maxAgeMs: 60_000 });
      const result = await dispatcher.deliver(group(), 'old news', {
        turnId: 't',
        partIndex: 0,
        createdAt: clock.now() - 61_000,
      });
      expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'stale' });
      expect(tg.sent).toEqual([]);
      expect(named('reply:failed')[0]?.reason).toBe('stale');
    });

    it('drops a part at once when the platform asks to wait past its age limit', async () => {
      const tg = createTestChannel();
      tg.failNext(1, { reason: 'rate_limited', retryAfterMs: 10 * 60_000 });
      const { dispatcher, clock } = setup([tg], { maxAgeMs: 60_000 });
      const result = await dispatcher.deliver(group(), 'x', { turnId: 't', partIndex: 0 });
      expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'stale' });
      expect(clock.waits).toEqual([]);
    });
  });

  describe('restart safety', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('never double-posts a part confirmed before a restart (file outbox)', async () => {
      dir = await mkdtemp(join(tmpdir(), 'claw-dispatch-'));
      const tg = createTestChannel({ textChunkLimit: 12 });
      const before = setup([tg], {}, createFileStores({ dir, fsync: false }).outbox);
      await before.dispatcher.deliver(group(), 'first part of the answer', { turnId: 't', partIndex: 0 });
      const postedBefore = tg.sent.length;
      // The process restarts and the same turn is delivered again (e.g. a background result re-announced).
      const after = setup([tg], {}, createFileStores({ dir, fsync: false }).outbox);
      const result = await after.dispatcher.deliver(group(), 'first part of the answer', {
        turnId: 't',
        partIndex: 0,
      });
      const second = await after.dispatcher.deliver(group(), 'second part', { turnId: 't', partIndex: 1 });
      expect(result.status).toBe('skipped');
      expect(second.status).toBe('sent');
      expect(tg.sent).toHaveLength(postedBefore + 1);
    });

    it('delivers after a restart the parts a crash left unconfirmed, and drops the stale ones', async () => {
      dir = await mkdtemp(join(tmpdir(), 'claw-dispatch-'));
      const outbox = createFileStores({ dir, fsync: false }).outbox;
      const clock = instantClock();
      // What the crashed process had recorded but never confirmed.
      await outbox.record({
        idempotencyKey: 'old:0',
        target: group('a'),
        message: { text: 'too old' },
        turnId: 'old',
        partIndex: 0,
        chunkIndex: 0,
        createdAt: clock.now() - 3_600_000,
      });
      await outbox.record({
        idempotencyKey: 't:1',
        target: group('a'),
        message: { text: 'second' },
        turnId: 't',
        partIndex: 1,
        chunkIndex: 0,
        createdAt: clock.now() - 1000,
      });
      await outbox.record({
        idempotencyKey: 't:0',
        target: group('a'),
        message: { text: 'first' },
        turnId: 't',
        partIndex: 0,
        chunkIndex: 0,
        createdAt: clock.now() - 1000,
      });
      const tg = createTestChannel();
      const { dispatcher } = setup([tg], { now: clock.now }, createFileStores({ dir, fsync: false }).outbox);
      await expect(dispatcher.recover()).resolves.toEqual({ sent: 2, stale: 1, failed: 0 });
      expect(tg.sent.map((s) => [s.message.text, s.idempotencyKey])).toEqual([
        ['first', 't:0'],
        ['second', 't:1'],
      ]);
      expect(await outbox.listPending()).toEqual([]);
    });
  });

  describe('aborting', () => {
    it('gives up the unsent parts of an interrupted turn', async () => {
      const tg = createTestChannel();
      const { dispatcher, outbox } = setup([tg]);
      const controller = new AbortController();
      controller.abort();
      const result = await dispatcher.deliver(group(), 'x', {
        turnId: 't',
        partIndex: 0,
        signal: controller.signal,
      });
      expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'aborted' });
      expect(await outbox.get('t:0')).toMatchObject({ status: 'failed' });
      expect(tg.sent).toEqual([]);
    });

    it('leaves parts pending when the gateway stops, so recover() delivers them after a restart', async () => {
      const tg = createTestChannel();
      const outbox = createMemoryOutboxStore();
      const stop = new AbortController();
      stop.abort();
      const { dispatcher } = setup([tg], { signal: stop.signal }, outbox);
      const result = await dispatcher.deliver(group(), 'x', { turnId: 't', partIndex: 0 });
      expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'aborted' });
      expect((await outbox.listPending()).map((r) => r.idempotencyKey)).toEqual(['t:0']);
      const restarted = setup([tg], {}, outbox).dispatcher;
      await expect(restarted.recover()).resolves.toMatchObject({ sent: 1 });
      expect(tg.sent).toHaveLength(1);
    });
  });

  it('reports a target on an unregistered channel as unknown_channel', async () => {
    const { dispatcher, named } = setup([createTestChannel()]);
    const result = await dispatcher.deliver({ ...group(), channel: 'nowhere' }, 'x', {
      turnId: 't',
      partIndex: 0,
    });
    expect(result.parts[0]).toMatchObject({ status: 'failed', reason: 'unknown_channel' });
    expect(named('reply:failed')[0]?.reason).toBe('unknown_channel');
  });

  it('sends nothing for an empty message', async () => {
    const tg = createTestChannel();
    const result = await setup([tg]).dispatcher.deliver(group(), '   ', { turnId: 't', partIndex: 0 });
    expect(result).toEqual({ status: 'empty', partIndex: 0, parts: [] });
    expect(tg.sent).toEqual([]);
  });

  it('rejects a delivery without a partIndex or idempotencyKey, explaining why', async () => {
    const { dispatcher } = setup([createTestChannel()]);
    const error = await dispatcher.deliver(group(), 'x', { turnId: 't' }).catch((e: unknown) => e);
    expect(ReplyDispatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/partIndex .* or an idempotencyKey/);
    await expect(
      dispatcher.deliver({ channel: 'test' } as never, 'x', { turnId: 't', partIndex: 0 }),
    ).rejects.toThrow(/target\.accountId/);
  });

  it('uses an explicit idempotency key instead of the turn and part', async () => {
    const tg = createTestChannel();
    await setup([tg]).dispatcher.deliver(group(), 'result', {
      turnId: 'run-1',
      idempotencyKey: 'announce:run-1',
    });
    expect(tg.sent[0]?.idempotencyKey).toBe('announce:run-1');
  });

  it('rejects invalid options with a ConfigError listing every problem', () => {
    const error = (() => {
      try {
        createReplyDispatcher({
          channels: [{ id: 'x' } as never],
          outbox: {} as never,
          retry: { attempts: 0 },
          replyToMode: 'some' as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'channels.0',
      'outbox',
      'retry.attempts',
      'replyToMode',
    ]);
  });

  describe('turn replier', () => {
    it('numbers the parts of a turn and keeps its target even if the caller changes the object', async () => {
      const tg = createTestChannel();
      const { dispatcher } = setup([tg]);
      const target = { ...group('g1') } as { -readonly [K in keyof ReplyTarget]: ReplyTarget[K] };
      const turn = dispatcher.forTurn({ turnId: 't', target });
      target.peer = { kind: 'group', id: 'somewhere-else' };
      await turn.send('one');
      await turn.send({ text: 'two' });
      expect(turn.partsUsed).toBe(2);
      expect(tg.sent.map((s) => [s.idempotencyKey, s.target.peer.id])).toEqual([
        ['t:0', 'g1'],
        ['t:1', 'g1'],
      ]);
      expect(Object.isFrozen(turn.target)).toBe(true);
    });
  });

  describe('block streaming', () => {
    /** A sleep the test resolves by advancing the clock. */
    function steppedClock() {
      let time = 0;
      const waiting: { until: number; resolve: () => void }[] = [];
      return {
        now: () => time,
        sleep: (ms: number, signal?: AbortSignal) =>
          new Promise<void>((resolve, reject) => {
            const entry = { until: time + ms, resolve };
            waiting.push(entry);
            signal?.addEventListener('abort', () => {
              waiting.splice(waiting.indexOf(entry), 1);
              reject(signal.reason);
            });
          }),
        async advance(ms: number) {
          time += ms;
          for (const entry of [...waiting]) {
            if (entry.until <= time) {
              waiting.splice(waiting.indexOf(entry), 1);
              entry.resolve();
            }
          }
          await new Promise((r) => setImmediate(r));
        },
      };
    }

    it('sends one message and edits it as the text grows, on a channel with edit', async () => {
      const tg = createTestChannel();
      const clock = steppedClock();
      const { dispatcher } = setup([tg], {
        now: clock.now,
        sleep: clock.sleep,
        stream: { editIntervalMs: 1000 },
      });
      const stream = dispatcher.forTurn({ turnId: 't', target: group() }).stream();
      stream.write('Hello');
      await clock.advance(0);
      expect(tg.sent.map((s) => s.message.text)).toEqual(['Hello']);
      stream.write(', wor');
      stream.write('ld');
      await clock.advance(10);
      expect(tg.edits).toEqual([]); // throttled
      await clock.advance(1000);
      expect(tg.edits.map((e) => e.message.text)).toEqual(['Hello, world']);
      stream.write('!');
      const results = await stream.end();
      expect(tg.edits.map((e) => e.message.text)).toEqual(['Hello, world', 'Hello, world!']);
      expect(tg.edits.every((e) => e.messageId === tg.sent[0]?.messageId)).toBe(true);
      expect(tg.sent).toHaveLength(1);
      expect(results.map((r) => r.status)).toEqual(['sent']);
      expect(stream.text).toBe('Hello, world!');
    });

    it('starts a new message when the edited one reaches the channel limit', async () => {
      const tg = createTestChannel({ textChunkLimit: 20 });
      const clock = steppedClock();
      const { dispatcher } = setup([tg], { now: clock.now, sleep: clock.sleep });
      const stream = dispatcher.forTurn({ turnId: 't', target: group() }).stream();
      stream.write('aaaa bbbb ');
      await clock.advance(0);
      stream.write('cccc dddd eeee ffff gggg');
      await stream.end();
      const shown = [...tg.sent.map((s) => s.messageId)].map((id) => {
        const last = tg.edits.filter((e) => e.messageId === id).at(-1);
        return last?.message.text ?? tg.sent.find((s) => s.messageId === id)?.message.text;
      });
      expect(shown.join(' ')).toBe('aaaa bbbb cccc dddd eeee ffff gggg');
      expect(
        [...tg.sent.map((s) => s.message.text), ...tg.edits.map((e) => e.message.text)].every(
          (t) => t.length <= 20,
        ),
      ).toBe(true);
      expect(tg.sent.map((s) => s.idempotencyKey)).toEqual(['t:0', 't:1']);
    });

    it('sends the full text as a new message when an edit fails for good', async () => {
      const tg = createTestChannel();
      const clock = steppedClock();
      const { dispatcher } = setup([tg], { now: clock.now, sleep: clock.sleep });
      const stream = dispatcher.forTurn({ turnId: 't', target: group() }).stream();
      stream.write('partial');
      await clock.advance(0);
      tg.failNext(1, { reason: 'not_found', operation: 'edit' });
      stream.write(' and the rest');
      await stream.end();
      expect(tg.sent.map((s) => s.message.text)).toEqual(['partial', 'partial and the rest']);
    });

    it('coalesces blocks into messages on a channel without edit', async () => {
      const tg = createTestChannel({ edit: false });
      const clock = steppedClock();
      const { dispatcher } = setup([tg], {
        now: clock.now,
        sleep: clock.sleep,
        stream: { minChars: 10, maxChars: 30, idleMs: 500 },
      });
      const stream = dispatcher.forTurn({ turnId: 't', target: group() }).stream();
      stream.write('First paragraph here.\n\nSecond');
      await clock.advance(0);
      expect(tg.sent.map((s) => s.message.text)).toEqual(['First paragraph here.']);
      stream.write(' paragraph, slowly');
      await clock.advance(100);
      expect(tg.sent).toHaveLength(1);
      await clock.advance(500); // idle gap
      expect(tg.sent.map((s) => s.message.text)).toEqual([
        'First paragraph here.',
        'Second paragraph, slowly',
      ]);
      stream.write(' end.');
      await stream.end();
      expect(tg.sent.map((s) => s.message.text).at(-1)).toBe('end.');
      expect(tg.sent.map((s) => s.idempotencyKey)).toEqual(['t:0', 't:1', 't:2']);
    });

    it('refuses writes after the end', async () => {
      const tg = createTestChannel({ edit: false });
      const stream = setup([tg]).dispatcher.forTurn({ turnId: 't', target: group() }).stream();
      await stream.end();
      expect(() => stream.write('late')).toThrow(ReplyDispatchError);
    });
  });

  it('keeps delivering when an event listener throws', async () => {
    const tg = createTestChannel();
    const onEvent = vi.fn(() => {
      throw new Error('listener bug');
    });
    const { dispatcher } = setup([tg], { onEvent });
    await expect(dispatcher.deliver(group(), 'x', { turnId: 't', partIndex: 0 })).resolves.toMatchObject({
      status: 'sent',
    });
    expect(onEvent).toHaveBeenCalled();
  });
});
