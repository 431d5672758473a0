import type { Entry } from './entry.js';
import type { QueueItem, SteerInbox } from './types.js';

/**
 * The steer inbox of one running turn. `close()` is called when the turn ends: it hands back what
 * was never taken (to run as follow-ups) and ends any pending iteration.
 */
export class Inbox<T> implements SteerInbox<T> {
  #entries: Entry<T>[] = [];
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #turnId: string;
  readonly #onTaken: (count: number) => void;

  constructor(turnId: string, onTaken: (count: number) => void) {
    this.#turnId = turnId;
    this.#onTaken = onTaken;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** True once the turn ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Hand a message to the turn. */
  push(entry: Entry<T>): void {
    this.#entries.push(entry);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  take(): QueueItem<T>[] {
    return this.#takeUpTo(this.#entries.length);
  }

  #takeUpTo(count: number): QueueItem<T>[] {
    if (count === 0) return [];
    const taken = this.#entries.splice(0, count);
    for (const entry of taken) entry.settle({ status: 'steered', turnId: this.#turnId });
    this.#onTaken(taken.length);
    return taken.map((e) => e.item);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<QueueItem<T>> {
    for (;;) {
      if (this.#entries.length > 0) {
        yield this.#takeUpTo(1)[0]!;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** End the inbox: returns the entries nobody took, in order. */
  close(): Entry<T>[] {
    this.#closed = true;
    const left = this.#entries;
    this.#entries = [];
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    return left;
  }
}
