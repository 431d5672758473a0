import type { Clock } from '../gateway/types.js';

/**
 * A clock that only moves when told to: `now()` is fixed until `advance`/`set`, and `sleep(ms)`
 * resolves once the clock has been moved past its wake-up time. Give it to `createClaw` (or use
 * `createTestClaw`, which drives it) so retries, timeouts and expiry are tested without waiting.
 */
export interface ManualClock extends Clock {
  /** The current time, in ms since the epoch. */
  now(): number;
  /** Resolves when the clock reaches `now() + ms`; rejects early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Move the clock forward by `ms` and wake every sleep that is due, in wake-up order. */
  advance(ms: number): void;
  /** Move the clock to `time` (never backwards) and wake every sleep that is due. */
  set(time: number): void;
  /** Move the clock to the earliest pending sleep and wake it. Returns false when nothing sleeps. */
  advanceToNextSleep(): boolean;
  /** How many sleeps are pending. */
  readonly pendingSleeps: number;
}

interface Sleeper {
  readonly wakeAt: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly cleanup: () => void;
}

/** Default start: 2023-11-14T22:13:20Z (the test channel's default start as well). */
const DEFAULT_START = 1_700_000_000_000;

/**
 * Create a {@link ManualClock} starting at `start` (ms since the epoch).
 * @throws {TypeError} when `start` is not a finite number.
 */
export function createManualClock(start: number = DEFAULT_START): ManualClock {
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    throw new TypeError(
      `createManualClock(start): start must be a finite number of ms, got ${String(start)}`,
    );
  }
  let time = start;
  let seq = 0;
  let sleepers: Sleeper[] = [];

  const wakeDue = (): void => {
    const due = sleepers.filter((s) => s.wakeAt <= time);
    if (due.length === 0) return;
    sleepers = sleepers.filter((s) => s.wakeAt > time);
    due.sort((a, b) => a.wakeAt - b.wakeAt || a.seq - b.seq);
    for (const sleeper of due) {
      sleeper.cleanup();
      sleeper.resolve();
    }
  };

  const set = (next: number): void => {
    if (typeof next !== 'number' || Number.isNaN(next)) {
      throw new TypeError(`ManualClock: the time must be a number of ms, got ${String(next)}`);
    }
    time = Math.max(time, next);
    wakeDue();
  };

  return {
    now: () => time,
    sleep(ms, signal) {
      if (typeof ms !== 'number' || Number.isNaN(ms)) {
        return Promise.reject(new TypeError(`ManualClock.sleep(ms): ms must be a number, got ${String(ms)}`));
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(signal?.reason);
        };
        const sleeper: Sleeper = {
          wakeAt: time + ms,
          seq: seq++,
          resolve,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    advance(ms) {
      if (typeof ms !== 'number' || !(ms >= 0)) {
        throw new TypeError(`ManualClock.advance(ms): ms must be a number ≥ 0, got ${String(ms)}`);
      }
      set(time + ms);
    },
    set,
    advanceToNextSleep() {
      if (sleepers.length === 0) return false;
      set(Math.min(...sleepers.map((s) => s.wakeAt)));
      return true;
    },
    get pendingSleeps() {
      return sleepers.length;
    },
  };
}
