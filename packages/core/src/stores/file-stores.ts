import { join, resolve } from 'node:path';
import {
  appendLines,
  asStoreError,
  corrupt,
  createKeyedLock,
  type FileIoOptions,
  fileNameOf,
  readLastLines,
  readTextFile,
  removeFile,
} from './file-io.js';
import { createFilePairingStore } from './file-pairing-store.js';
import { checkClaim, checkTranscriptEntries } from './memory-stores.js';
import { createRecordDir } from './record-dir.js';
import {
  bindingMatches,
  byCreatedAt,
  checkBinding,
  checkBindingFilter,
  checkOutboxPart,
  checkOutboxUpdate,
  checkRun,
  checkRunFilter,
  checkSessionPatch,
  markedFailed,
  markedSent,
  newOutboxRecord,
  newSession,
  patchSession,
  runMatches,
  touchSession,
} from './record-logic.js';
import { StoreError } from './store-error.js';
import type {
  BindingStore,
  ClawStores,
  ConversationBinding,
  DedupeStore,
  OutboxRecord,
  OutboxStore,
  RunRecord,
  RunStore,
  SessionEntry,
  SessionStore,
  TranscriptEntry,
  TranscriptStore,
} from './types.js';
import {
  bindingProblem,
  type CheckContext,
  describe,
  invalidArgument,
  outboxRecordProblem,
  requireKey,
  requirePositiveInteger,
  requireTime,
  runProblem,
  sessionEntryProblem,
  transcriptEntryProblem,
} from './validate.js';

/** Options of {@link createFileStores}. */
export interface FileStoresOptions {
  /**
   * Directory holding the stores (created when missing). One `createFileStores` instance per
   * directory: writes are serialised inside the instance, not across processes.
   */
  readonly dir: string;
  /**
   * Flush file contents to disk before each rename and after each append, so data survives a
   * power loss, not just a process crash. Default `true`; `false` is faster (tests, benchmarks).
   */
  readonly fsync?: boolean;
}

/** The sub-directories of a file-store directory, by store. */
export const fileStoreLayout = Object.freeze({
  sessions: 'sessions',
  transcripts: 'transcripts',
  dedupe: 'dedupe',
  outboxPending: join('outbox', 'pending'),
  outboxDone: join('outbox', 'done'),
  pairing: 'pairing',
  bindings: 'bindings',
  runs: 'runs',
});

type Lock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

const ctx = (store: string, operation: string): CheckContext => ({ store, operation });

/** Run `fn`, turning file-system failures into `io` store errors. */
async function guarded<T>(c: CheckContext, key: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asStoreError(error, c, key);
  }
}

function fileSessionStore(dir: string, io: FileIoOptions, lock: Lock): SessionStore {
  const records = createRecordDir<SessionEntry>({
    dir,
    io,
    keyOf: (e) => e.sessionKey,
    problem: sessionEntryProblem,
  });
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`sessions:${key}`, fn);
  return {
    async get(sessionKey) {
      const c = ctx('sessions', 'get');
      requireKey(c, 'sessionKey', sessionKey);
      return guarded(c, sessionKey, () => records.read(c, sessionKey));
    },
    async touch(sessionKey, at) {
      const c = ctx('sessions', 'touch');
      requireKey(c, 'sessionKey', sessionKey);
      requireTime(c, 'at', at);
      return guarded(c, sessionKey, () =>
        locked(sessionKey, async () => {
          const existing = await records.read(c, sessionKey);
          const next = existing === undefined ? newSession(sessionKey, at) : touchSession(existing, at);
          if (next !== existing) await records.write(sessionKey, next);
          return next;
        }),
      );
    },
    async update(sessionKey, patch, at) {
      const c = ctx('sessions', 'update');
      requireKey(c, 'sessionKey', sessionKey);
      requireTime(c, 'at', at);
      checkSessionPatch(c, patch);
      return guarded(c, sessionKey, () =>
        locked(sessionKey, async () => {
          const existing = (await records.read(c, sessionKey)) ?? newSession(sessionKey, at);
          const next = patchSession(existing, patch);
          await records.write(sessionKey, next);
          return next;
        }),
      );
    },
    async delete(sessionKey) {
      const c = ctx('sessions', 'delete');
      requireKey(c, 'sessionKey', sessionKey);
      return guarded(c, sessionKey, () => locked(sessionKey, () => records.remove(sessionKey)));
    },
    async list(options = {}) {
      const c = ctx('sessions', 'list');
      const before = options.lastActivityBefore;
      if (before !== undefined) requireTime(c, 'options.lastActivityBefore', before);
      const all = await guarded(c, undefined, () => records.readAll(c));
      return before === undefined ? all : all.filter((e) => e.lastActivityAt < before);
    },
  };
}

