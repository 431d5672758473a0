import type { EventSink } from '../events/types.js';
import type { ClawStores } from '../stores/types.js';

/** Prune at most this often (driven by traffic, not by a timer). */
export const HOUSEKEEPING_INTERVAL_MS = 60_000;

/**
 * Housekeeping without timers. The outbox keeps every sent part (that is what makes a retry or a
 * restart skip it) and the dedupe store every claim; both are pruned as traffic flows, at most
 * once a minute — an idle gateway has nothing new to prune, and no timer keeps a process (or a
 * test clock) busy. Confirmed and failed parts are kept for `retentionMs`: twice as long as a part
 * may still be delivered, after which any retry of one would be dropped as stale anyway.
 * Returns the function to call with the time of each message. @internal
 */
export function createHousekeeping(deps: {
  readonly stores: Pick<ClawStores, 'outbox' | 'dedupe'>;
  readonly now: () => number;
  readonly retentionMs: number;
  readonly emit: EventSink<'error'>;
}): (at: number) => void {
  let last = deps.now();
  const prune = async (at: number): Promise<void> => {
    try {
      await deps.stores.outbox.prune(at - deps.retentionMs);
      await deps.stores.dedupe.prune(at);
    } catch (error) {
      deps.emit('error', { error, source: 'store' });
    }
  };
  return (at) => {
    if (at - last < HOUSEKEEPING_INTERVAL_MS) return;
    last = at;
    void prune(at);
  };
}
