import type { InboundMessage, ReplyTarget } from '@claw/channel-kit';
import {
  createTestChannel,
  type SentMessage,
  type TargetFilter,
  type TestChannel,
} from '@claw/channel-kit/testing';
import type { BotIdentity } from '../access/types.js';
import type { AgentHandler } from '../agents/types.js';
import type { ClawEventMap, ClawEventName } from '../events/types.js';
import type { ClawConfig } from '../gateway/config.js';
import { createClaw } from '../gateway/create-claw.js';
import type { ClawLogger } from '../gateway/logger.js';
import type { Claw, ReceiveReceipt, TurnOutcome } from '../gateway/types.js';
import { createMemoryStores } from '../stores/memory-stores.js';
import type { ClawStores } from '../stores/types.js';
import { createManualClock, type ManualClock } from './manual-clock.js';

/** Options of {@link createTestClaw}. Everything is optional. */
export interface TestClawOptions {
  /**
   * The config. Default: every test channel open to everyone in DMs and groups
   * (`dmPolicy: 'open'`, `allowFrom: ['*']`, `groupPolicy: 'open'`; groups still need a mention),
   * and no background sweeper (`gateway.background.sweepIntervalMs: 0`) unless you set one.
   */
  readonly config?: ClawConfig;
  /** The agents. Default: `{ main }` answering every message with its own text (an echo). */
  readonly agents?: Readonly<Record<string, AgentHandler>>;
  /** The channels. Default: one `createTestChannel()` (id `test`) on the test clock. */
  readonly channels?: TestChannel | readonly TestChannel[];
  /** The stores. Default: `createMemoryStores()`. */
  readonly stores?: ClawStores;
  /** The clock. Default: a `createManualClock()`, driven by `send` and `idle`. */
  readonly clock?: ManualClock;
  /** The logger. Default: silent. */
  readonly logger?: ClawLogger;
  /** The bot identities per channel. */
  readonly bots?: Readonly<Record<string, BotIdentity>>;
}

/** What {@link TestClaw.send} resolves with. */
export interface TestSendResult {
  /** What `receive` returned. */
  readonly receipt: ReceiveReceipt;
  /** The outcome of every turn the message was queued for (empty when not dispatched). */
  readonly outcomes: readonly TurnOutcome[];
}

/** One recorded event. */
export interface RecordedEvent<K extends ClawEventName = ClawEventName> {
  /** The event's name. */
  readonly event: K;
  /** What it carried. */
  readonly payload: ClawEventMap[K];
}

/**
 * A gateway on test channels, memory stores and a manual clock, with helpers. It is a
 * {@link Claw} (every member works), plus:
 */
export interface TestClaw extends Claw {
  /**
   * The gateway itself. Its `stop()` and `idle()` do not move the clock (the test claw's do), for
   * tests that control time themselves.
   */
  readonly claw: Claw;
  /** The first test channel (`test` by default). */
  readonly channel: TestChannel;
  /** Every test channel. */
  readonly testChannels: readonly TestChannel[];
  /** The manual clock the gateway runs on. */
  readonly clock: ManualClock;
  /**
   * `receive` a message, then wait for its turns to end and for the gateway to be idle (replies
   * delivered, background runs finished and announced), moving the clock through retries and
   * pauses whenever nothing else can happen.
   */
  send(message: unknown): Promise<TestSendResult>;
  /**
   * Wait until nothing is queued, running, being delivered or running in the background, moving
   * the clock to the next pending wait whenever everything else is waiting.
   */
  idle(): Promise<void>;
  /**
   * Wait for `promise` like `idle` does: moving the clock whenever nothing else can happen.
   * @throws {Error} when it cannot settle (it waits on something outside the gateway).
   */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Messages posted on every test channel, optionally only those to a conversation. */
  replies(filter?: TargetFilter | ReplyTarget | InboundMessage): SentMessage[];
  /** Events emitted so far, in order (all of them, or those named `event`). */
  events<K extends ClawEventName>(event: K): ClawEventMap[K][];
  /** Every event emitted so far, in order. */
  readonly recorded: readonly RecordedEvent[];
}

const EVENT_NAMES: readonly ClawEventName[] = [
  'inbound',
  'decision',
  'turn:start',
  'turn:end',
  'reply:sent',
  'reply:failed',
  'binding:bound',
  'binding:unbound',
  'binding:expired',
  'background:accepted',
  'background:started',
  'background:finished',
  'background:announced',
  'background:failed',
  'message:unprocessed',
  'error',
];

/** Rounds of the event loop a settle waits for progress before moving the clock. */
const QUIET_ROUNDS = 4;
/** Clock moves a settle makes before it gives up. */
const MAX_ADVANCES = 10_000;
/** Polls (1 ms apart) a settle makes while nothing sleeps on the clock, before it gives up. */
const MAX_IDLE_POLLS = 5000;