function fileTranscriptStore(dir: string, io: FileIoOptions, lock: Lock): TranscriptStore {
  const fileOf = (sessionKey: string): string => fileNameOf(sessionKey, '.jsonl');
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`transcripts:${key}`, fn);

  // A line that is not JSON was torn by a crash mid-append: skip it. A line that is JSON but not
  // an entry was written by something else: that is damage worth reporting.
  const parseLines = (c: CheckContext, sessionKey: string, lines: readonly string[]): TranscriptEntry[] => {
    const entries: TranscriptEntry[] = [];
    for (const line of lines) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const problem = transcriptEntryProblem(value);
      if (problem !== undefined) throw corrupt(c, join(dir, fileOf(sessionKey)), problem, sessionKey);
      entries.push(value as TranscriptEntry);
    }
    return entries;
  };

  return {
    async append(sessionKey, entries) {
      const c = ctx('transcripts', 'append');
      requireKey(c, 'sessionKey', sessionKey);
      const list = checkTranscriptEntries(c, entries);
      if (list.length === 0) return;
      let text = '';
      for (const entry of list) {
        try {
          text += `${JSON.stringify(entry)}\n`;
        } catch (error) {
          throw invalidArgument(
            c,
            `an entry is not JSON-serializable (${(error as Error).message}).`,
            sessionKey,
          );
        }
      }
      await guarded(c, sessionKey, () =>
        locked(sessionKey, () => appendLines(dir, fileOf(sessionKey), text, io)),
      );
    },
    async read(sessionKey, options = {}) {
      const c = ctx('transcripts', 'read');
      requireKey(c, 'sessionKey', sessionKey);
      const limit = options.limit;
      if (limit !== undefined) requirePositiveInteger(c, 'options.limit', limit);
      return guarded(c, sessionKey, async () => {
        if (limit === undefined) {
          const text = await readTextFile(dir, fileOf(sessionKey));
          return text === undefined
            ? []
            : parseLines(
                c,
                sessionKey,
                text.split('\n').filter((l) => l.length > 0),
              );
        }
        const lines = await readLastLines(
          dir,
          fileOf(sessionKey),
          (ls) => parseLines(c, sessionKey, ls).length >= limit,
        );
        const entries = parseLines(c, sessionKey, lines);
        return entries.slice(Math.max(0, entries.length - limit));
      });
    },
    async delete(sessionKey) {
      const c = ctx('transcripts', 'delete');
      requireKey(c, 'sessionKey', sessionKey);
      return guarded(c, sessionKey, () => locked(sessionKey, () => removeFile(dir, fileOf(sessionKey))));
    },
  };
}

interface DedupeClaim {
  readonly key: string;
  readonly expiresAt: number;
}

function fileDedupeStore(dir: string, io: FileIoOptions, lock: Lock): DedupeStore {
  const records = createRecordDir<DedupeClaim>({
    dir,
    io,
    keyOf: (r) => r.key,
    problem: (v) => {
      const r = v as Partial<DedupeClaim> | null;
      return typeof r === 'object' &&
        r !== null &&
        typeof r.key === 'string' &&
        typeof r.expiresAt === 'number'
        ? undefined
        : `expected { key, expiresAt }, got ${describe(v)}`;
    },
  });
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`dedupe:${key}`, fn);
  return {
    async claim(key, ttlMs, now) {
      const c = ctx('dedupe', 'claim');
      checkClaim(c, key, ttlMs, now);
      // Check-and-set under the key's lock: concurrent claims in this process cannot both win.
      return guarded(c, key, () =>
        locked(key, async () => {
          const existing = await records.read(c, key);
          if (existing !== undefined && existing.expiresAt > now) return false;
          await records.write(key, { key, expiresAt: now + ttlMs });
          return true;
        }),
      );
    },
    async release(key) {
      const c = ctx('dedupe', 'release');
      requireKey(c, 'key', key);
      await guarded(c, key, () => locked(key, () => records.remove(key)));
    },
    async prune(now) {
      const c = ctx('dedupe', 'prune');
      requireTime(c, 'now', now);
      return guarded(c, undefined, async () => {
        let removed = 0;
        for (const claim of await records.readAll(c)) {
          const gone = await locked(claim.key, async () => {
            const current = await records.read(c, claim.key);
            return current !== undefined && current.expiresAt <= now ? records.remove(claim.key) : false;
          });
          if (gone) removed++;
        }
        return removed;
      });
    },
  };
}

