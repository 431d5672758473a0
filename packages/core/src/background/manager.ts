import { randomUUID } from 'node:crypto';
import type { ReplyTarget } from '@claw/channel-kit';
import { createConversationBindings } from '../bindings/index.js';
import type { DeliveryResult } from '../dispatch/types.js';
import type { ClawEventMap, ReplyFailureReason } from '../events/types.js';
import { buildSubagentSessionKey, isSubagentSessionKey } from '../keys/index.js';
import type { RunFilter, RunRecord, RunStatus } from '../stores/types.js';
import { abortableSleep } from '../timers/sleep.js';
import type { ToolPolicy } from '../tool-policy/index.js';
import { formatAnnouncement, formatDuration, isSilentResult, resolveAnnounceTarget } from './announce.js';
import { childToolPolicy } from './child-policy.js';
import { type BackgroundRunDetails, runDetails, withDetails } from './details.js';
import { BackgroundRunsStoppedError, NestedSpawnError, SpawnLimitError } from './errors.js';
import { resolveBackgroundOptions, validateParent, validateSpawnOptions } from './options.js';
import type {
  BackgroundRecoveryReport,
  BackgroundRuns,
  BackgroundRunsOptions,
  BackgroundRunsStats,
  RunChildInput,
  SpawnAccepted,
} from './types.js';

/** Why a live child was aborted. */
type AbortKind = 'cancel' | 'timeout' | 'shutdown';

/** A child that is executing in this process (it counts against the limits). */
interface Execution {
  readonly runId: string;
  readonly parentSessionKey: string;
  readonly controller: AbortController;
  reason: AbortKind | undefined;
}

/** A parent turn that announces wait for (so its own reply goes out first). */
interface HeldTurn {
  ended: boolean;
  refs: number;
  readonly waiters: Set<() => void>;
}

/** How a child ended, as fields of its record (or `shutdown`: leave the record for the next start). */
type Outcome =
  | {
      readonly status: Exclude<RunStatus, 'accepted' | 'running'>;
      readonly result?: string;
      readonly error?: string;
    }
  | 'shutdown';

type BackgroundEventName =
  | 'background:accepted'
  | 'background:started'
  | 'background:finished'
  | 'background:announced'
  | 'background:failed';

/** Delivery failures that another attempt cannot fix. */
const PERMANENT_REASONS: ReadonlySet<ReplyFailureReason> = new Set(['permanent', 'unknown_channel', 'stale']);

const errorText = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
};

/** Plain-data copy of the parent's policy layers, for the run record (JSON: no `undefined`). */
function layersOf(policy: ToolPolicy | undefined): BackgroundRunDetails['parentToolLayers'] {
  if (policy === undefined) return undefined;
  return policy.layers.map((l) => ({
    source: l.source,
    deny: [...l.deny],
    ...(l.allow === undefined ? {} : { allow: [...l.allow] }),
  })) as BackgroundRunDetails['parentToolLayers'];
}

/**
 * Create the background-runs manager of a gateway (see `docs/background-runs.md`).
 *
 * - `spawn` records the run (`accepted`) with the parent's pinned target and returns at once;
 *   the child then runs through `runChild` (`running` → `succeeded` | `failed` | `timed_out` |
 *   `cancelled`), with a tool policy that can only be narrower than the parent's and denies
 *   session, history, memory and messaging tools by construction.
 * - The result is announced to the pinned target (or a bound thread of the same conversation)
 *   through the dispatcher with the idempotency key `announce:<runId>`, after the parent turn
 *   ended; transient failures are retried with backoff for a bounded time.
 * - `start()` announces what a previous process finished but did not announce, exactly once,
 *   and interrupts (or re-runs) what it left running. `delete` cleanup removes the child session
 *   after the announce; archived runs are swept after `archiveAfterMs`.
 *
 * @throws {ConfigError} when the options are invalid (every problem listed by path).
 */
