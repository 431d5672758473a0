import type {
  BindingFilter,
  ConversationBinding,
  OutboxPart,
  OutboxRecord,
  RunFilter,
  RunRecord,
  SessionEntry,
  SessionPatch,
} from './types.js';
import {
  bindingProblem,
  type CheckContext,
  describe,
  invalidArgument,
  outboxPartProblem,
  requireKey,
  requireValid,
  runProblem,
  runStatuses,
  sessionPatchProblem,
} from './validate.js';

// Record semantics shared by every built-in store, so the memory and file stores cannot drift.

/** A new session entry created at `at`. */
export function newSession(sessionKey: string, at: number): SessionEntry {
  return { sessionKey, createdAt: at, lastActivityAt: at };
}

/** `entry` with activity moved forward to `at` (never backwards); the same object when unchanged. */
export function touchSession(entry: SessionEntry, at: number): SessionEntry {
  return at > entry.lastActivityAt ? { ...entry, lastActivityAt: at } : entry;
}

/** `entry` with `patch` applied: omitted fields kept, `null` removes the override. */
export function patchSession(entry: SessionEntry, patch: SessionPatch): SessionEntry {
  const next: { -readonly [K in keyof SessionEntry]: SessionEntry[K] } = { ...entry };
  if (patch.activation === null) delete next.activation;
  else if (patch.activation !== undefined) next.activation = patch.activation;
  if (patch.queueMode === null) delete next.queueMode;
  else if (patch.queueMode !== undefined) next.queueMode = patch.queueMode;
  if (patch.meta === null) delete next.meta;
  else if (patch.meta !== undefined) next.meta = patch.meta;
  return next;
}

/** Validate the arguments of `SessionStore.update`. */
export function checkSessionPatch(ctx: CheckContext, patch: unknown): SessionPatch {
  requireValid(ctx, 'patch', sessionPatchProblem(patch));
  return patch as SessionPatch;
}

/** The pending record for a freshly recorded part. */
export function newOutboxRecord(part: OutboxPart): OutboxRecord {
  return { ...part, status: 'pending', updatedAt: part.createdAt, attempts: 0 };
}

/** Validate an outbox part. */
export function checkOutboxPart(ctx: CheckContext, part: unknown): OutboxPart {
  requireValid(ctx, 'part', outboxPartProblem(part));
  return part as OutboxPart;
}

/** Validate the update of `markSent` / `markFailed`. */
export function checkOutboxUpdate(
  ctx: CheckContext,
  update: unknown,
  field: 'platformMessageId' | 'error',
): { readonly value: string; readonly at: number; readonly attempts: number } {
  if (typeof update !== 'object' || update === null) {
    throw invalidArgument(ctx, `update must be an object, got ${describe(update)}.`);
  }
  const u = update as Record<string, unknown>;
  const value = u[field];
  if (typeof value !== 'string')
    throw invalidArgument(ctx, `update.${field} must be a string, got ${describe(value)}.`);
  const at = u['at'];
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
    throw invalidArgument(ctx, `update.at must be a finite number >= 0, got ${describe(at)}.`);
  }
  const attempts = u['attempts'];
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0) {
    throw invalidArgument(ctx, `update.attempts must be an integer >= 0, got ${describe(attempts)}.`);
  }
  return { value, at, attempts };
}

/** `record` marked sent. */
export function markedSent(
  record: OutboxRecord,
  update: { readonly value: string; readonly at: number; readonly attempts: number },
): OutboxRecord {
  const { error: _error, ...rest } = record;
  return {
    ...rest,
    status: 'sent',
    updatedAt: update.at,
    attempts: update.attempts,
    platformMessageId: update.value,
  };
}

/** `record` marked failed. */
export function markedFailed(
  record: OutboxRecord,
  update: { readonly value: string; readonly at: number; readonly attempts: number },
): OutboxRecord {
  return {
    ...record,
    status: 'failed',
    updatedAt: update.at,
    attempts: update.attempts,
    error: update.value,
  };
}

/** Validate a binding. */
export function checkBinding(ctx: CheckContext, binding: unknown): ConversationBinding {
  requireValid(ctx, 'binding', bindingProblem(binding));
  return binding as ConversationBinding;
}

/** Validate a binding filter. */
export function checkBindingFilter(ctx: CheckContext, filter: unknown): BindingFilter {
  if (filter === undefined) return {};
  if (typeof filter !== 'object' || filter === null) {
    throw invalidArgument(ctx, `filter must be an object when given, got ${describe(filter)}.`);
  }
  const f = filter as Record<string, unknown>;
  for (const field of ['targetSessionKey', 'channel', 'accountId'] as const) {
    if (f[field] !== undefined) requireKey(ctx, `filter.${field}`, f[field]);
  }
  return f as BindingFilter;
}

/** True when `binding` matches every field of `filter`. */
export function bindingMatches(binding: ConversationBinding, filter: BindingFilter): boolean {
  return (
    (filter.targetSessionKey === undefined || binding.targetSessionKey === filter.targetSessionKey) &&
    (filter.channel === undefined || binding.channel === filter.channel) &&
    (filter.accountId === undefined || binding.accountId === filter.accountId)
  );
}

/** Validate a run record. */
export function checkRun(ctx: CheckContext, run: unknown): RunRecord {
  requireValid(ctx, 'run', runProblem(run));
  return run as RunRecord;
}

/** Validate a run filter. */
export function checkRunFilter(ctx: CheckContext, filter: unknown): RunFilter {
  if (filter === undefined) return {};
  if (typeof filter !== 'object' || filter === null) {
    throw invalidArgument(ctx, `filter must be an object when given, got ${describe(filter)}.`);
  }
  const f = filter as Record<string, unknown>;
  const statuses = f['status'] === undefined ? [] : Array.isArray(f['status']) ? f['status'] : [f['status']];
  for (const status of statuses) {
    if (!(runStatuses as readonly unknown[]).includes(status)) {
      throw invalidArgument(
        ctx,
        `filter.status must be one of ${runStatuses.join(', ')} (or an array of them), got ${describe(status)}.`,
      );
    }
  }
  if (f['parentSessionKey'] !== undefined) requireKey(ctx, 'filter.parentSessionKey', f['parentSessionKey']);
  if (f['announced'] !== undefined && typeof f['announced'] !== 'boolean') {
    throw invalidArgument(
      ctx,
      `filter.announced must be a boolean when given, got ${describe(f['announced'])}.`,
    );
  }
  return f as RunFilter;
}

/** True when `run` matches every field of `filter`. */
export function runMatches(run: RunRecord, filter: RunFilter): boolean {
  if (filter.status !== undefined) {
    const statuses: readonly string[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    if (!statuses.includes(run.status)) return false;
  }
  return (
    (filter.parentSessionKey === undefined || run.parentSessionKey === filter.parentSessionKey) &&
    (filter.announced === undefined || run.announced === filter.announced)
  );
}

/** Oldest first, ties by id, so listings are stable. */
export function byCreatedAt<T extends { readonly createdAt: number }>(key: (value: T) => string) {
  return (a: T, b: T): number =>
    a.createdAt - b.createdAt || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