// Pending parts live in `outbox/pending`, settled ones in `outbox/done`: a restart lists only
// what is pending, however long the history. Settling writes the `done` record first and then
// removes the `pending` one, so a crash in between leaves both, and `done` wins on read.
function fileOutboxStore(pendingDir: string, doneDir: string, io: FileIoOptions, lock: Lock): OutboxStore {
  const options = { io, keyOf: (r: OutboxRecord) => r.idempotencyKey, problem: outboxRecordProblem };
  const pending = createRecordDir<OutboxRecord>({ ...options, dir: pendingDir });
  const done = createRecordDir<OutboxRecord>({ ...options, dir: doneDir });
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`outbox:${key}`, fn);
  const read = async (c: CheckContext, key: string): Promise<OutboxRecord | undefined> =>
    (await done.read(c, key)) ?? (await pending.read(c, key));

  const mark = async (operation: 'markSent' | 'markFailed', key: string, update: unknown): Promise<void> => {
    const c = ctx('outbox', operation);
    requireKey(c, 'idempotencyKey', key);
    const u = checkOutboxUpdate(c, update, operation === 'markSent' ? 'platformMessageId' : 'error');
    await guarded(c, key, () =>
      locked(key, async () => {
        const record = await read(c, key);
        if (record === undefined) {
          throw new StoreError(
            `no part was recorded with idempotency key ${JSON.stringify(key)}; call record() first.`,
            {
              code: 'not_found',
              store: 'outbox',
              operation,
              key,
            },
          );
        }
        await done.write(key, operation === 'markSent' ? markedSent(record, u) : markedFailed(record, u));
        await pending.remove(key);
      }),
    );
  };

  return {
    async record(part) {
      const c = ctx('outbox', 'record');
      checkOutboxPart(c, part);
      const key = part.idempotencyKey;
      return guarded(c, key, () =>
        locked(key, async () => {
          const existing = await read(c, key);
          if (existing !== undefined) return existing;
          const record = newOutboxRecord(part);
          // Round-trip through JSON so the caller gets exactly what a later read returns.
          const stored = JSON.parse(JSON.stringify(record)) as OutboxRecord;
          await pending.write(key, stored);
          return stored;
        }),
      );
    },
    async get(key) {
      const c = ctx('outbox', 'get');
      requireKey(c, 'idempotencyKey', key);
      return guarded(c, key, () => read(c, key));
    },
    markSent: (key, update) => mark('markSent', key, update),
    markFailed: (key, update) => mark('markFailed', key, update),
    async listPending(opts = {}) {
      const c = ctx('outbox', 'listPending');
      if (opts.limit !== undefined) requirePositiveInteger(c, 'options.limit', opts.limit);
      return guarded(c, undefined, async () => {
        const list: OutboxRecord[] = [];
        for (const record of await pending.readAll(c)) {
          // A `done` twin means a crash interrupted settling: finish it instead of listing it.
          const key = record.idempotencyKey;
          const settled = await locked(key, async () => {
            if ((await done.read(c, key)) === undefined) return false;
            await pending.remove(key);
            return true;
          });
          if (!settled) list.push(record);
        }
        list.sort(byCreatedAt((r) => r.idempotencyKey));
        return opts.limit === undefined ? list : list.slice(0, opts.limit);
      });
    },
    async prune(before) {
      const c = ctx('outbox', 'prune');
      requireTime(c, 'before', before);
      return guarded(c, undefined, async () => {
        let removed = 0;
        for (const record of await done.readAll(c)) {
          if (record.updatedAt >= before) continue;
          const gone = await locked(record.idempotencyKey, async () => {
            await pending.remove(record.idempotencyKey);
            return done.remove(record.idempotencyKey);
          });
          if (gone) removed++;
        }
        return removed;
      });
    },
  };
}