export function createBackgroundRuns(options: BackgroundRunsOptions): BackgroundRuns {
  const config = resolveBackgroundOptions(options);
  // Compile the child layer once up front: a bad `childToolDeny` fails here, not at the first spawn.
  childToolPolicy(undefined, { deny: config.childToolDeny });
  const { stores, dispatcher, runChild } = options;
  const clock = options.clock;
  const now = clock === undefined ? Date.now : () => clock.now();
  const sleep =
    clock?.sleep === undefined
      ? abortableSleep
      : (ms: number, signal?: AbortSignal) => clock.sleep!(ms, signal);
  const newRunId = options.newRunId ?? randomUUID;
  const format = options.formatAnnouncement ?? formatAnnouncement;
  const logger = options.logger;
  const bindings =
    options.bindings ??
    (stores.bindings === undefined ? undefined : createConversationBindings(stores.bindings, { now }));

  let state: 'created' | 'started' | 'stopped' = 'created';
  let startPromise: Promise<BackgroundRecoveryReport> | undefined;
  let stopPromise: Promise<void> | undefined;
  let sweeper: Promise<void> | undefined;
  const stopController = new AbortController();
  const executing = new Map<string, Execution>();
  const announcing = new Set<string>();
  const childrenOf = new Map<string, number>();
  const heldTurns = new Map<string, HeldTurn>();
  const tasks = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  // --- events ----------------------------------------------------------------------------------
  const emit = (event: BackgroundEventName, run: RunRecord, error?: unknown): void => {
    const d = runDetails(run);
    const payload: ClawEventMap[BackgroundEventName] = {
      sessionKey: run.parentSessionKey,
      agentId: d.parentAgentId ?? run.agentId,
      ...(d.parentTurnId === undefined ? {} : { turnId: d.parentTurnId }),
      run,
      ...(error === undefined ? {} : { error }),
    };
    try {
      options.events?.emit(event, payload);
    } catch {
      // An observer that throws must not break a run.
    }
  };
  const reportError = (error: unknown, run?: RunRecord): void => {
    logger?.warn?.(`background runs: ${errorText(error)}`, run === undefined ? {} : { runId: run.runId });
    try {
      options.events?.emit('error', {
        error,
        source: 'background',
        ...(run === undefined ? {} : { sessionKey: run.parentSessionKey, agentId: run.agentId }),
      });
    } catch {
      // Same as above.
    }
  };

  const unsubscribeTurnEnd = options.events?.on?.('turn:end', (event) => {
    const held = heldTurns.get(event.turnId);
    if (held === undefined || held.ended) return;
    held.ended = true;
    for (const wake of [...held.waiters]) wake();
  });
  const canHold = typeof options.events?.on === 'function' && config.announceHoldMs > 0;

  // --- bookkeeping -----------------------------------------------------------------------------
  const notifyIdle = (): void => {
    if (tasks.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const track = (work: Promise<void>): void => {
    const task: Promise<void> = work
      .catch((error: unknown) => reportError(error))
      .finally(() => {
        tasks.delete(task);
        notifyIdle();
      });
    tasks.add(task);
  };

  const reserve = (runId: string, parentSessionKey: string): Execution => {
    const exec: Execution = { runId, parentSessionKey, controller: new AbortController(), reason: undefined };
    executing.set(runId, exec);
    childrenOf.set(parentSessionKey, (childrenOf.get(parentSessionKey) ?? 0) + 1);
    return exec;
  };
  const release = (exec: Execution): void => {
    if (executing.get(exec.runId) !== exec) return;
    executing.delete(exec.runId);
    const left = (childrenOf.get(exec.parentSessionKey) ?? 1) - 1;
    if (left > 0) childrenOf.set(exec.parentSessionKey, left);
    else childrenOf.delete(exec.parentSessionKey);
  };
  const abortExecution = (exec: Execution, kind: AbortKind): boolean => {
    if (exec.reason !== undefined) return false;
    exec.reason = kind;
    const message =
      kind === 'cancel'
        ? 'The background run was cancelled.'
        : kind === 'timeout'
          ? 'The background run timed out.'
          : 'The gateway is stopping.';
    exec.controller.abort(new DOMException(message, kind === 'timeout' ? 'TimeoutError' : 'AbortError'));
    return true;
  };

  const holdTurn = (turnId: string): boolean => {
    if (!canHold) return false;
    let held = heldTurns.get(turnId);
    if (held === undefined) {
      held = { ended: false, refs: 0, waiters: new Set() };
      heldTurns.set(turnId, held);
    }
    held.refs++;
    return true;
  };
  const releaseTurn = (turnId: string): void => {
    const held = heldTurns.get(turnId);
    if (held === undefined) return;
    held.refs--;
    if (held.refs <= 0) heldTurns.delete(turnId);
  };
  /** Wait until the parent turn ended (its reply went first), at most `announceHoldMs`. */
  const waitForTurn = async (turnId: string): Promise<void> => {
    const held = heldTurns.get(turnId);
    if (held === undefined || held.ended) return;
    const timer = new AbortController();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        held.waiters.delete(done);
        timer.abort();
        resolve();
      };
      held.waiters.add(done);
      sleep(config.announceHoldMs, AbortSignal.any([timer.signal, stopController.signal])).then(done, done);
    });
  };

  const capResult = (text: string): string =>
    text.length <= config.maxResultChars
      ? text
      : `${text.slice(0, config.maxResultChars)}\n\n[… result cut: ${text.length - config.maxResultChars} more characters]`;

  const archiveFields = (cleanup: RunRecord['cleanup'], at: number): BackgroundRunDetails => ({
    ...(config.archiveAfterMs > 0 ? { archiveAt: at + config.archiveAfterMs } : {}),
    ...(cleanup === 'keep' ? { archivedAt: at } : {}),
  });

  // --- running a child -------------------------------------------------------------------------
  const runWithLimits = async (run: RunRecord, exec: Execution, toolPolicy: ToolPolicy): Promise<Outcome> => {
    const d = runDetails(run);
    const signal = exec.controller.signal;
    const timer = new AbortController();
    if (d.timeoutMs !== undefined) {
      sleep(d.timeoutMs, timer.signal).then(
        () => abortExecution(exec, 'timeout'),
        () => undefined,
      );
    }
    let onAbort: (() => void) | undefined;
    // Settles on abort even when `runChild` ignores its signal: a stuck child never holds a slot.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const input: RunChildInput = {
        runId: run.runId,
        agentId: run.agentId,
        childSessionKey: run.childSessionKey,
        parentSessionKey: run.parentSessionKey,
        task: run.task,
        signal,
        toolPolicy,
        ...(run.label === undefined ? {} : { label: run.label }),
        ...(d.model === undefined ? {} : { model: d.model }),
      };
      if (signal.aborted) throw signal.reason;
      const child = Promise.resolve().then(() => runChild(input));
      child.catch(() => undefined); // a child settling after an abort is not an unhandled rejection
      const result: unknown = await Promise.race([child, aborted]);
      const text = (result as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string') {
        throw new TypeError(`runChild must resolve with { text: string }, got ${typeof result}`);
      }
      return { status: 'succeeded', result: capResult(text) };
    } catch (error) {
      switch (exec.reason) {
        case 'timeout':
          return {
            status: 'timed_out',
            error: `timed out after ${formatDuration(d.timeoutMs ?? 0)}`,
          };
        case 'cancel':
          return { status: 'cancelled', error: 'cancelled' };
        case 'shutdown':
          return 'shutdown';
        default:
          // A child failing while the gateway stops most likely failed because of the stop (its
          // queue or turn was shut down): leave it to the next start(), like an aborted one.
          return state === 'stopped' ? 'shutdown' : { status: 'failed', error: errorText(error) };
      }
    } finally {
      timer.abort();
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  };

  /** Run the child and record how it ended; `undefined` when nothing should be announced now. */
  const execute = async (
    run: RunRecord,
    exec: Execution,
    toolPolicy: ToolPolicy,
  ): Promise<RunRecord | undefined> => {
    let current = run;
    try {
      if (exec.reason === 'shutdown') return undefined;
      current = { ...current, status: 'running', startedAt: now() };
      await stores.runs.put(current);
      emit('background:started', current);
      const outcome = await runWithLimits(current, exec, toolPolicy);
      // Stopping: the record stays `running`; the next start() interrupts or re-runs it.
      if (outcome === 'shutdown') return undefined;
      release(exec);
      current = { ...current, ...outcome, endedAt: now() };
      await stores.runs.put(current);
      emit('background:finished', current);
      return current;
    } catch (error) {
      // The store failed: the record cannot be trusted to say what happened, so say it here.
      reportError(error, current);
      emit('background:failed', current, error);
      return undefined;
    } finally {
      release(exec);
    }
  };

  const flow = async (
    run: RunRecord,
    exec: Execution,
    toolPolicy: ToolPolicy,
    heldTurnId: string | undefined,
  ): Promise<void> => {
    try {
      const finished = await execute(run, exec, toolPolicy);
      if (finished !== undefined) await announce(finished, heldTurnId);
    } finally {
      if (heldTurnId !== undefined) releaseTurn(heldTurnId);
    }
  };

  // --- announcing ------------------------------------------------------------------------------
  const cleanupChild = async (run: RunRecord): Promise<RunRecord> => {
    try {
      await stores.sessions.delete(run.childSessionKey);
      await stores.transcripts.delete(run.childSessionKey);
      const cleaned = withDetails(run, { cleanedAt: now() });
      await stores.runs.put(cleaned);
      return cleaned;
    } catch (error) {
      // Left for the next start() or the sweeper, which remove the session as well.
      reportError(error, run);
      return run;
    }
  };

  const markAnnounced = async (run: RunRecord, patch: BackgroundRunDetails): Promise<void> => {
    const at = now();
    const done = withDetails(
      { ...run, announced: true, announcedAt: at },
      { ...patch, ...archiveFields(run.cleanup, at) },
    );
    await stores.runs.put(done);
    emit('background:announced', done);
    if (done.cleanup === 'delete') await cleanupChild(done);
  };

  const giveUp = async (run: RunRecord, error: unknown, attempts: number): Promise<void> => {
    const at = now();
    // Given up: archived like a kept run (the child session stays for inspection until swept).
    const failed = withDetails(run, {
      announceGaveUpAt: at,
      announceError: errorText(error),
      announceAttempts: attempts,
      archivedAt: at,
      ...(config.archiveAfterMs > 0 ? { archiveAt: at + config.archiveAfterMs } : {}),
    });
    try {
      await stores.runs.put(failed);
    } catch (storeError) {
      reportError(storeError, run);
    }
    logger?.warn?.(`background run ${run.runId}: announce given up (${errorText(error)})`);
    emit('background:failed', failed, error);
  };

  const announce = async (run: RunRecord, heldTurnId?: string): Promise<void> => {
    if (announcing.has(run.runId)) return;
    announcing.add(run.runId);
    try {
      if (heldTurnId !== undefined) await waitForTurn(heldTurnId);
      if (stopController.signal.aborted) return; // left unannounced: the next start() announces it
      let current = run;
      if (isSilentResult(current)) {
        await markAnnounced(current, { silent: true });
        return;
      }
      let target: ReplyTarget | undefined = runDetails(current).announceTarget;
      if (target === undefined) {
        try {
          target = await resolveAnnounceTarget(current, bindings);
        } catch (error) {
          reportError(error, current);
          target = current.target;
        }
        // Fixed before the first attempt, so retries and restarts post to one place under one key.
        current = withDetails(current, { announceTarget: target });
        await stores.runs.put(current);
      }
      let text: string;
      try {
        text = format(current);
        if (typeof text !== 'string' || text.trim() === '') throw new TypeError('empty announcement');
      } catch (error) {
        reportError(error, current);
        text = formatAnnouncement(current);
      }
      const key = `announce:${current.runId}`;
      const d = runDetails(current);
      const previousAttempts = d.announceAttempts ?? 0;
      const retry = config.announceRetry;
      const firstAt = now();
      for (let attempt = 1; ; attempt++) {
        let result: DeliveryResult | undefined;
        let failure: unknown;
        try {
          result = await dispatcher.deliver(target, text, {
            turnId: key,
            idempotencyKey: key,
            sessionKey: current.parentSessionKey,
            agentId: d.parentAgentId ?? current.agentId,
          });
        } catch (error) {
          failure = error; // the dispatcher refused the call: no retry can fix that
        }
        if (result !== undefined && result.status !== 'failed' && result.status !== 'partial') {
          await markAnnounced(current, { announceAttempts: previousAttempts + attempt });
          return;
        }
        const failedParts = result?.parts.filter((p) => p.status === 'failed') ?? [];
        if (failedParts.some((p) => p.reason === 'aborted') || stopController.signal.aborted) return;
        const lastPart = failedParts.at(-1);
        const error =
          failure ??
          new Error(
            `Announcing background run ${current.runId} to ${target.channel}/${target.peer.id}` +
              `${target.threadId === undefined ? '' : ` thread ${target.threadId}`} failed ` +
              `(${lastPart?.reason ?? 'unknown'}) after ${attempt} attempt(s).`,
            lastPart?.error === undefined ? undefined : { cause: lastPart.error },
          );
        const permanent = failure !== undefined || failedParts.some((p) => PERMANENT_REASONS.has(p.reason!));
        const delay = Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
        if (permanent || attempt >= retry.attempts || now() + delay - firstAt > retry.expiryMs) {
          await giveUp(current, error, previousAttempts + attempt);
          return;
        }
        try {
          await sleep(delay, stopController.signal);
        } catch {
          return; // stopping: the next start() announces it
        }
      }
    } catch (error) {
      // A store failed mid-announce: the run stays unannounced, so the next start() tries again.
      reportError(error, run);
      emit('background:failed', run, error);
    } finally {
      announcing.delete(run.runId);
    }
  };

  // --- recovery and sweeping -------------------------------------------------------------------
  const recover = async (): Promise<BackgroundRecoveryReport> => {
    let toAnnounce = 0;
    let interrupted = 0;
    let restarted = 0;
    let cleanedUp = 0;
    for (const run of await stores.runs.list({ announced: false })) {
      // Spawned by this process before start(): it is live, not left over.
      if (executing.has(run.runId) || announcing.has(run.runId)) continue;
      const d = runDetails(run);
      if (d.announceGaveUpAt !== undefined) continue; // handled; the sweeper removes it
      try {
        if (run.status === 'accepted' || run.status === 'running') {
          if (run.retryOnRestart === true && (d.restarts ?? 0) < config.maxRestarts) {
            const exec = reserve(run.runId, run.parentSessionKey);
            const again = withDetails({ ...run, status: 'accepted' }, { restarts: (d.restarts ?? 0) + 1 });
            try {
              await stores.runs.put(again);
            } catch (error) {
              release(exec);
              throw error;
            }
            const policy = childToolPolicy(d.parentToolLayers ?? [], { deny: config.childToolDeny });
            track(flow(again, exec, policy, undefined));
            restarted++;
          } else {
            const ended: RunRecord = {
              ...run,
              status: 'interrupted',
              endedAt: now(),
              error: 'interrupted by a gateway restart',
            };
            await stores.runs.put(ended);
            emit('background:finished', ended);
            track(announce(ended));
            interrupted++;
          }
        } else {
          track(announce(run));
          toAnnounce++;
        }
      } catch (error) {
        reportError(error, run);
      }
    }
    for (const run of await stores.runs.list({ announced: true })) {
      if (run.cleanup !== 'delete' || runDetails(run).cleanedAt !== undefined || announcing.has(run.runId)) {
        continue;
      }
      await cleanupChild(run);
      cleanedUp++;
    }
    return { announcing: toAnnounce, interrupted, restarted, cleanedUp };
  };

  const sweep = async (): Promise<number> => {
    const at = now();
    let removed = 0;
    for (const run of await stores.runs.list()) {
      if (executing.has(run.runId) || announcing.has(run.runId)) continue;
      const archiveAt = runDetails(run).archiveAt;
      if (archiveAt === undefined || archiveAt > at) continue;
      try {
        await stores.sessions.delete(run.childSessionKey);
        await stores.transcripts.delete(run.childSessionKey);
        if (await stores.runs.delete(run.runId)) removed++;
      } catch (error) {
        reportError(error, run);
      }
    }
    return removed;
  };

  const sweepForever = async (): Promise<void> => {
    for (;;) {
      try {
        await sleep(config.sweepIntervalMs, stopController.signal);
      } catch {
        return;
      }
      try {
        await sweep();
      } catch (error) {
        reportError(error);
      }
    }
  };

  const idle = (): Promise<void> =>
    tasks.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));

  // --- the manager -----------------------------------------------------------------------------
  return {
    async spawn(parentInput, spawnInput) {
      if (state === 'stopped') throw new BackgroundRunsStoppedError('spawn');
      const parent = validateParent(parentInput);
      // Defence in depth: the gateway's child context refuses too, and so does the child's key.
      if (parent.isChild || isSubagentSessionKey(parent.sessionKey))
        throw new NestedSpawnError(parent.sessionKey);
      const spawn = validateSpawnOptions(spawnInput, parent, config);
      const toolPolicy = childToolPolicy(parent.toolPolicy, { deny: config.childToolDeny });
      // From the limit checks to the reservation nothing awaits: concurrent spawns cannot overshoot.
      const siblings = childrenOf.get(parent.sessionKey) ?? 0;
      if (siblings >= config.maxChildrenPerSession) {
        throw new SpawnLimitError('per_session', config.maxChildrenPerSession, siblings, parent.sessionKey);
      }
      if (executing.size >= config.maxConcurrentRuns) {
        throw new SpawnLimitError('global', config.maxConcurrentRuns, executing.size);
      }
      const runId = newRunId();
      if (typeof runId !== 'string' || runId.trim() === '' || executing.has(runId)) {
        throw new TypeError(`newRunId() must return a fresh non-empty string, got ${JSON.stringify(runId)}`);
      }
      const childSessionKey = buildSubagentSessionKey(spawn.agentId, runId);
      const exec = reserve(runId, parent.sessionKey);
      const held = holdTurn(parent.turnId) ? parent.turnId : undefined;
      const run = withDetails(
        {
          runId,
          parentSessionKey: parent.sessionKey,
          childSessionKey,
          agentId: spawn.agentId,
          task: spawn.task,
          ...(spawn.label === undefined ? {} : { label: spawn.label }),
          status: 'accepted',
          announced: false,
          target: parent.target,
          cleanup: spawn.cleanup,
          createdAt: now(),
          ...(spawn.retryOnRestart ? { retryOnRestart: true } : {}),
        },
        {
          parentAgentId: parent.agentId,
          parentTurnId: parent.turnId,
          timeoutMs: spawn.timeoutMs,
          model: spawn.model,
          parentToolLayers: layersOf(parent.toolPolicy),
        },
      );
      try {
        await stores.runs.put(run);
      } catch (error) {
        release(exec);
        if (held !== undefined) releaseTurn(held);
        throw error;
      }
      emit('background:accepted', run);
      track(flow(run, exec, toolPolicy, held));
      const accepted: SpawnAccepted = { status: 'accepted', runId, sessionKey: childSessionKey };
      return accepted;
    },

    start() {
      if (state === 'stopped') return Promise.reject(new BackgroundRunsStoppedError('start'));
      if (startPromise !== undefined) return startPromise;
      state = 'started';
      startPromise = recover().then((report) => {
        if (config.sweepIntervalMs > 0 && !stopController.signal.aborted) sweeper = sweepForever();
        logger?.debug?.('background runs started', { ...report });
        return report;
      });
      return startPromise;
    },

    stop(stopOptions = {}) {
      if (stopPromise !== undefined) return stopPromise;
      const timeoutMs = stopOptions?.timeoutMs ?? 10_000;
      if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
        return Promise.reject(
          new TypeError(`stop({ timeoutMs }): timeoutMs must be a number >= 0, got ${String(timeoutMs)}`),
        );
      }
      state = 'stopped';
      stopPromise = (async () => {
        unsubscribeTurnEnd?.();
        // Grace: running children may finish and their results go out (announces included).
        if (tasks.size > 0 && timeoutMs > 0) {
          const timer = new AbortController();
          await Promise.race([idle(), sleep(timeoutMs, timer.signal).catch(() => undefined)]);
          timer.abort();
        }
        for (const exec of executing.values()) abortExecution(exec, 'shutdown');
        stopController.abort();
        if (startPromise !== undefined) await startPromise.catch(() => undefined);
        await idle();
        await sweeper;
      })();
      return stopPromise;
    },

    list(filter?: RunFilter) {
      return stores.runs.list(filter);
    },

    get(runId) {
      return stores.runs.get(runId);
    },

    async cancel(runId) {
      if (typeof runId !== 'string' || runId === '') {
        throw new TypeError(`cancel(runId): runId must be a non-empty string, got ${JSON.stringify(runId)}`);
      }
      const exec = executing.get(runId);
      return exec === undefined ? false : abortExecution(exec, 'cancel');
    },

    sweep,
    idle,

    get stats(): BackgroundRunsStats {
      return {
        executing: executing.size,
        announcing: announcing.size,
        parentSessions: childrenOf.size,
        heldTurns: heldTurns.size,
      };
    },
  };
}
