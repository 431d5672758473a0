// Test helpers for the background-runs tests (not exported from the package).
import type { ReplyTarget } from '@claw/channel-kit';
import { createTestChannel, type TestChannel } from '@claw/channel-kit/testing';
import { createReplyDispatcher } from '../dispatch/index.js';
import type { ReplyDispatcher } from '../dispatch/types.js';
import { createEventBus, type EventBus } from '../events/index.js';
import type { ClawEventMap } from '../events/types.js';
import { createMemoryStores } from '../stores/index.js';
import type { ClawStores } from '../stores/types.js';
import type { ToolPolicy } from '../tool-policy/index.js';
import { createBackgroundRuns } from './manager.js';
import type {
  BackgroundRuns,
  BackgroundRunsConfig,
  BackgroundRunsOptions,
  RunChild,
  RunChildInput,
  SpawnParent,
} from './types.js';

/** A clock whose timers fire only when the test advances it. */
export interface FakeClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Move time forward, firing due timers in order and letting their continuations run. */
  advance(ms: number): Promise<void>;
  /** Timers waiting to fire. */
  readonly pending: number;
}

/** Let every queued promise continuation run (several macrotask turns). */
export async function flush(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let current = start;
  let seq = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  return {
    now: () => current,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = {
          at: current + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
      });
    },
    async advance(ms) {
      const until = current + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (next === undefined || next.at > until) break;
        timers.shift();
        current = Math.max(current, next.at);
        next.fire();
        await flush();
      }
      current = until;
      await flush();
    },
    get pending() {
      return timers.length;
    },
  };
}

/** One call of the fake `runChild`, settled by the test. */
export interface ChildCall {
  readonly input: RunChildInput;
  resolve(text: string): void;
  reject(error: unknown): void;
}

/** A `runChild` whose calls the test settles one by one. */
export function controllableChildren(): { runChild: RunChild; calls: ChildCall[] } {
  const calls: ChildCall[] = [];
  const runChild: RunChild = (input) =>
    new Promise((resolve, reject) => {
      calls.push({ input, resolve: (text) => resolve({ text }), reject });
    });
  return { runChild, calls };
}

export const groupTarget = (peerId = 'dev-team', threadId?: string): ReplyTarget => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'group', id: peerId },
  ...(threadId === undefined ? {} : { threadId }),
});

export const dmTarget = (peerId = 'u1'): ReplyTarget => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'direct', id: peerId },
});

let turnCounter = 0;

/** A parent turn context for `target` (session key derived from the target). */
export function parentFor(
  target: ReplyTarget,
  overrides: Partial<SpawnParent> & { toolPolicy?: ToolPolicy } = {},
): SpawnParent {
  const conversation =
    target.peer.kind === 'direct'
      ? `test:direct:${target.peer.id}`
      : `test:group:${target.peer.id}${target.threadId === undefined ? '' : `:thread:${target.threadId}`}`;
  return {
    sessionKey: `agent:main:${conversation}`,
    agentId: 'main',
    turnId: `turn-${++turnCounter}`,
    target,
    ...overrides,
  };
}

/** Everything a background-runs test needs, wired like the gateway wires it. */
export interface Harness {
  readonly clock: FakeClock;
  readonly channel: TestChannel;
  readonly stores: ClawStores;
  readonly bus: EventBus;
  readonly dispatcher: ReplyDispatcher;
  readonly calls: ChildCall[];
  readonly manager: BackgroundRuns;
  /** `background:*` events in order. */
  readonly events: { readonly name: string; readonly payload: ClawEventMap['background:accepted'] }[];
  /** Emit `turn:end` for a parent turn (its reply has been handed to the dispatcher). */
  endTurn(parent: SpawnParent): void;
}

export interface HarnessOptions {
  readonly config?: BackgroundRunsConfig;
  readonly stores?: ClawStores;
  readonly runChild?: RunChild;
  readonly clock?: FakeClock;
  readonly channel?: TestChannel;
  /** Without `on`: announces do not wait for the parent turn. */
  readonly holdForTurns?: boolean;
  readonly extra?: Partial<BackgroundRunsOptions>;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const clock = options.clock ?? createFakeClock();
  const channel = options.channel ?? createTestChannel();
  const stores = options.stores ?? createMemoryStores();
  const bus = createEventBus();
  const dispatcher = createReplyDispatcher({
    channels: [channel],
    outbox: stores.outbox,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    maxAgeMs: Number.POSITIVE_INFINITY,
    onEvent: bus.emit,
  });
  const children = controllableChildren();
  const events: Harness['events'] = [];
  for (const name of [
    'background:accepted',
    'background:started',
    'background:finished',
    'background:announced',
    'background:failed',
  ] as const) {
    bus.on(name, (payload) => events.push({ name, payload }));
  }
  const manager = createBackgroundRuns({
    stores,
    dispatcher,
    runChild: options.runChild ?? children.runChild,
    events: options.holdForTurns === false ? { emit: bus.emit } : bus,
    clock,
    ...(options.config === undefined ? {} : { config: options.config }),
    ...options.extra,
  });
  return {
    clock,
    channel,
    stores,
    bus,
    dispatcher,
    calls: children.calls,
    manager,
    events,
    endTurn(parent) {
      bus.emit('turn:end', {
        sessionKey: parent.sessionKey,
        agentId: parent.agentId,
        turnId: parent.turnId,
        messageId: `m-${parent.turnId}`,
        messageIds: [`m-${parent.turnId}`],
        target: parent.target,
        status: 'completed',
        durationMs: 1,
      });
    },
  };
}
