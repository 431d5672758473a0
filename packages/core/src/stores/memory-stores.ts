import { createMemoryPairingStore } from '../pairing/index.js';
import { createScopeCounts, registerBindingScopes } from './binding-scopes.js';
import { deepFreeze, frozenCopy } from './copy.js';
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
  type CheckContext,
  invalidArgument,
  requireKey,
  requirePositiveInteger,
  requireTime,
  requireValid,
  transcriptEntryProblem,
} from './validate.js';

// Every method is `async` so that argument errors surface as rejections, like any other store.

const contexts = new Map<string, Map<string, CheckContext>>();

/**
 * The (shared, frozen) context of one store operation: made once per operation rather than once
 * per call, since the stores sit on the gateway's hot path and the context is only read to word
 * an error.
 */
function ctx(store: string, operation: string): CheckContext {
  let byOperation = contexts.get(store);
  if (byOperation === undefined) {
    byOperation = new Map();
    contexts.set(store, byOperation);
  }
  let context = byOperation.get(operation);
  if (context === undefined) {
    context = Object.freeze({ store, operation });
    byOperation.set(operation, context);
  }
  return context;
}

/** An in-memory {@link SessionStore}. Records are frozen copies: mutating them throws. */
export function createMemorySessionStore(): SessionStore {
  const entries = new Map<string, SessionEntry>();
  return {
    async get(sessionKey) {
      requireKey(ctx('sessions', 'get'), 'sessionKey', sessionKey);
      return entries.get(sessionKey);
    },
    async touch(sessionKey, at) {
      const c = ctx('sessions', 'touch');
      requireKey(c, 'sessionKey', sessionKey);
      requireTime(c, 'at', at);
      const existing = entries.get(sessionKey);
      const next = existing === undefined ? newSession(sessionKey, at) : touchSession(existing, at);
      if (next !== existing) entries.set(sessionKey, deepFreeze(next));
      return next;
    },
    async update(sessionKey, patch, at) {
      const c = ctx('sessions', 'update');
      requireKey(c, 'sessionKey', sessionKey);
      requireTime(c, 'at', at);
      checkSessionPatch(c, patch);
      const next = frozenCopy(c, patchSession(entries.get(sessionKey) ?? newSession(sessionKey, at), patch));
      entries.set(sessionKey, next);
      return next;
    },
    async delete(sessionKey) {
      requireKey(ctx('sessions', 'delete'), 'sessionKey', sessionKey);
      return entries.delete(sessionKey);
    },
    async list(options = {}) {
      const c = ctx('sessions', 'list');
      const before = options.lastActivityBefore;
      if (before !== undefined) requireTime(c, 'options.lastActivityBefore', before);
      const all = [...entries.values()];
      return before === undefined ? all : all.filter((e) => e.lastActivityAt < before);
    },
  };
}

/** Validate `append`'s entries and return them as an array. */
export function checkTranscriptEntries(
  c: CheckContext,
  entries: TranscriptEntry | readonly TranscriptEntry[],
): readonly TranscriptEntry[] {
  const list = Array.isArray(entries)
    ? (entries as readonly TranscriptEntry[])
    : [entries as TranscriptEntry];
  list.forEach((entry, i) => {
    requireValid(
      c,
      list.length === 1 && !Array.isArray(entries) ? 'entry' : `entries[${i}]`,
      transcriptEntryProblem(entry),
    );
  });
  return list;
}

/** An in-memory {@link TranscriptStore}. */
export function createMemoryTranscriptStore(): TranscriptStore {
  const transcripts = new Map<string, TranscriptEntry[]>();
  return {
    async append(sessionKey, entries) {
      const c = ctx('transcripts', 'append');
      requireKey(c, 'sessionKey', sessionKey);
      const copies = checkTranscriptEntries(c, entries).map((e) => frozenCopy(c, e));
      if (copies.length === 0) return;
      const list = transcripts.get(sessionKey);
      if (list === undefined) transcripts.set(sessionKey, copies);
      else for (const entry of copies) list.push(entry);
    },
    async read(sessionKey, options = {}) {
      const c = ctx('transcripts', 'read');
      requireKey(c, 'sessionKey', sessionKey);
      if (options.limit !== undefined) requirePositiveInteger(c, 'options.limit', options.limit);
      const list = transcripts.get(sessionKey) ?? [];
      return options.limit === undefined ? [...list] : list.slice(Math.max(0, list.length - options.limit));
    },
    async delete(sessionKey) {
      requireKey(ctx('transcripts', 'delete'), 'sessionKey', sessionKey);
      return transcripts.delete(sessionKey);
    },
  };
}

/** Validate `claim`'s arguments. */
export function checkClaim(c: CheckContext, key: unknown, ttlMs: unknown, now: unknown): void {
  requireKey(c, 'key', key);
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalidArgument(c, `ttlMs must be a finite number > 0, got ${String(ttlMs)}.`);
  }
  requireTime(c, 'now', now);
}

/**
 * An in-memory {@link DedupeStore}. Claims are checked and set in one synchronous step, so
 * concurrent claims of one key can never both win. Expired claims are swept whenever the map has
 * doubled since the last sweep, so memory stays proportional to the live claims.
 */
