import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { StoreError } from '../stores/store-error.js';
import type { ClawStores, ConversationBinding, OutboxPart, RunRecord } from '../stores/types.js';

/** The stores under test, and how to get them back after a simulated restart. */
export interface StoreConformanceContext {
  /** The stores under test (fresh and empty for each check). */
  readonly stores: ClawStores;
  /**
   * A new instance over the same storage, as after a restart; `undefined` for stores that keep
   * nothing across instances (memory), which skips the durability checks.
   */
  readonly reopen: (() => Promise<ClawStores>) | undefined;
}

/** One conformance check: a plain async function that throws (an `AssertionError`) on failure. */
export interface StoreConformanceCheck {
  /** What the check shows, as a sentence ("a claimed key cannot be claimed again within its TTL"). */
  readonly name: string;
  /** Which store it exercises. */
  readonly store: keyof ClawStores | 'all';
  /** Needs `reopen` (skipped without it). */
  readonly durable?: boolean;
  /** Runs the check. */
  readonly run: (context: StoreConformanceContext) => Promise<void>;
}

/** Options of `storeConformance`. */
export interface StoreConformanceOptions {
  /** Name of the suite (`describe` title). Default `ClawStores conformance`. */
  readonly name?: string;
  /**
   * A new instance over the same storage as `stores` (a restart). Omit for non-durable stores:
   * the durability checks are then skipped.
   */
  readonly reopen?: (stores: ClawStores) => Promise<ClawStores> | ClawStores;
  /** Clean up after each check (close connections, delete temp dirs). */
  readonly cleanup?: (stores: ClawStores) => Promise<void> | void;
  /** Names of checks to skip (with a reason in your test file, please). */
  readonly skip?: readonly string[];
}

const target = (peerId: string, threadId?: string) => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'group' as const, id: peerId },
  ...(threadId === undefined ? {} : { threadId }),
});

const part = (key: string, createdAt: number, overrides: Partial<OutboxPart> = {}): OutboxPart => ({
  idempotencyKey: key,
  target: target('g1'),
  message: { text: `text of ${key}` },
  turnId: key.split(':')[0] ?? key,
  partIndex: 0,
  chunkIndex: 0,
  createdAt,
  ...overrides,
});

const binding = (id: string, overrides: Partial<ConversationBinding> = {}): ConversationBinding => ({
  bindingId: id,
  kind: 'current',
  channel: 'test',
  accountId: 'default',
  conversationId: `conv-${id}`,
  targetSessionKey: 'agent:main:test:group:g1',
  agentId: 'main',
  boundAt: 1000,
  lastActivityAt: 1000,
  idleTtlMs: 60_000,
  maxAgeMs: 0,
  ...overrides,
});

const run = (id: string, overrides: Partial<RunRecord> = {}): RunRecord => ({
  runId: id,
  parentSessionKey: 'agent:main:test:group:g1',
  childSessionKey: `agent:main:subagent:${id}`,
  agentId: 'main',
  task: `task ${id}`,
  status: 'accepted',
  announced: false,
  target: target('g1'),
  cleanup: 'delete',
  createdAt: 1000,
  ...overrides,
});

async function rejectsWithStoreError(
  promise: Promise<unknown>,
  code: StoreError['code'],
  what: string,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `${what}: expected a rejection, but it resolved`);
  assert.ok(StoreError.isInstance(caught), `${what}: expected a StoreError, got ${String(caught)}`);
  assert.equal((caught as StoreError).code, code, `${what}: error code`);
}

/** Try to change a returned record; the store's copy must not change either way. */
function tamper(value: object): void {
  try {
    (value as Record<string, unknown>)['tampered'] = true;
  } catch {
    // Frozen records refuse the change, which is fine.
  }
}

/**
 * Every check of the store conformance suite, as plain async functions (use them with any test
 * runner; `storeConformance` wraps them in vitest `it`s).
 */
