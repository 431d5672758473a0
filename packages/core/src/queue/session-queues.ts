import { replyTargetProblem } from '@claw/channel-kit';
import { nanoid } from 'nanoid';
import PQueue from 'p-queue';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { Entry } from './entry.js';
import { SessionQueueError } from './session-queue-error.js';
import { Turn } from './turn.js';
import type {
  DropReason,
  EnqueueResult,
  MessageOutcome,
  QueueDropPolicy,
  QueuedMessage,
  QueueItem,
  QueueLane,
  QueueMode,
  QueueSettings,
  SessionQueues,
  SessionQueuesOptions,
  SessionTurn,
  StopReport,
} from './types.js';

const queueModes: readonly QueueMode[] = ['followup', 'collect', 'interrupt', 'steer'];
const dropPolicies: readonly QueueDropPolicy[] = ['old', 'new', 'summarize'];
const lanes: readonly QueueLane[] = ['main', 'background'];

/** Built-in defaults (reference: dispatch.md §3.3 — cap 20, drop summarize; mode followup per DESIGN). */
export const defaultQueueSettings: QueueSettings = Object.freeze({
  mode: 'followup',
  cap: 20,
  drop: 'summarize',
});
/** Default concurrent turns per lane. */
export const defaultLaneConcurrency: Readonly<Record<QueueLane, number>> = Object.freeze({
  main: 8,
  background: 8,
});
/** Summary lines are cut to this many characters (reference: dispatch.md §3.5). */
export const summaryLineLength = 160;
const defaultStopTimeoutMs = 10_000;

interface SessionState<T> {
  readonly key: string;
  queue: Entry<T>[];
  running: Turn<T> | undefined;
  /** The messages of the running turn (settled when it ends). */
  batch: Entry<T>[] | undefined;
  /** A lane task that will start the next turn is waiting for a slot. */
  scheduled: boolean;
  overflow: { dropped: number; summaries: string[] } | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;

function validateSettings(value: unknown, path: string, issues: ConfigIssue[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    issues.push({ path, message: 'must be an object with mode, cap and/or drop' });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'mode' && key !== 'cap' && key !== 'drop') {
      issues.push({ path: `${path}.${key}`, message: 'unknown setting (allowed: mode, cap, drop)' });
    }
  }
  if (value['mode'] !== undefined && !queueModes.includes(value['mode'] as QueueMode)) {
    issues.push({ path: `${path}.mode`, message: `must be one of ${queueModes.join(', ')}` });
  }
  if (value['cap'] !== undefined && !isPositiveInteger(value['cap'])) {
    issues.push({ path: `${path}.cap`, message: 'must be a positive integer' });
  }
  if (value['drop'] !== undefined && !dropPolicies.includes(value['drop'] as QueueDropPolicy)) {
    issues.push({ path: `${path}.drop`, message: `must be one of ${dropPolicies.join(', ')}` });
  }
}

function validateOptions(options: unknown): void {
  const issues: ConfigIssue[] = [];
  if (!isObject(options)) {
    throw new ConfigError([{ path: '', message: 'must be an object with a run function' }], {
      subject: 'session queue options',
    });
  }
  if (typeof options['run'] !== 'function')
    issues.push({ path: 'run', message: 'must be a function (the turn handler)' });
  validateSettings(options['defaults'], 'defaults', issues);
  const concurrency = options['concurrency'];
  if (concurrency !== undefined) {
    if (!isObject(concurrency))
      issues.push({ path: 'concurrency', message: 'must be an object { main?, background? }' });
    else {
      for (const key of Object.keys(concurrency)) {
        if (!lanes.includes(key as QueueLane)) {
          issues.push({ path: `concurrency.${key}`, message: 'unknown lane (allowed: main, background)' });
        } else if (!isPositiveInteger(concurrency[key])) {
          issues.push({ path: `concurrency.${key}`, message: 'must be a positive integer' });
        }
      }
    }
  }
  for (const fn of ['summarize', 'onDrop', 'onError', 'newId', 'sleep']) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') {
      issues.push({ path: fn, message: 'must be a function when given' });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'session queue options' });
}