function fileBindingStore(dir: string, io: FileIoOptions, lock: Lock): BindingStore {
  const records = createRecordDir<ConversationBinding>({
    dir,
    io,
    keyOf: (b) => b.bindingId,
    problem: bindingProblem,
  });
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`bindings:${key}`, fn);
  return {
    async get(bindingId) {
      const c = ctx('bindings', 'get');
      requireKey(c, 'bindingId', bindingId);
      return guarded(c, bindingId, () => records.read(c, bindingId));
    },
    async put(binding) {
      const c = ctx('bindings', 'put');
      checkBinding(c, binding);
      await guarded(c, binding.bindingId, () =>
        locked(binding.bindingId, () => records.write(binding.bindingId, binding)),
      );
    },
    async delete(bindingId) {
      const c = ctx('bindings', 'delete');
      requireKey(c, 'bindingId', bindingId);
      return guarded(c, bindingId, () => locked(bindingId, () => records.remove(bindingId)));
    },
    async list(filter) {
      const c = ctx('bindings', 'list');
      const f = checkBindingFilter(c, filter);
      return (await guarded(c, undefined, () => records.readAll(c))).filter((b) => bindingMatches(b, f));
    },
  };
}

function fileRunStore(dir: string, io: FileIoOptions, lock: Lock): RunStore {
  const records = createRecordDir<RunRecord>({ dir, io, keyOf: (r) => r.runId, problem: runProblem });
  const locked = <T>(key: string, fn: () => Promise<T>): Promise<T> => lock(`runs:${key}`, fn);
  return {
    async put(run) {
      const c = ctx('runs', 'put');
      checkRun(c, run);
      await guarded(c, run.runId, () => locked(run.runId, () => records.write(run.runId, run)));
    },
    async get(runId) {
      const c = ctx('runs', 'get');
      requireKey(c, 'runId', runId);
      return guarded(c, runId, () => records.read(c, runId));
    },
    async list(filter) {
      const c = ctx('runs', 'list');
      const f = checkRunFilter(c, filter);
      const all = await guarded(c, undefined, () => records.readAll(c));
      return all.filter((r) => runMatches(r, f)).sort(byCreatedAt((r) => r.runId));
    },
    async delete(runId) {
      const c = ctx('runs', 'delete');
      requireKey(c, 'runId', runId);
      return guarded(c, runId, () => locked(runId, () => records.remove(runId)));
    },
  };
}

/**
 * Every store as JSON / JSONL files under `dir`: the embedded durable default.
 *
 * - One JSON document per record (`<sha256(key)>.json`), replaced atomically (temp file + rename):
 *   a crash mid-write leaves the previous version intact.
 * - Transcripts are append-only JSONL (one file per session); a line torn by a crash is skipped
 *   on read and never damages earlier lines or later appends.
 * - Writes to one record are serialised, so concurrent turns in one process are safe.
 * - Nothing is cached in memory: every read goes to disk, whatever the number of sessions.
 *
 * Maintenance is the caller's: `dedupe.prune(now)` and `outbox.prune(before)` now and then.
 */
export function createFileStores(options: FileStoresOptions): ClawStores {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument(
      ctx('fileStores', 'create'),
      `options must be an object with a dir, got ${describe(options)}.`,
    );
  }
  const c = ctx('fileStores', 'create');
  requireKey(c, 'options.dir', options.dir);
  if (options.fsync !== undefined && typeof options.fsync !== 'boolean') {
    throw invalidArgument(c, `options.fsync must be a boolean when given, got ${describe(options.fsync)}.`);
  }
  const root = resolve(options.dir);
  const io: FileIoOptions = { fsync: options.fsync ?? true };
  const lock = createKeyedLock();
  const at = (sub: string): string => join(root, sub);
  return {
    sessions: fileSessionStore(at(fileStoreLayout.sessions), io, lock),
    transcripts: fileTranscriptStore(at(fileStoreLayout.transcripts), io, lock),
    dedupe: fileDedupeStore(at(fileStoreLayout.dedupe), io, lock),
    outbox: fileOutboxStore(at(fileStoreLayout.outboxPending), at(fileStoreLayout.outboxDone), io, lock),
    pairing: createFilePairingStore({ dir: at(fileStoreLayout.pairing), fsync: io.fsync }),
    bindings: fileBindingStore(at(fileStoreLayout.bindings), io, lock),
    runs: fileRunStore(at(fileStoreLayout.runs), io, lock),
  };
}