export const storeConformanceChecks: readonly StoreConformanceCheck[] = [
  // --- sessions --------------------------------------------------------------------------------
  {
    name: 'an unknown session reads as undefined',
    store: 'sessions',
    async run({ stores }) {
      assert.equal(await stores.sessions.get('agent:main:main'), undefined);
    },
  },
  {
    name: 'touching a new session creates it with both times set',
    store: 'sessions',
    async run({ stores }) {
      const entry = await stores.sessions.touch('agent:main:main', 1000);
      assert.deepEqual(
        { key: entry.sessionKey, createdAt: entry.createdAt, last: entry.lastActivityAt },
        { key: 'agent:main:main', createdAt: 1000, last: 1000 },
      );
      assert.deepEqual(await stores.sessions.get('agent:main:main'), entry);
    },
  },
  {
    name: 'touching moves the activity time forward, never backwards, and keeps createdAt',
    store: 'sessions',
    async run({ stores }) {
      await stores.sessions.touch('s', 1000);
      await stores.sessions.touch('s', 5000);
      await stores.sessions.touch('s', 3000);
      const entry = await stores.sessions.get('s');
      assert.equal(entry?.createdAt, 1000);
      assert.equal(entry?.lastActivityAt, 5000);
    },
  },
  {
    name: 'overrides are set by update, kept when omitted, and cleared by null',
    store: 'sessions',
    async run({ stores }) {
      await stores.sessions.touch('s', 1000);
      await stores.sessions.update(
        's',
        { activation: 'always', queueMode: 'collect', meta: { label: 'x' } },
        2000,
      );
      let entry = await stores.sessions.update('s', { queueMode: 'steer' }, 3000);
      assert.equal(entry.activation, 'always');
      assert.equal(entry.queueMode, 'steer');
      assert.deepEqual(entry.meta, { label: 'x' });
      assert.equal(entry.lastActivityAt, 1000, 'changing settings is not activity');
      entry = await stores.sessions.update('s', { activation: null, meta: null }, 4000);
      assert.equal(entry.activation, undefined);
      assert.equal(entry.meta, undefined);
      assert.equal(entry.queueMode, 'steer');
      assert.deepEqual(await stores.sessions.get('s'), entry);
    },
  },
  {
    name: 'updating an unknown session creates it',
    store: 'sessions',
    async run({ stores }) {
      const entry = await stores.sessions.update('fresh', { activation: 'mention' }, 7000);
      assert.equal(entry.createdAt, 7000);
      assert.equal((await stores.sessions.get('fresh'))?.activation, 'mention');
    },
  },
  {
    name: 'deleting a session reports whether it existed',
    store: 'sessions',
    async run({ stores }) {
      await stores.sessions.touch('s', 1);
      assert.equal(await stores.sessions.delete('s'), true);
      assert.equal(await stores.sessions.delete('s'), false);
      assert.equal(await stores.sessions.get('s'), undefined);
    },
  },
  {
    name: 'listing sessions returns all of them, or the idle ones',
    store: 'sessions',
    async run({ stores }) {
      await stores.sessions.touch('a', 1000);
      await stores.sessions.touch('b', 2000);
      await stores.sessions.touch('c', 3000);
      const all = (await stores.sessions.list()).map((e) => e.sessionKey).sort();
      assert.deepEqual(all, ['a', 'b', 'c']);
      const idle = (await stores.sessions.list({ lastActivityBefore: 2500 })).map((e) => e.sessionKey).sort();
      assert.deepEqual(idle, ['a', 'b']);
    },
  },
  {
    name: 'changing a returned session entry does not change the store',
    store: 'sessions',
    async run({ stores }) {
      const entry = await stores.sessions.update('s', { meta: { n: 1 } }, 1000);
      tamper(entry);
      if (entry.meta !== undefined) tamper(entry.meta);
      const again = await stores.sessions.get('s');
      assert.equal((again as unknown as Record<string, unknown>)['tampered'], undefined);
      assert.deepEqual(again?.meta, { n: 1 });
    },
  },
  {
    name: 'session keys with reserved characters stay distinct',
    store: 'sessions',
    async run({ stores }) {
      const keys = [
        'agent:main:matrix:channel:!room:server',
        'agent:main:matrix:channel:!room%3Aserver',
        'AGENT:main:x',
        'agent:main:x',
      ];
      for (const [i, key] of keys.entries()) await stores.sessions.touch(key, 1000 + i);
      for (const [i, key] of keys.entries())
        assert.equal((await stores.sessions.get(key))?.createdAt, 1000 + i, key);
    },
  },
  {
    name: 'a malformed session call is rejected with an invalid_argument StoreError',
    store: 'sessions',
    async run({ stores }) {
      await rejectsWithStoreError(stores.sessions.touch('', 1), 'invalid_argument', 'empty key');
      await rejectsWithStoreError(stores.sessions.touch('s', Number.NaN), 'invalid_argument', 'NaN time');
      await rejectsWithStoreError(
        stores.sessions.update('s', { queueMode: 'sometimes' as never }, 1),
        'invalid_argument',
        'unknown queue mode',
      );
    },
  },
  // --- transcripts -----------------------------------------------------------------------------
  {
    name: 'a transcript reads back in append order',
    store: 'transcripts',
    async run({ stores }) {
      await stores.transcripts.append('s', {
        role: 'user',
        text: 'one',
        at: 1,
        messageId: 'm1',
        senderId: 'u1',
      });
      await stores.transcripts.append('s', [
        { role: 'assistant', text: 'two', at: 2, turnId: 't1' },
        { role: 'tool', text: '', at: 3, data: { calls: [{ name: 'x', input: { a: 1 } }] } },
      ]);
      const entries = await stores.transcripts.read('s');
      assert.deepEqual(
        entries.map((e) => e.text),
        ['one', 'two', ''],
      );
      assert.deepEqual(entries[2]?.data, { calls: [{ name: 'x', input: { a: 1 } }] });
      assert.equal(entries[0]?.senderId, 'u1');
    },
  },
  {
    name: 'reading with a limit returns the last entries, oldest first',
    store: 'transcripts',
    async run({ stores }) {
      for (let i = 0; i < 25; i++)
        await stores.transcripts.append('s', { role: 'user', text: `m${i}`, at: i });
      const last = await stores.transcripts.read('s', { limit: 3 });
      assert.deepEqual(
        last.map((e) => e.text),
        ['m22', 'm23', 'm24'],
      );
      assert.equal((await stores.transcripts.read('s', { limit: 100 })).length, 25);
    },
  },
  {
    name: 'transcripts of different sessions never mix',
    store: 'transcripts',
    async run({ stores }) {
      await stores.transcripts.append('a', { role: 'user', text: 'for a', at: 1 });
      await stores.transcripts.append('b', { role: 'user', text: 'for b', at: 2 });
      assert.deepEqual(
        (await stores.transcripts.read('a')).map((e) => e.text),
        ['for a'],
      );
      assert.deepEqual(
        (await stores.transcripts.read('b')).map((e) => e.text),
        ['for b'],
      );
      assert.deepEqual(await stores.transcripts.read('c'), []);
    },
  },
  {
    name: 'concurrent appends to one transcript all land, each batch contiguous',
    store: 'transcripts',
    async run({ stores }) {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores.transcripts.append('s', [
            { role: 'user', text: `q${i}`, at: i },
            { role: 'assistant', text: `a${i}`, at: i },
          ]),
        ),
      );
      const texts = (await stores.transcripts.read('s')).map((e) => e.text);
      assert.equal(texts.length, 80);
      for (let i = 0; i < 80; i += 2)
        assert.equal(texts[i + 1], `a${texts[i]!.slice(1)}`, 'a batch was split');
      assert.deepEqual(new Set(texts).size, 80);
    },
  },
  {
    name: 'deleting a transcript empties it',
    store: 'transcripts',
    async run({ stores }) {
      await stores.transcripts.append('s', { role: 'user', text: 'x', at: 1 });
      assert.equal(await stores.transcripts.delete('s'), true);
      assert.equal(await stores.transcripts.delete('s'), false);
      assert.deepEqual(await stores.transcripts.read('s'), []);
    },
  },
  {
    name: 'a malformed transcript entry is rejected and nothing of the batch is stored',
    store: 'transcripts',
    async run({ stores }) {
      await rejectsWithStoreError(
        stores.transcripts.append('s', [
          { role: 'user', text: 'fine', at: 1 },
          { role: 'robot' as never, text: 'bad', at: 2 },
        ]),
        'invalid_argument',
        'unknown role',
      );
      assert.deepEqual(await stores.transcripts.read('s'), []);
    },
  },
  // --- dedupe ----------------------------------------------------------------------------------
  {
    name: 'a claimed key cannot be claimed again within its TTL',
    store: 'dedupe',
    async run({ stores }) {
      assert.equal(await stores.dedupe.claim('test|default|m1', 1000, 10_000), true);
      assert.equal(await stores.dedupe.claim('test|default|m1', 1000, 10_500), false);
      assert.equal(
        await stores.dedupe.claim('test|default|m2', 1000, 10_500),
        true,
        'another key is independent',
      );
    },
  },
  {
    name: 'a claim can be made again once its TTL has passed',
    store: 'dedupe',
    async run({ stores }) {
      assert.equal(await stores.dedupe.claim('k', 1000, 10_000), true);
      assert.equal(await stores.dedupe.claim('k', 1000, 10_999), false);
      assert.equal(await stores.dedupe.claim('k', 1000, 11_000), true);
    },
  },
  {
    name: 'of many concurrent claims of one key exactly one wins',
    store: 'dedupe',
    async run({ stores }) {
      const results = await Promise.all(
        Array.from({ length: 25 }, () => stores.dedupe.claim('k', 60_000, 1)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    },
  },
  {
    name: 'a released claim can be claimed again at once',
    store: 'dedupe',
    async run({ stores }) {
      await stores.dedupe.claim('k', 60_000, 1);
      await stores.dedupe.release('k');
      assert.equal(await stores.dedupe.claim('k', 60_000, 2), true);
    },
  },
  {
    name: 'pruning removes expired claims only',
    store: 'dedupe',
    async run({ stores }) {
      await stores.dedupe.claim('old1', 100, 0);
      await stores.dedupe.claim('old2', 100, 0);
      await stores.dedupe.claim('live', 10_000, 0);
      assert.equal(await stores.dedupe.prune(500), 2);
      assert.equal(await stores.dedupe.claim('live', 10_000, 600), false, 'the live claim survived');
      assert.equal(await stores.dedupe.claim('old1', 100, 600), true);
    },
  },
  {
    name: 'a claim with a non-positive TTL is rejected',
    store: 'dedupe',
    async run({ stores }) {
      await rejectsWithStoreError(stores.dedupe.claim('k', 0, 1), 'invalid_argument', 'zero TTL');
      await rejectsWithStoreError(stores.dedupe.claim('', 10, 1), 'invalid_argument', 'empty key');
    },
  },
  // --- outbox ----------------------------------------------------------------------------------
  {
    name: 'a recorded part is pending until marked',
    store: 'outbox',
    async run({ stores }) {
      const record = await stores.outbox.record(part('t1:0', 100));
      assert.equal(record.status, 'pending');
      assert.equal(record.attempts, 0);
      assert.deepEqual(record.target, target('g1'));
      assert.deepEqual((await stores.outbox.get('t1:0'))?.message, { text: 'text of t1:0' });
      assert.deepEqual(
        (await stores.outbox.listPending()).map((r) => r.idempotencyKey),
        ['t1:0'],
      );
    },
  },
  {
    name: 'recording a key again keeps the first record',
    store: 'outbox',
    async run({ stores }) {
      await stores.outbox.record(part('t1:0', 100));
      await stores.outbox.markSent('t1:0', { platformMessageId: 'p1', at: 150, attempts: 1 });
      const again = await stores.outbox.record(part('t1:0', 999, { message: { text: 'changed' } }));
      assert.equal(again.status, 'sent');
      assert.equal(again.platformMessageId, 'p1');
      assert.deepEqual(again.message, { text: 'text of t1:0' });
    },
  },
  {
    name: 'a part marked sent keeps its platform id and leaves the pending list',
    store: 'outbox',
    async run({ stores }) {
      await stores.outbox.record(part('t1:0', 100));
      await stores.outbox.record(part('t1:1', 101));
      await stores.outbox.markSent('t1:0', { platformMessageId: 'p-1', at: 200, attempts: 2 });
      const sent = await stores.outbox.get('t1:0');
      assert.equal(sent?.status, 'sent');
      assert.equal(sent?.platformMessageId, 'p-1');
      assert.equal(sent?.attempts, 2);
      assert.equal(sent?.updatedAt, 200);
      assert.deepEqual(
        (await stores.outbox.listPending()).map((r) => r.idempotencyKey),
        ['t1:1'],
      );
    },
  },
  {
    name: 'a part marked failed keeps the reason and leaves the pending list',
    store: 'outbox',
    async run({ stores }) {
      await stores.outbox.record(part('t1:0', 100));
      await stores.outbox.markFailed('t1:0', { error: 'permanent: forbidden', at: 300, attempts: 1 });
      const failed = await stores.outbox.get('t1:0');
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.error, 'permanent: forbidden');
      assert.deepEqual(await stores.outbox.listPending(), []);
    },
  },
  {
    name: 'pending parts are listed oldest first, up to the limit',
    store: 'outbox',
    async run({ stores }) {
      await stores.outbox.record(part('c:0', 300));
      await stores.outbox.record(part('a:0', 100));
      await stores.outbox.record(part('b:0', 200));
      assert.deepEqual(
        (await stores.outbox.listPending()).map((r) => r.idempotencyKey),
        ['a:0', 'b:0', 'c:0'],
      );
      assert.deepEqual(
        (await stores.outbox.listPending({ limit: 2 })).map((r) => r.idempotencyKey),
        ['a:0', 'b:0'],
      );
    },
  },
  {
    name: 'marking a part that was never recorded is a not_found error',
    store: 'outbox',
    async run({ stores }) {
      await rejectsWithStoreError(
        stores.outbox.markSent('nope:0', { platformMessageId: 'p', at: 1, attempts: 1 }),
        'not_found',
        'markSent',
      );
      await rejectsWithStoreError(
        stores.outbox.markFailed('nope:0', { error: 'x', at: 1, attempts: 1 }),
        'not_found',
        'markFailed',
      );
    },
  },
  {
    name: 'pruning removes settled parts older than the cut-off and never pending ones',
    store: 'outbox',
    async run({ stores }) {
      await stores.outbox.record(part('old:0', 100));
      await stores.outbox.record(part('new:0', 100));
      await stores.outbox.record(part('waiting:0', 100));
      await stores.outbox.markSent('old:0', { platformMessageId: 'p', at: 1000, attempts: 1 });
      await stores.outbox.markFailed('new:0', { error: 'x', at: 5000, attempts: 1 });
      assert.equal(await stores.outbox.prune(2000), 1);
      assert.equal(await stores.outbox.get('old:0'), undefined);
      assert.equal((await stores.outbox.get('new:0'))?.status, 'failed');
      assert.equal((await stores.outbox.get('waiting:0'))?.status, 'pending');
    },
  },
  {
    name: 'a malformed outbox part is rejected',
    store: 'outbox',
    async run({ stores }) {
      await rejectsWithStoreError(stores.outbox.record(part('', 1)), 'invalid_argument', 'empty key');
      await rejectsWithStoreError(
        stores.outbox.record({ ...part('k:0', 1), target: { channel: 'test' } as never }),
        'invalid_argument',
        'bad target',
      );
    },
  },
  // --- bindings --------------------------------------------------------------------------------
  {
    name: 'a binding reads back as stored and put replaces it',
    store: 'bindings',
    async run({ stores }) {
      await stores.bindings.put(binding('b1', { label: 'focus', meta: { by: 'cmd' } }));
      assert.deepEqual(
        await stores.bindings.get('b1'),
        binding('b1', { label: 'focus', meta: { by: 'cmd' } }),
      );
      await stores.bindings.put(binding('b1', { targetSessionKey: 'agent:other:main', agentId: 'other' }));
      assert.equal((await stores.bindings.get('b1'))?.agentId, 'other');
      assert.equal((await stores.bindings.get('b1'))?.label, undefined);
    },
  },
  {
    name: 'bindings are listed by target session, channel and account',
    store: 'bindings',
    async run({ stores }) {
      await stores.bindings.put(binding('b1'));
      await stores.bindings.put(binding('b2', { targetSessionKey: 'agent:x:main', agentId: 'x' }));
      await stores.bindings.put(binding('b3', { channel: 'other', accountId: 'acct2' }));
      const ids = async (filter?: Parameters<ClawStores['bindings']['list']>[0]) =>
        (await stores.bindings.list(filter)).map((b) => b.bindingId).sort();
      assert.deepEqual(await ids(), ['b1', 'b2', 'b3']);
      assert.deepEqual(await ids({ targetSessionKey: 'agent:x:main' }), ['b2']);
      assert.deepEqual(await ids({ channel: 'test' }), ['b1', 'b2']);
      assert.deepEqual(await ids({ channel: 'other', accountId: 'acct2' }), ['b3']);
      assert.deepEqual(await ids({ accountId: 'nobody' }), []);
    },
  },
  {
    name: 'deleting a binding reports whether it existed',
    store: 'bindings',
    async run({ stores }) {
      await stores.bindings.put(binding('b1'));
      assert.equal(await stores.bindings.delete('b1'), true);
      assert.equal(await stores.bindings.delete('b1'), false);
      assert.equal(await stores.bindings.get('b1'), undefined);
    },
  },
  {
    name: 'a malformed binding is rejected',
    store: 'bindings',
    async run({ stores }) {
      await rejectsWithStoreError(
        stores.bindings.put(binding('b1', { kind: 'forever' as never })),
        'invalid_argument',
        'kind',
      );
      await rejectsWithStoreError(
        stores.bindings.put(binding('b1', { idleTtlMs: -1 })),
        'invalid_argument',
        'negative TTL',
      );
    },
  },
  // --- runs ------------------------------------------------------------------------------------
  {
    name: 'a run record reads back as stored and put replaces it',
    store: 'runs',
    async run({ stores }) {
      await stores.runs.put(run('r1', { label: 'report', retryOnRestart: true }));
      assert.deepEqual(await stores.runs.get('r1'), run('r1', { label: 'report', retryOnRestart: true }));
      await stores.runs.put(run('r1', { status: 'succeeded', result: 'done', endedAt: 5000 }));
      const updated = await stores.runs.get('r1');
      assert.equal(updated?.status, 'succeeded');
      assert.equal(updated?.result, 'done');
      assert.equal(updated?.label, undefined);
    },
  },
  {
    name: 'runs are listed by status, parent and announcement, oldest first',
    store: 'runs',
    async run({ stores }) {
      await stores.runs.put(run('r3', { createdAt: 3000, status: 'succeeded', announced: true }));
      await stores.runs.put(run('r1', { createdAt: 1000, status: 'running' }));
      await stores.runs.put(
        run('r2', { createdAt: 2000, status: 'succeeded', parentSessionKey: 'agent:main:other' }),
      );
      const ids = async (filter?: Parameters<ClawStores['runs']['list']>[0]) =>
        (await stores.runs.list(filter)).map((r) => r.runId);
      assert.deepEqual(await ids(), ['r1', 'r2', 'r3']);
      assert.deepEqual(await ids({ status: 'succeeded' }), ['r2', 'r3']);
      assert.deepEqual(await ids({ status: ['running', 'succeeded'], announced: false }), ['r1', 'r2']);
      assert.deepEqual(await ids({ parentSessionKey: 'agent:main:other' }), ['r2']);
    },
  },
  {
    name: 'deleting a run reports whether it existed',
    store: 'runs',
    async run({ stores }) {
      await stores.runs.put(run('r1'));
      assert.equal(await stores.runs.delete('r1'), true);
      assert.equal(await stores.runs.delete('r1'), false);
      assert.equal(await stores.runs.get('r1'), undefined);
    },
  },
  {
    name: 'a malformed run record is rejected',
    store: 'runs',
    async run({ stores }) {
      await rejectsWithStoreError(
        stores.runs.put(run('r1', { status: 'done' as never })),
        'invalid_argument',
        'status',
      );
      await rejectsWithStoreError(
        stores.runs.list({ status: 'nope' as never }),
        'invalid_argument',
        'filter status',
      );
    },
  },
  // --- pairing ---------------------------------------------------------------------------------
  {
    name: 'pending pairing requests are kept per channel',
    store: 'pairing',
    async run({ stores }) {
      const request = {
        senderId: 'u1',
        accountId: 'default',
        code: 'ABCD2345',
        createdAt: 1000,
        lastSeenAt: 1000,
      };
      assert.deepEqual(await stores.pairing.getPending('telegram'), []);
      await stores.pairing.putPending('telegram', [
        request,
        { ...request, senderId: 'u2', code: 'WXYZ6789', meta: { name: 'Bo' } },
      ]);
      const pending = await stores.pairing.getPending('telegram');
      assert.deepEqual(
        pending.map((r) => r.senderId),
        ['u1', 'u2'],
      );
      assert.deepEqual(pending[1]?.meta, { name: 'Bo' });
      assert.deepEqual(await stores.pairing.getPending('discord'), []);
      await stores.pairing.putPending('telegram', []);
      assert.deepEqual(await stores.pairing.getPending('telegram'), []);
    },
  },
  {
    name: 'approved senders are kept per channel account, without duplicates',
    store: 'pairing',
    async run({ stores }) {
      await stores.pairing.addApproved('telegram', 'default', 'u1');
      await stores.pairing.addApproved('telegram', 'default', 'u1');
      await stores.pairing.addApproved('telegram', 'default', 'u2');
      await stores.pairing.addApproved('telegram', 'work', 'u3');
      assert.deepEqual([...(await stores.pairing.listApproved('telegram', 'default'))].sort(), ['u1', 'u2']);
      assert.deepEqual(await stores.pairing.listApproved('telegram', 'work'), ['u3']);
      assert.deepEqual(await stores.pairing.listApproved('discord', 'default'), []);
    },
  },
  {
    name: 'concurrent approvals on one account are all kept',
    store: 'pairing',
    async run({ stores }) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => stores.pairing.addApproved('telegram', 'default', `u${i}`)),
      );
      assert.equal((await stores.pairing.listApproved('telegram', 'default')).length, 20);
    },
  },
  {
    name: 'the owner, when the store keeps one, reads back',
    store: 'pairing',
    async run({ stores }) {
      if (stores.pairing.getOwner === undefined || stores.pairing.setOwner === undefined) return;
      assert.equal(await stores.pairing.getOwner(), undefined);
      await stores.pairing.setOwner('telegram:u1');
      assert.equal(await stores.pairing.getOwner(), 'telegram:u1');
    },
  },
  // --- durability ------------------------------------------------------------------------------
  {
    name: 'everything survives a restart',
    store: 'all',
    durable: true,
    async run({ stores, reopen }) {
      await stores.sessions.update('s', { queueMode: 'collect' }, 1000);
      await stores.transcripts.append('s', [
        { role: 'user', text: 'hi', at: 1 },
        { role: 'assistant', text: 'hello', at: 2 },
      ]);
      await stores.dedupe.claim('k', 60_000, 1000);
      await stores.outbox.record(part('t1:0', 100));
      await stores.outbox.record(part('t1:1', 101));
      await stores.outbox.markSent('t1:0', { platformMessageId: 'p', at: 200, attempts: 1 });
      await stores.bindings.put(binding('b1'));
      await stores.runs.put(run('r1', { status: 'succeeded', result: 'ok' }));
      await stores.pairing.addApproved('test', 'default', 'u1');
      const after = await reopen!();
      assert.equal((await after.sessions.get('s'))?.queueMode, 'collect');
      assert.deepEqual(
        (await after.transcripts.read('s')).map((e) => e.text),
        ['hi', 'hello'],
      );
      assert.equal(await after.dedupe.claim('k', 60_000, 2000), false);
      assert.equal((await after.outbox.get('t1:0'))?.status, 'sent');
      assert.deepEqual(
        (await after.outbox.listPending()).map((r) => r.idempotencyKey),
        ['t1:1'],
      );
      assert.deepEqual(await after.bindings.get('b1'), binding('b1'));
      assert.equal((await after.runs.get('r1'))?.result, 'ok');
      assert.deepEqual(await after.pairing.listApproved('test', 'default'), ['u1']);
    },
  },
];

