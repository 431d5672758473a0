import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.js';

describe('the manual clock', () => {
  it('stands still until moved, and wakes sleeps in wake-up order once they are due', async () => {
    const clock = createManualClock(1000);
    const woken: string[] = [];
    const late = clock.sleep(500).then(() => woken.push('late'));
    const early = clock.sleep(100).then(() => woken.push('early'));
    expect(clock.now()).toBe(1000);
    clock.advance(99);
    await Promise.resolve();
    expect(woken).toEqual([]);
    clock.advance(1000);
    await Promise.all([late, early]);
    expect(woken).toEqual(['early', 'late']);
    expect(clock.now()).toBe(2099);
  });

  it('moves to the earliest pending sleep on request', async () => {
    const clock = createManualClock(0);
    expect(clock.advanceToNextSleep()).toBe(false);
    const sleeping = clock.sleep(250);
    void clock.sleep(900);
    expect(clock.advanceToNextSleep()).toBe(true);
    await sleeping;
    expect(clock.now()).toBe(250);
    expect(clock.pendingSleeps).toBe(1);
  });

  it('rejects and forgets a sleep whose signal aborts', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('never goes backwards and validates its input', () => {
    const clock = createManualClock(500);
    clock.set(100);
    expect(clock.now()).toBe(500);
    expect(() => clock.advance(-1)).toThrow(TypeError);
    expect(() => createManualClock(Number.NaN)).toThrow(TypeError);
  });
});
