import type { ReplyTarget } from '@claw/channel-kit';
import type { Entry } from './entry.js';
import { Inbox } from './steer-inbox.js';
import type { QueueItem, QueueLane, QueueMode, SessionTurn, SteerInbox } from './types.js';

/**
 * A running turn as the queue tracks it and as the handler sees it. The abort controller and the
 * steer inbox are created on first use: a turn nobody interrupts or steers costs neither (an
 * `AbortController` is one of the more expensive objects Node makes).
 */
export class Turn<T> implements SessionTurn<T> {
  readonly id: string;
  readonly sessionKey: string;
  readonly lane: QueueLane;
  readonly mode: QueueMode;
  readonly target: ReplyTarget;
  readonly items: readonly QueueItem<T>[];
  readonly overflow?: { readonly dropped: number; readonly summaries: readonly string[] };
  readonly #first: Entry<T>;
  #controller: AbortController | undefined;
  #inbox: Inbox<T> | undefined;
  readonly #onTaken: (count: number) => void;
  #inboxClosed = false;
  #finished = false;
  #finishWaiters: (() => void)[] | undefined;

  constructor(
    init: {
      readonly sessionKey: string;
      readonly batch: readonly Entry<T>[];
      readonly overflow: { readonly dropped: number; readonly summaries: readonly string[] } | undefined;
    },
    onTaken: (count: number) => void,
  ) {
    const first = init.batch[0]!;
    const last = init.batch[init.batch.length - 1]!;
    this.id = first.item.id;
    this.sessionKey = init.sessionKey;
    this.lane = first.item.lane;
    this.mode = first.item.mode;
    // The newest message's target: the same conversation as the others, replying to the latest.
    this.target = last.item.target;
    this.items = init.batch.length === 1 ? [first.item] : init.batch.map((e) => e.item);
    if (init.overflow !== undefined) this.overflow = init.overflow;
    this.#first = first;
    this.#onTaken = onTaken;
  }

  /** The conversation key of the turn's messages (steered messages must share it). */
  get targetKey(): string {
    return this.#first.targetKey;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  get steer(): SteerInbox<T> {
    return this.inbox;
  }

  /** The steer inbox (created on first use). */
  get inbox(): Inbox<T> {
    if (this.#inbox === undefined) {
      this.#inbox = new Inbox<T>(this.id, this.#onTaken);
      if (this.#inboxClosed) this.#inbox.close();
    }
    return this.#inbox;
  }

  /** True once aborted (without creating a controller just to ask). */
  get aborted(): boolean {
    return this.#controller?.signal.aborted ?? false;
  }

  /** Abort the turn's signal with `reason`. */
  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }

  /** Close the steer inbox: the entries nobody took. */
  closeInbox(): Entry<T>[] {
    this.#inboxClosed = true;
    return this.#inbox?.close() ?? [];
  }

  /** Whether the inbox can still take messages. */
  get accepting(): boolean {
    return !this.#inboxClosed;
  }

  /** How many messages wait in the inbox. */
  get steered(): number {
    return this.#inbox?.size ?? 0;
  }

  /** Mark the turn and its bookkeeping done. */
  finish(): void {
    this.#finished = true;
    const waiters = this.#finishWaiters;
    this.#finishWaiters = undefined;
    if (waiters !== undefined) for (const resolve of waiters) resolve();
  }

  /** Resolves once `finish()` was called. */
  whenFinished(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    return new Promise((resolve) => {
      this.#finishWaiters ??= [];
      this.#finishWaiters.push(resolve);
    });
  }
}
