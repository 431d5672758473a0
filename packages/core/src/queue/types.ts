import type { ReplyTarget } from '@claw/channel-kit';
import type { QueueMode } from '../stores/types.js';

export type { QueueMode } from '../stores/types.js';

/**
 * What happens when a session already has `cap` messages waiting:
 * - `old`: drop the oldest waiting messages to make room.
 * - `new`: refuse the new message.
 * - `summarize`: drop the oldest, but keep a one-line summary of each, handed to the next turn
 *   (`SessionTurn.overflow`), so the agent knows what it missed. The default.
 */
export type QueueDropPolicy = 'old' | 'new' | 'summarize';

/**
 * The global concurrency lanes. Inbound turns run in `main`; background runs in `background`, so
 * heavy background work never starves conversations (and the reverse).
 */
export type QueueLane = 'main' | 'background';

/** How a session's queue behaves. Per message, an override (e.g. the session's `/queue` setting) wins. */
export interface QueueSettings {
  /** What happens to a message that arrives while the session is busy. */
  readonly mode: QueueMode;
  /** Most messages waiting per session (not counting the running turn). */
  readonly cap: number;
  /** What happens beyond `cap`. */
  readonly drop: QueueDropPolicy;
}

/** A message to queue for its session. */
export interface QueuedMessage<T> {
  /** Session the message belongs to: turns of one session run one at a time, in order. */
  readonly sessionKey: string;
  /** The pinned reply target (messages with different targets are never merged into one turn). */
  readonly target: ReplyTarget;
  /** What the turn handler receives (the admitted message, its route, …). */
  readonly payload: T;
  /**
   * Id of this message in the queue; when it starts a turn, the turn's id. Default: a fresh
   * nanoid. Pass your own to know the turn id at admission.
   */
  readonly id?: string;
  /** Concurrency lane. Default `main`. */
  readonly lane?: QueueLane;
}

/** A message as it waits in (or was removed from) a queue. */
export interface QueueItem<T> {
  /** The message's queue id. */
  readonly id: string;
  /** The session it belongs to. */
  readonly sessionKey: string;
  /** Where the answer to it goes (pinned when it was admitted). */
  readonly target: ReplyTarget;
  /** What the host queued (e.g. the inbound message). */
  readonly payload: T;
  /** The concurrency lane its turn runs in. */
  readonly lane: QueueLane;
  /** The mode in force when it arrived. */
  readonly mode: QueueMode;
}

/**
 * Messages handed to a running turn while it runs (`steer` mode). The tool loop reads it between
 * steps (`take()`), so the model sees what the user added before its next decision. Whatever the
 * turn has not taken when it ends runs as a follow-up turn: nothing is lost. Only messages for
 * the turn's own reply target are steered into it (a message from another conversation of the
 * same session waits for its own turn, so its answer goes back where it was asked).
 */
export interface SteerInbox<T> {
  /** How many messages are waiting. */
  readonly size: number;
  /** Take every waiting message (oldest first); they now belong to this turn. */
  take(): QueueItem<T>[];
  /**
   * Yields messages as they arrive (each one taken), and ends when the turn ends. For handlers
   * that wait for input rather than poll.
   */
  [Symbol.asyncIterator](): AsyncIterator<QueueItem<T>>;
}

/** One turn of a session, handed to the turn handler. */
export interface SessionTurn<T> {
  /** Turn id: the queue id of its first message. */
  readonly id: string;
  /** The session the turn runs for (no other turn of it runs meanwhile). */
  readonly sessionKey: string;
  /** The concurrency lane it runs in. */
  readonly lane: QueueLane;
  /** The mode of its first message (`collect` turns may hold several messages). */
  readonly mode: QueueMode;
  /** Where every reply of this turn goes. */
  readonly target: ReplyTarget;
  /** The messages this turn handles, in arrival order (one, except in `collect` mode). */
  readonly items: readonly QueueItem<T>[];
  /**
   * Messages dropped by the `summarize` policy since the previous turn: how many, and one line
   * each (at most `cap` lines, the newest). Show them to the agent before `items`.
   */
  readonly overflow?: { readonly dropped: number; readonly summaries: readonly string[] };
  /** Aborted when the turn is interrupted (`interrupt` mode) or the queues stop. */
  readonly signal: AbortSignal;
  /** Messages steered into this turn while it runs. */
  readonly steer: SteerInbox<T>;
}