export function createMemoryDedupeStore(): DedupeStore {
  const claims = new Map<string, number>();
  let sweepAt = 1024;
  const sweep = (now: number): number => {
    let removed = 0;
    for (const [key, expiresAt] of claims) {
      if (expiresAt <= now) {
        claims.delete(key);
        removed++;
      }
    }
    sweepAt = Math.max(1024, claims.size * 2);
    return removed;
  };
  return {
    async claim(key, ttlMs, now) {
      checkClaim(ctx('dedupe', 'claim'), key, ttlMs, now);
      const expiresAt = claims.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      claims.set(key, now + ttlMs);
      if (claims.size >= sweepAt) sweep(now);
      return true;
    },
    async release(key) {
      requireKey(ctx('dedupe', 'release'), 'key', key);
      claims.delete(key);
    },
    async prune(now) {
      requireTime(ctx('dedupe', 'prune'), 'now', now);
      return sweep(now);
    },
  };
}

const notFound = (operation: string, key: string): StoreError =>
  new StoreError(`no part was recorded with idempotency key ${JSON.stringify(key)}; call record() first.`, {
    code: 'not_found',
    store: 'outbox',
    operation,
    key,
  });

/** An in-memory {@link OutboxStore}. */
export function createMemoryOutboxStore(): OutboxStore {
  const records = new Map<string, OutboxRecord>();
  const pending = new Set<string>();
  const mark = (operation: 'markSent' | 'markFailed', key: string, update: unknown): void => {
    const c = ctx('outbox', operation);
    requireKey(c, 'idempotencyKey', key);
    const u = checkOutboxUpdate(c, update, operation === 'markSent' ? 'platformMessageId' : 'error');
    const record = records.get(key);
    if (record === undefined) throw notFound(operation, key);
    records.set(key, deepFreeze(operation === 'markSent' ? markedSent(record, u) : markedFailed(record, u)));
    pending.delete(key);
  };
  return {
    async record(part) {
      const c = ctx('outbox', 'record');
      checkOutboxPart(c, part);
      const existing = records.get(part.idempotencyKey);
      if (existing !== undefined) return existing;
      const record = frozenCopy(c, newOutboxRecord(part));
      records.set(record.idempotencyKey, record);
      pending.add(record.idempotencyKey);
      return record;
    },
    async get(key) {
      requireKey(ctx('outbox', 'get'), 'idempotencyKey', key);
      return records.get(key);
    },
    async markSent(key, update) {
      mark('markSent', key, update);
    },
    async markFailed(key, update) {
      mark('markFailed', key, update);
    },
    async listPending(options = {}) {
      if (options.limit !== undefined)
        requirePositiveInteger(ctx('outbox', 'listPending'), 'options.limit', options.limit);
      const list = [...pending].map((key) => records.get(key)!).sort(byCreatedAt((r) => r.idempotencyKey));
      return options.limit === undefined ? list : list.slice(0, options.limit);
    },
    async prune(before) {
      requireTime(ctx('outbox', 'prune'), 'before', before);
      let removed = 0;
      for (const [key, record] of records) {
        if (record.status !== 'pending' && record.updatedAt < before) {
          records.delete(key);
          removed++;
        }
      }
      return removed;
    },
  };
}

/** An in-memory {@link BindingStore}. */
export function createMemoryBindingStore(): BindingStore {
  const bindings = new Map<string, ConversationBinding>();
  // Which scopes hold a binding, so the bindings service can answer "none here" without a lookup.
  const scopes = createScopeCounts();
  const store: BindingStore = {
    async get(bindingId) {
      requireKey(ctx('bindings', 'get'), 'bindingId', bindingId);
      return bindings.get(bindingId);
    },
    async put(binding) {
      const c = ctx('bindings', 'put');
      checkBinding(c, binding);
      const copy = frozenCopy(c, binding);
      if (!bindings.has(copy.bindingId)) scopes.add(copy.bindingId);
      bindings.set(copy.bindingId, copy);
    },
    async delete(bindingId) {
      requireKey(ctx('bindings', 'delete'), 'bindingId', bindingId);
      if (!bindings.delete(bindingId)) return false;
      scopes.remove(bindingId);
      return true;
    },
    async list(filter) {
      const f = checkBindingFilter(ctx('bindings', 'list'), filter);
      return [...bindings.values()].filter((b) => bindingMatches(b, f));
    },
  };
  registerBindingScopes(store, scopes.has);
  return store;
}

/** An in-memory {@link RunStore}. */
export function createMemoryRunStore(): RunStore {
  const runs = new Map<string, RunRecord>();
  return {
    async put(run) {
      const c = ctx('runs', 'put');
      checkRun(c, run);
      runs.set(run.runId, frozenCopy(c, run));
    },
    async get(runId) {
      requireKey(ctx('runs', 'get'), 'runId', runId);
      return runs.get(runId);
    },
    async list(filter) {
      const f = checkRunFilter(ctx('runs', 'list'), filter);
      return [...runs.values()].filter((r) => runMatches(r, f)).sort(byCreatedAt((r) => r.runId));
    },
    async delete(runId) {
      requireKey(ctx('runs', 'delete'), 'runId', runId);
      return runs.delete(runId);
    },
  };
}

/**
 * Every store in memory: the default of the gateway. Nothing survives a restart; use
 * `createFileStores({ dir })` (or your own stores) when it must.
 */
export function createMemoryStores(): ClawStores {
  return {
    sessions: createMemorySessionStore(),
    transcripts: createMemoryTranscriptStore(),
    dedupe: createMemoryDedupeStore(),
    outbox: createMemoryOutboxStore(),
    pairing: createMemoryPairingStore(),
    bindings: createMemoryBindingStore(),
    runs: createMemoryRunStore(),
  };
}
