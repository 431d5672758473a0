import type { ReplyTarget } from '@claw/channel-kit';
import type { ConversationBindings } from '../bindings/index.js';
import type { ReplyDispatcher } from '../dispatch/types.js';
import type { EventSink, TurnEndEvent } from '../events/types.js';
import type { ClawStores, RunFilter, RunRecord } from '../stores/types.js';
import type { ToolPolicy } from '../tool-policy/index.js';

/**
 * The turn that spawns: what the gateway knows about it. Built from the current TurnContext;
 * `target` is the turn's pinned `ReplyTarget`, the only place the result can ever go.
 */
export interface SpawnParent {
  /** The parent session (the conversation that asked). */
  readonly sessionKey: string;
  /** The agent running the parent turn (the child's agent unless the spawn names another). */
  readonly agentId: string;
  /** The parent turn (its end releases the announce, so the "got it" always comes first). */
  readonly turnId: string;
  /** The pinned origin: channel, account, group, thread. The result is announced here. */
  readonly target: ReplyTarget;
  /** The parent turn's tool policy; the child's policy can only be narrower. Omitted: no restriction beyond the child layer. */
  readonly toolPolicy?: ToolPolicy;
  /** True when the parent turn is itself a background run (spawn is then refused). */
  readonly isChild?: boolean;
}

/**
 * What to run in the background (`ctx.spawn(options)`, the `sessions_spawn` tool). There is
 * deliberately no delivery option: the result always goes back where the parent was asked.
 */
export interface SpawnOptions {
  /** The task, as the child agent receives it. */
  readonly task: string;
  /** Agent that does the work. Default: the parent's agent. */
  readonly agentId?: string;
  /** Short name for listings and the announcement header (`✅ <label> finished`). */
  readonly label?: string;
  /**
   * After a successful announce: `delete` removes the child's session and transcript at once;
   * `keep` archives them (removed after `config.archiveAfterMs`). Default `keep` (dispatch.md §4.1).
   */
  readonly cleanup?: 'delete' | 'keep';
  /** Abort the child after this long and announce a timeout. Default `config.defaultTimeoutMs` (none). */
  readonly timeoutMs?: number;
  /** Model for the child (passed to `runChild`). Default: the agent's model. */
  readonly model?: string;
  /**
   * When a gateway restart interrupts the run: run it again (`true`) instead of announcing it as
   * interrupted (default). Bounded by `config.maxRestarts`.
   */
  readonly retryOnRestart?: boolean;
}

/** What `spawn` resolves with, at once: the run is recorded and scheduled, not finished. */
export interface SpawnAccepted {
  readonly status: 'accepted';
  /** Id of the run (for `list`, `get`, `cancel`). */
  readonly runId: string;
  /** The child's session key, `agent:<agentId>:subagent:<runId>`. */
  readonly sessionKey: string;
}

/** What the gateway's `runChild` receives. */
export interface RunChildInput {
  /** Id of the run. */
  readonly runId: string;
  /** Agent that does the work. */
  readonly agentId: string;
  /** The child's own session (its own transcript). */
  readonly childSessionKey: string;
  /** The session that spawned it (for context only: the child never delivers anywhere). */
  readonly parentSessionKey: string;
  /** The task. */
  readonly task: string;
  /** Label, when the spawn gave one. */
  readonly label?: string;
  /** Model override, when the spawn gave one. */
  readonly model?: string;
  /** Aborted on cancel, timeout or shutdown: stop promptly. */
  readonly signal: AbortSignal;
  /** The child's tool policy: the parent's, narrowed by the child layer (see `childToolPolicy`). */
  readonly toolPolicy: ToolPolicy;
}

/** What `runChild` resolves with: the child's final text (announced as the result). */
export interface RunChildResult {
  /** The child's final answer: announced to the parent's origin as the run's result. */
  readonly text: string;
}