/**
 * What became of a queued message.
 * - `completed` / `failed` / `aborted`: the turn that handled it ended that way.
 * - `steered`: a running turn took it from its steer inbox.
 * - `dropped`: removed by the cap's drop policy or by an interrupt.
 * - `stopped`: still waiting when the queues stopped (returned by `stop()`).
 */
export interface MessageOutcome {
  /** What became of the message. */
  readonly status: 'completed' | 'failed' | 'aborted' | 'steered' | 'dropped' | 'stopped';
  /** The turn that handled it (for `completed`, `failed`, `aborted`, `steered`). */
  readonly turnId?: string;
  /** Why it was dropped. */
  readonly reason?: DropReason;
}

/** Why a message was dropped: the cap (`old`, `new`, `summarize` policies) or an interrupt. */
export type DropReason = 'cap' | 'interrupted';

/** The result of `enqueue`. */
export interface EnqueueResult {
  /**
   * - `queued`: it waits for (or starts) its own turn.
   * - `steered`: handed to the running turn's steer inbox.
   * - `dropped`: refused by the `new` drop policy.
   */
  readonly status: 'queued' | 'steered' | 'dropped';
  /** The message's queue id (its turn id when it starts a turn). */
  readonly id: string;
  /** Resolves (never rejects) with what became of the message. */
  readonly settled: Promise<MessageOutcome>;
}

/** Messages removed from a queue without running (cap, interrupt). */
export interface DroppedMessages<T> {
  /** The session they were queued for. */
  readonly sessionKey: string;
  /** Why they were removed. */
  readonly reason: DropReason;
  /** The removed messages, in arrival order. */
  readonly items: readonly QueueItem<T>[];
}

/** Options of `createSessionQueues`. */
export interface SessionQueuesOptions<T> {
  /**
   * Runs one turn. Turns of one session never overlap; turns of different sessions run in
   * parallel up to the lane's concurrency. A thrown error ends the turn as `failed` (reported to
   * `onError`); the queue carries on.
   */
  readonly run: (turn: SessionTurn<T>) => Promise<void> | void;
  /** Default settings; an override passed to `enqueue` wins. Defaults: followup, 20, summarize. */
  readonly defaults?: Partial<QueueSettings>;
  /** Concurrent turns per lane, across sessions. Defaults: main 8, background 8. */
  readonly concurrency?: { readonly main?: number; readonly background?: number };
  /** One-line text of a message for `summarize` (collapsed and cut to 160 characters). */
  readonly summarize?: (payload: T) => string;
  /** Told about messages removed without running (so they can be reported, not silently lost). */
  readonly onDrop?: (dropped: DroppedMessages<T>) => void;
  /** Told about turn handlers that threw. */
  readonly onError?: (error: unknown, turn: SessionTurn<T>) => void;
  /** Id generator for messages without an id. Default: nanoid. */
  readonly newId?: () => string;
  /** Waits `ms` (used by `stop`'s timeout). Inject it to keep tests off real timers. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What `stop()` reports. */
export interface StopReport<T> {
  /** Messages that were still waiting (never started), per session in order. Persist or report them. */
  readonly pending: readonly QueueItem<T>[];
  /** Ids of the turns that had to be aborted because they outlived the timeout. */
  readonly aborted: readonly string[];
}

/**
 * Per-session queues: one turn at a time per session, sessions in parallel under per-lane limits,
 * the four queue modes for messages that arrive while a session is busy, and a cap with a drop
 * policy. A session that has nothing queued or running holds no memory.
 */
export interface SessionQueues<T> {
  /**
   * Queue a message. Synchronous, so the call order is the arrival order.
   * @throws {SessionQueueError} `stopped` after `stop()`; `invalid_input` when the message or
   * the override is malformed.
   */
  enqueue(message: QueuedMessage<T>, override?: Partial<QueueSettings>): EnqueueResult;
  /** Resolves when no session has anything queued or running. */
  idle(): Promise<void>;
  /**
   * Stop accepting, let running turns finish for up to `timeoutMs` (default 10 s), then abort the
   * rest and wait for them to return. Resolves with what was still waiting.
   */
  stop(options?: { readonly timeoutMs?: number }): Promise<StopReport<T>>;
  /** True once `stop()` was called. */
  readonly stopped: boolean;
  /** Sessions with something queued or running (idle sessions are released). */
  readonly activeSessions: number;
  /** Turns running now. */
  readonly running: number;
  /** Messages waiting (in queues and steer inboxes). */
  readonly queued: number;
}
