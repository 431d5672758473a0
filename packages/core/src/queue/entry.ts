import { conversationKeyOf } from '../dispatch/target-key.js';
import type { MessageOutcome, QueueItem } from './types.js';

/**
 * A queued message and its fate. The conversation key and the `settled` promise are made only
 * when someone needs them: most messages never have their outcome awaited nor their target
 * compared, and at tens of thousands of messages a second the allocations would show.
 */
export class Entry<T> {
  readonly item: QueueItem<T>;
  #targetKey: string | undefined;
  #outcome: MessageOutcome | undefined;
  #promise: Promise<MessageOutcome> | undefined;
  #resolve: ((outcome: MessageOutcome) => void) | undefined;

  constructor(item: QueueItem<T>) {
    this.item = item;
  }

  /** The conversation the message is answered in (its target without `replyToMessageId`). */
  get targetKey(): string {
    this.#targetKey ??= conversationKeyOf(this.item.target);
    return this.#targetKey;
  }

  /** Record what became of the message (the first call wins). */
  settle(outcome: MessageOutcome): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    this.#resolve?.(outcome);
    this.#resolve = undefined;
  }

  /** Resolves with the outcome. */
  get settled(): Promise<MessageOutcome> {
    if (this.#promise === undefined) {
      const outcome = this.#outcome;
      this.#promise =
        outcome !== undefined
          ? Promise.resolve(outcome)
          : new Promise((resolve) => {
              this.#resolve = resolve;
            });
    }
    return this.#promise;
  }
}