/**
 * The shared store test suite: run it against your own stores to check they behave like the
 * built-in ones (the core runs it against `createMemoryStores` and `createFileStores`).
 * Uses vitest's `describe`/`it`; call it at the top level of a test file.
 *
 * @param makeStores builds fresh, empty stores for each check.
 *
 * @example
 * import { storeConformance } from '@claw/core/testing';
 * storeConformance(() => createMyStores(), { reopen: (s) => createMyStores(s.url) });
 */
export function storeConformance(
  makeStores: () => ClawStores | Promise<ClawStores>,
  options: StoreConformanceOptions = {},
): void {
  if (typeof makeStores !== 'function')
    throw new TypeError('storeConformance: makeStores must be a function.');
  describe(options.name ?? 'ClawStores conformance', () => {
    for (const check of storeConformanceChecks) {
      const skipped =
        options.skip?.includes(check.name) === true ||
        (check.durable === true && options.reopen === undefined);
      (skipped ? it.skip : it)(`${check.store}: ${check.name}`, async () => {
        const stores = await makeStores();
        try {
          const reopen = options.reopen;
          await check.run({ stores, reopen: reopen === undefined ? undefined : async () => reopen(stores) });
        } finally {
          await options.cleanup?.(stores);
        }
      });
    }
  });
}