const nextRound = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

function defaultConfig(channelIds: readonly string[]): ClawConfig {
  return {
    channels: Object.fromEntries(
      channelIds.map((id) => [id, { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' }]),
    ),
    gateway: { background: { sweepIntervalMs: 0 } },
  };
}

/** The config with the test default of no background sweeper (a periodic wait a test clock would chase). */
function withoutSweeper(config: ClawConfig): ClawConfig {
  if (config.gateway?.background?.sweepIntervalMs !== undefined) return config;
  return {
    ...config,
    gateway: { ...config.gateway, background: { ...config.gateway?.background, sweepIntervalMs: 0 } },
  };
}

const echo: AgentHandler = (ctx) => ctx.messages.at(-1)?.text;

/**
 * A gateway for unit tests: `createClaw` on test channels (`createTestChannel()` by default),
 * memory stores and a manual clock, with helpers to send a message and wait for its answer,
 * wait for everything to settle, and read the replies and events.
 *
 * @example
 * const t = createTestClaw({ agents: { main: (ctx) => `you said: ${ctx.messages[0]!.text}` } });
 * await t.send(t.channel.dm('hello'));
 * expect(t.replies().map((r) => r.message.text)).toEqual(['you said: hello']);
 *
 * @throws {ConfigError} like `createClaw`.
 */
export function createTestClaw(options: TestClawOptions = {}): TestClaw {
  const clock = options.clock ?? createManualClock();
  const testChannels: readonly TestChannel[] =
    options.channels === undefined
      ? [createTestChannel({}, { now: () => clock.now() })]
      : Array.isArray(options.channels)
        ? (options.channels as readonly TestChannel[])
        : [options.channels as TestChannel];
  if (testChannels.length === 0) throw new TypeError('createTestClaw: give at least one test channel');
  const claw = createClaw({
    config:
      options.config === undefined
        ? defaultConfig(testChannels.map((c) => c.id))
        : withoutSweeper(options.config),
    channels: testChannels,
    agents: options.agents ?? { main: echo },
    stores: options.stores ?? createMemoryStores(),
    clock,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.bots === undefined ? {} : { bots: options.bots }),
  });

  const recorded: RecordedEvent[] = [];
  for (const event of EVENT_NAMES) {
    claw.on(event, (payload) => recorded.push({ event, payload } as RecordedEvent));
  }

  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    promise.then(
      (value) => {
        outcome = { ok: true, value };
      },
      (error: unknown) => {
        outcome = { ok: false, error };
      },
    );
    for (let advances = 0, polls = 0; ; ) {
      for (let round = 0; round < QUIET_ROUNDS && outcome === undefined; round++) await nextRound();
      if (outcome !== undefined) break;
      // Everything that can run has run: the rest waits for the clock (a retry, a timeout …).
      if (clock.advanceToNextSleep()) {
        polls = 0;
        if (++advances > MAX_ADVANCES) {
          throw new Error(`TestClaw: gave up after moving the clock ${MAX_ADVANCES} times without settling.`);
        }
      } else {
        // Nothing sleeps: real I/O (file stores) or something outside the gateway is pending.
        if (++polls > MAX_IDLE_POLLS) {
          throw new Error(
            'TestClaw: still waiting with nothing scheduled on the test clock; the awaited work depends on ' +
              'something outside the gateway (an unresolved promise in a handler?).',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  };

  const idle = (): Promise<void> => settle(claw.idle());

  return {
    receive: (message) => claw.receive(message),
    start: () => claw.start(),
    // Driven like `idle`: a stop timeout elapses on the test clock once everything else waits.
    stop: (stopOptions) => settle(claw.stop(stopOptions)),
    on: (event, listener) => claw.on(event, listener),
    once: (event, listener) => claw.once(event, listener),
    off: (event, listener) => claw.off(event, listener),
    runs: claw.runs,
    bindings: claw.bindings,
    pairing: claw.pairing,
    router: claw.router,
    access: claw.access,
    stores: claw.stores,
    channels: claw.channels,
    get state() {
      return claw.state;
    },
    claw,
    channel: testChannels[0]!,
    testChannels,
    clock,
    async send(message) {
      const receipt = await settle(claw.receive(message));
      const outcomes = await settle(receipt.done);
      // Replies outside turns (pairing codes, command answers) and the background runs the turn
      // started are part of "the answer" too.
      await idle();
      return { receipt, outcomes };
    },
    idle,
    settle,
    replies: (filter) => testChannels.flatMap((c) => (filter === undefined ? [...c.sent] : c.sentTo(filter))),
    events: <K extends ClawEventName>(event: K) =>
      recorded.filter((r) => r.event === event).map((r) => r.payload as ClawEventMap[K]),
    recorded,
  };
}