/**
 * Runs one child: the gateway's agent handler with a child TurnContext on the `background` lane.
 * Resolves with the final text; rejects on failure; honours `signal`.
 */
export type RunChild = (input: RunChildInput) => Promise<RunChildResult>;

/** How a failed announce is retried (dispatch.md §4.6: 1 s, 2 s, 4 s, capped 8 s; 3 retries; 5 min). */
export interface AnnounceRetrySettings {
  /** Announce attempts in total, the first included. Default 4. */
  readonly attempts: number;
  /** Delay before the first retry; doubles each time. Default 1000 ms. */
  readonly baseDelayMs: number;
  /** Longest delay between attempts. Default 8000 ms. */
  readonly maxDelayMs: number;
  /** Give up this long after the first attempt, whatever the attempts left. Default 5 minutes. */
  readonly expiryMs: number;
}

/** Limits and timings of background runs. Every field is optional. */
export interface BackgroundRunsConfig {
  /** Live (unfinished) children per parent session. Default 5 (dispatch.md §4.2). */
  readonly maxChildrenPerSession?: number;
  /** Live runs across the gateway. Default 64. */
  readonly maxConcurrentRuns?: number;
  /** Remove archived runs (record, session, transcript) this long after they were handled. Default 60 min; 0 never. */
  readonly archiveAfterMs?: number;
  /** How often `start()`'s sweeper runs `sweep()`. Default 60 s; 0 disables it (call `sweep()` yourself). */
  readonly sweepIntervalMs?: number;
  /** Timeout of a spawn that gives none. Default 0 (no timeout). */
  readonly defaultTimeoutMs?: number;
  /** Retry of announces that failed transiently. */
  readonly announceRetry?: Partial<AnnounceRetrySettings>;
  /**
   * An announce waits for the parent turn to end (so the turn's own reply, e.g. "got it", lands
   * first), but no longer than this. Default 5 minutes. Needs `events.on` (the event bus).
   */
  readonly announceHoldMs?: number;
  /** How often one run may be re-run after restarts (`retryOnRestart`). Default 3. */
  readonly maxRestarts?: number;
  /** Results longer than this are cut (with a notice) before they are stored and announced. Default 100 000. */
  readonly maxResultChars?: number;
  /** The configured agent ids: a spawn naming another agent is refused. Default: any valid agent id. */
  readonly agents?: readonly string[];
  /** Extra tools to deny children (names, `group:<name>`, globs), on top of the built-in child layer. */
  readonly childToolDeny?: readonly string[];
}

/** Where the manager reports: `bus.emit`/`bus.on` of the gateway's event bus, or any object like it. */
export interface BackgroundEventTarget {
  /** Receives `background:*` and `error` events. */
  readonly emit: EventSink<
    | 'background:accepted'
    | 'background:started'
    | 'background:finished'
    | 'background:announced'
    | 'background:failed'
    | 'error'
  >;
  /**
   * Subscribe to `turn:end` (returns an unsubscribe function). When present, announces wait for
   * the parent turn to end; without it they go out as soon as the child finishes.
   */
  readonly on?: (event: 'turn:end', listener: (payload: TurnEndEvent) => void) => () => void;
}