/** The one-line summary of a dropped message: whitespace collapsed, at most 160 characters. */
export function summaryLine(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`summaryLine: text must be a string, got ${typeof text}`);
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= summaryLineLength) return line;
  // Cut on a code point boundary so a surrogate pair is never split.
  const chars = Array.from(line);
  return chars.length <= summaryLineLength ? line : `${chars.slice(0, summaryLineLength - 1).join('')}…`;
}

function defaultSummarize(payload: unknown): string {
  if (isObject(payload)) {
    if (typeof payload['text'] === 'string') return payload['text'];
    const message = payload['message'];
    if (isObject(message) && typeof message['text'] === 'string') return message['text'];
  }
  return typeof payload === 'string' ? payload : '(message)';
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });

const abortError = (message: string): Error => new DOMException(message, 'AbortError');

/** Refuse an `enqueue` call (a module function: every enqueue validates, a closure per call costs). */
function invalidEnqueue(detail: string): never {
  throw new SessionQueueError('invalid_input', `SessionQueues.enqueue: ${detail}.`);
}

function result<T>(status: EnqueueResult['status'], entry: Entry<T>): EnqueueResult {
  return {
    status,
    id: entry.item.id,
    get settled() {
      return entry.settled;
    },
  };
}

/**
 * One lane: p-queue holds the lane's concurrency limit, but its tasks are workers rather than
 * turns. A worker takes sessions from `ready` (first come, first served) and runs their next turn
 * until nothing is ready; a new worker is added only while fewer than `limit` are alive. So a busy
 * lane costs one p-queue task per burst instead of one per turn (a p-queue task allocates a dozen
 * objects and promises), and the order and the limit stay those of one task per turn.
 */
interface Lane<T> {
  readonly pool: PQueue;
  readonly limit: number;
  /** Sessions whose next turn waits for a worker, in the order they asked. */
  ready: SessionState<T>[];
  /** Index of the next session in `ready` (shifting a long array on every turn would copy it). */
  head: number;
  /** Workers added to the pool and not yet finished. */
  workers: number;
}