/** Optional diagnostics sink (`console` and the gateway's `ClawLogger` fit). */
export interface BackgroundLogger {
  /** Recovery summaries and other tracing. */
  debug?(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Announces given up, store failures. */
  warn?(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** The manager's sense of time (the gateway's `Clock` fits). */
export interface BackgroundClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Wait `ms`, rejecting early when `signal` aborts: timeouts, announce backoff, the announce
   * hold, the sweeper, the stop grace. Default: a real, unref'd timer. Inject it in tests.
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Options of `createBackgroundRuns`. */
export interface BackgroundRunsOptions {
  /** Run records (`runs`), and the child sessions and transcripts cleanup removes; `bindings` for bound threads. */
  readonly stores: Pick<ClawStores, 'runs' | 'sessions' | 'transcripts'> &
    Partial<Pick<ClawStores, 'bindings'>>;
  /** Delivers announcements (with idempotency key `announce:<runId>`). */
  readonly dispatcher: Pick<ReplyDispatcher, 'deliver'>;
  /** Runs one child (implemented by the gateway). */
  readonly runChild: RunChild;
  /** The event bus (or `{ emit }`). */
  readonly events?: BackgroundEventTarget;
  /**
   * Conversation bindings, to announce in a bound thread. Default: a bindings service over
   * `stores.bindings` when given (pass the gateway's own so adapters' conversation ids are used).
   */
  readonly bindings?: Pick<ConversationBindings, 'list' | 'conversationIdOf'>;
  /** Limits and timings. */
  readonly config?: BackgroundRunsConfig;
  /** Time source. Default: `Date.now` and real (unref'd) timers. */
  readonly clock?: BackgroundClock;
  /** Run id generator. Default `crypto.randomUUID`. */
  readonly newRunId?: () => string;
  /** The text announced for a finished run. Default `formatAnnouncement` (status header, then the result). */
  readonly formatAnnouncement?: (run: RunRecord) => string;
  /** Diagnostics. */
  readonly logger?: BackgroundLogger;
}

/** What `start()` found left over from a previous process. */
export interface BackgroundRecoveryReport {
  /** Finished runs whose result was not announced yet: announced now. */
  readonly announcing: number;
  /** Runs that were running: marked `interrupted` and announced as such. */
  readonly interrupted: number;
  /** Runs that were running with `retryOnRestart`: running again. */
  readonly restarted: number;
  /** Announced `delete` runs whose child session was still there: removed now. */
  readonly cleanedUp: number;
}

/** In-memory bookkeeping sizes (all zero when nothing is in flight: nothing grows without bound). */
export interface BackgroundRunsStats {
  /** Runs whose child is executing (they count against the limits). */
  readonly executing: number;
  /** Runs whose result is being announced (or waiting to be). */
  readonly announcing: number;
  /** Parent sessions with live children. */
  readonly parentSessions: number;
  /** Parent turns an announce waits for. */
  readonly heldTurns: number;
}

/**
 * Background runs: spawn, limits, the child policy, announce, registry, recovery and cleanup.
 * Created once per gateway by `createBackgroundRuns`.
 */
export interface BackgroundRuns {
  /**
   * Record and schedule a background run; resolves at once with its id and child session key.
   * @throws {NestedSpawnError} when the parent is a background run.
   * @throws {SpawnLimitError} when the parent session or the gateway has too many live runs.
   * @throws {InvalidSpawnOptionsError} when the options or the parent are malformed.
   * @throws {BackgroundRunsStoppedError} after `stop()`.
   */
  spawn(parent: SpawnParent, options: SpawnOptions): Promise<SpawnAccepted>;
  /**
   * Recover what a previous process left (announce finished runs once, interrupt or re-run the
   * ones that were running, finish cleanups) and start the archive sweeper. Idempotent.
   */
  start(): Promise<BackgroundRecoveryReport>;
  /**
   * Stop: refuse new spawns, give running children and announces up to `timeoutMs` (default 10 s) to finish,
   * then abort them (they stay `running` in the store and are interrupted or re-run by the next
   * `start()`); pending announces are left for the next `start()`. Resolves when all work settled.
   */
  stop(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Run records matching `filter`, oldest first. */
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** One run record. */
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * Cancel a live run: its child is aborted and `cancelled` is announced. Resolves `false` when
   * the run is unknown or already finished.
   */
  cancel(runId: string): Promise<boolean>;
  /** Remove archived runs that are due (record, child session, transcript). Resolves how many. */
  sweep(): Promise<number>;
  /** Resolves when no child is executing and no announce is in flight. */
  idle(): Promise<void>;
  /** In-memory bookkeeping sizes. */
  readonly stats: BackgroundRunsStats;
}