class Queues<T> implements SessionQueues<T> {
  readonly #sessions = new Map<string, SessionState<T>>();
  readonly #lanes: Record<QueueLane, Lane<T>>;
  readonly #running = new Set<Turn<T>>();
  readonly #defaults: QueueSettings;
  readonly #run: (turn: SessionTurn<T>) => Promise<void> | void;
  readonly #summarize: (payload: T) => string;
  readonly #onDrop: SessionQueuesOptions<T>['onDrop'];
  readonly #onError: SessionQueuesOptions<T>['onError'];
  readonly #newId: () => string;
  readonly #sleep: (ms: number) => Promise<void>;
  #queued = 0;
  #idleWaiters: (() => void)[] = [];
  #stopping: Promise<StopReport<T>> | undefined;
  /** Steered messages a turn took are no longer queued (one function for every turn). */
  readonly #onTaken = (count: number): void => {
    this.#queued -= count;
  };

  constructor(options: SessionQueuesOptions<T>) {
    validateOptions(options);
    this.#run = options.run;
    this.#defaults = { ...defaultQueueSettings, ...options.defaults };
    const lane = (limit: number): Lane<T> => ({
      pool: new PQueue({ concurrency: limit }),
      limit,
      ready: [],
      head: 0,
      workers: 0,
    });
    this.#lanes = {
      main: lane(options.concurrency?.main ?? defaultLaneConcurrency.main),
      background: lane(options.concurrency?.background ?? defaultLaneConcurrency.background),
    };
    this.#summarize = options.summarize ?? defaultSummarize;
    this.#onDrop = options.onDrop;
    this.#onError = options.onError;
    this.#newId = options.newId ?? nanoid;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  get activeSessions(): number {
    return this.#sessions.size;
  }

  get running(): number {
    return this.#running.size;
  }

  get queued(): number {
    return this.#queued;
  }

  enqueue(message: QueuedMessage<T>, override?: Partial<QueueSettings>): EnqueueResult {
    if (this.#stopping !== undefined) {
      throw new SessionQueueError(
        'stopped',
        'SessionQueues.enqueue: the queues are stopped and accept no new messages.',
      );
    }
    const settings = this.#settingsFor(message, override);
    const id = message.id ?? this.#newId();
    const item: QueueItem<T> = Object.freeze({
      id,
      sessionKey: message.sessionKey,
      target: message.target,
      payload: message.payload,
      lane: message.lane ?? 'main',
      mode: settings.mode,
    });
    const entry = new Entry(item);

    let state = this.#sessions.get(item.sessionKey);
    if (state === undefined) {
      state = {
        key: item.sessionKey,
        queue: [],
        running: undefined,
        batch: undefined,
        scheduled: false,
        overflow: undefined,
      };
      this.#sessions.set(state.key, state);
    }
    const running = state.running;

    if (settings.mode === 'interrupt') {
      // The newest message supersedes everything older: what waits is dropped, the running turn
      // is aborted (it still has to return before the new turn starts — never two at once).
      if (state.queue.length > 0) this.#drop(state, state.queue.splice(0), 'interrupted');
      state.overflow = undefined;
      if (running !== undefined) {
        this.#drop(state, running.closeInbox(), 'interrupted');
        running.abort(abortError('The turn was interrupted by a newer message (queue mode "interrupt").'));
      }
    } else if (
      settings.mode === 'steer' &&
      running !== undefined &&
      running.accepting &&
      state.queue.length === 0 &&
      running.targetKey === entry.targetKey &&
      running.steered < settings.cap
    ) {
      // Only when nothing waits ahead (a steered message must not overtake queued ones) and only
      // into a turn answering the same conversation.
      running.inbox.push(entry);
      this.#queued++;
      return result('steered', entry);
    }

    if (state.queue.length >= settings.cap) {
      if (settings.drop === 'new') {
        entry.settle({ status: 'dropped', reason: 'cap' });
        this.#report({ sessionKey: state.key, reason: 'cap', items: [item] });
        this.#releaseIfIdle(state);
        return result('dropped', entry);
      }
      const removed = state.queue.splice(0, state.queue.length - settings.cap + 1);
      if (settings.drop === 'summarize') {
        const overflow = state.overflow ?? { dropped: 0, summaries: [] };
        overflow.dropped += removed.length;
        for (const e of removed) overflow.summaries.push(this.#summaryOf(e.item.payload));
        if (overflow.summaries.length > settings.cap)
          overflow.summaries.splice(0, overflow.summaries.length - settings.cap);
        state.overflow = overflow;
      }
      this.#drop(state, removed, 'cap');
    }

    state.queue.push(entry);
    this.#queued++;
    if (state.running === undefined && !state.scheduled) this.#schedule(state);
    return result('queued', entry);
  }

  idle(): Promise<void> {
    if (this.#sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stop(options: { readonly timeoutMs?: number } = {}): Promise<StopReport<T>> {
    const timeoutMs = options?.timeoutMs ?? defaultStopTimeoutMs;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(
        new SessionQueueError(
          'invalid_input',
          `SessionQueues.stop: timeoutMs must be a finite number >= 0, got ${String(timeoutMs)}.`,
        ),
      );
    }
    this.#stopping ??= this.#stop(timeoutMs);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<StopReport<T>> {
    const aborted: string[] = [];
    if (this.#running.size > 0) {
      const finished = Promise.all([...this.#running].map((turn) => turn.whenFinished()));
      await Promise.race([finished, this.#sleep(timeoutMs)]);
      const late = [...this.#running];
      for (const turn of late) {
        aborted.push(turn.id);
        turn.abort(abortError('The gateway is stopping and the turn outlived the stop timeout.'));
      }
      await Promise.all(late.map((turn) => turn.whenFinished()));
    }
    for (const name of lanes) {
      const lane = this.#lanes[name];
      lane.pool.clear();
      // Cleared workers never started, so they never reach their `finally`: count only the live ones.
      lane.workers = lane.pool.pending;
      lane.ready = [];
      lane.head = 0;
    }
    const pending: QueueItem<T>[] = [];
    for (const state of this.#sessions.values()) {
      for (const entry of state.queue) {
        entry.settle({ status: 'stopped' });
        pending.push(entry.item);
      }
    }
    this.#sessions.clear();
    this.#queued = 0;
    this.#notifyIdle();
    return { pending, aborted };
  }

  #settingsFor(message: QueuedMessage<T>, override: Partial<QueueSettings> | undefined): QueueSettings {
    const fail = invalidEnqueue;
    if (!isObject(message)) fail('the message must be an object { sessionKey, target, payload }');
    if (typeof message.sessionKey !== 'string' || message.sessionKey === '')
      fail('sessionKey must be a non-empty string');
    const problem = replyTargetProblem(message.target);
    if (problem !== undefined) fail(problem);
    if (message.id !== undefined && (typeof message.id !== 'string' || message.id === '')) {
      fail('id must be a non-empty string when given');
    }
    if (message.lane !== undefined && !lanes.includes(message.lane))
      fail(`lane must be one of ${lanes.join(', ')}`);
    if (override === undefined) return this.#defaults;
    const issues: ConfigIssue[] = [];
    validateSettings(override, 'override', issues);
    if (issues.length > 0) fail(issues.map((i) => `${i.path} ${i.message}`).join('; '));
    return {
      mode: override.mode ?? this.#defaults.mode,
      cap: override.cap ?? this.#defaults.cap,
      drop: override.drop ?? this.#defaults.drop,
    };
  }

  /** The summary line of a dropped message; a failing `summarize` must not fail the enqueue. */
  #summaryOf(payload: T): string {
    try {
      return summaryLine(String(this.#summarize(payload)));
    } catch {
      return '(message)';
    }
  }

  #drop(state: SessionState<T>, entries: readonly Entry<T>[], reason: DropReason): void {
    if (entries.length === 0) return;
    this.#queued -= entries.length;
    for (const entry of entries) entry.settle({ status: 'dropped', reason });
    this.#report({ sessionKey: state.key, reason, items: entries.map((e) => e.item) });
  }

  #report(dropped: { sessionKey: string; reason: DropReason; items: readonly QueueItem<T>[] }): void {
    try {
      this.#onDrop?.(dropped);
    } catch {
      // A failing observer must not break the queue it observes.
    }
  }

  #schedule(state: SessionState<T>): void {
    state.scheduled = true;
    const name = state.queue[0]!.item.lane;
    const lane = this.#lanes[name];
    // Each turn re-enters the back of its lane, so a busy session cannot starve the others.
    lane.ready.push(state);
    if (lane.workers < lane.limit) {
      lane.workers++;
      void lane.pool.add(() => this.#work(lane, name));
    }
  }

  /**
   * A lane worker: run the next turn of each ready session, oldest first, until none is ready.
   * The turn is run inline rather than by an async helper: one suspended frame per turn fewer.
   */
  async #work(lane: Lane<T>, name: QueueLane): Promise<void> {
    try {
      while (lane.head < lane.ready.length) {
        const state = lane.ready[lane.head]!;
        lane.head++;
        if (lane.head === lane.ready.length) {
          lane.ready = [];
          lane.head = 0;
        } else if (lane.head >= 1024 && lane.head * 2 >= lane.ready.length) {
          lane.ready = lane.ready.slice(lane.head);
          lane.head = 0;
        }
        const turn = this.#startNext(state, name);
        if (turn === undefined) continue;
        let status: MessageOutcome['status'] = 'completed';
        try {
          await this.#run(turn);
          if (turn.aborted) status = 'aborted';
        } catch (error) {
          status = turn.aborted ? 'aborted' : 'failed';
          if (status === 'failed') {
            try {
              this.#onError?.(error, turn);
            } catch {
              // The error reporter failed too; the queue still has to go on.
            }
          }
        }
        this.#endTurn(state, turn, status);
      }
    } finally {
      lane.workers--;
    }
  }

  /** Start the session's next turn, or `undefined` when it has none to run in this lane now. */
  #startNext(state: SessionState<T>, lane: QueueLane): Turn<T> | undefined {
    state.scheduled = false;
    if (this.#stopping !== undefined || state.queue.length === 0) {
      if (this.#stopping === undefined) this.#releaseIfIdle(state);
      return undefined;
    }
    if (state.queue[0]!.item.lane !== lane) {
      // The head changed while this slot was awaited (an interrupt replaced it with a message of
      // another lane): queue again in the right lane, so each lane's limit holds.
      this.#schedule(state);
      return undefined;
    }
    const batch = this.#takeBatch(state);
    this.#queued -= batch.length;
    const overflow = state.overflow;
    state.overflow = undefined;
    const turn = new Turn<T>({ sessionKey: state.key, batch, overflow }, this.#onTaken);
    state.running = turn;
    state.batch = batch;
    this.#running.add(turn);
    return turn;
  }

  /** Settle a finished turn's messages and schedule what the session has next. */
  #endTurn(state: SessionState<T>, turn: Turn<T>, status: MessageOutcome['status']): void {
    // What the turn did not take from its steer inbox runs next, ahead of later arrivals (it
    // arrived before them: a message is only steered while nothing else waits).
    const untaken = turn.closeInbox();
    if (untaken.length > 0) state.queue.unshift(...untaken);
    const outcome: MessageOutcome = { status, turnId: turn.id };
    if (state.batch !== undefined) for (const entry of state.batch) entry.settle(outcome);
    state.running = undefined;
    state.batch = undefined;
    this.#running.delete(turn);
    if (this.#stopping === undefined) {
      if (state.queue.length > 0) this.#schedule(state);
      else this.#releaseIfIdle(state);
    }
    turn.finish();
  }

  /** The next turn's messages: the head, plus (collect) the following ones for the same target. */
  #takeBatch(state: SessionState<T>): Entry<T>[] {
    const queue = state.queue;
    const head = queue[0]!;
    if (head.item.mode !== 'collect') {
      queue.shift();
      return [head];
    }
    let count = 1;
    while (count < queue.length) {
      const next = queue[count]!;
      if (
        next.item.mode !== 'collect' ||
        next.targetKey !== head.targetKey ||
        next.item.lane !== head.item.lane
      )
        break;
      count++;
    }
    return queue.splice(0, count);
  }

  #releaseIfIdle(state: SessionState<T>): void {
    if (state.running !== undefined || state.scheduled || state.queue.length > 0) return;
    if (this.#sessions.get(state.key) === state) this.#sessions.delete(state.key);
    if (this.#sessions.size === 0) this.#notifyIdle();
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Create per-session queues (see {@link SessionQueues} and `docs/queue-modes.md`).
 *
 * @example
 * const queues = createSessionQueues<InboundMessage>({
 *   run: async (turn) => handleTurn(turn),      // one turn at a time per session
 *   defaults: { mode: 'followup', cap: 20, drop: 'summarize' },
 *   concurrency: { main: 8, background: 4 },
 * });
 * queues.enqueue({ sessionKey, target: replyTargetOf(message), payload: message }, { mode: entry?.queueMode });
 *
 * @throws {ConfigError} when the options are invalid (every problem listed by path).
 */
export function createSessionQueues<T>(options: SessionQueuesOptions<T>): SessionQueues<T> {
  return new Queues(options);
}
