import type { ChannelAdapter, InboundMessage } from '@claw/channel-kit';
import type { AccessConfig } from '../access/config.js';
import type { AccessDecision, BotIdentity } from '../access/types.js';
import type { AgentHandler } from '../agents/types.js';
import type { BackgroundRuns } from '../background/types.js';
import type { ConversationBindings } from '../bindings/index.js';
import type { ChannelRegistry } from '../dispatch/channels.js';
import type { Listener } from '../events/event-bus.js';
import type { ClawEventMap } from '../events/types.js';
import type { Pairing } from '../pairing/index.js';
import type { Router } from '../routing/types.js';
import type { ClawStores } from '../stores/types.js';
import type { ClawConfig } from './config.js';
import type { ClawLogger } from './logger.js';

/**
 * The gateway's sense of time. `now` stamps everything (turn durations, transcript entries, reply
 * ages, binding and dedupe expiry); `sleep`, when given, is used for every wait (send retries,
 * block-streaming pauses, the stop timeout), so a test clock can make them instant.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Wait `ms`, rejecting early when `signal` aborts. Default: a real (unref'd) timer. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Options of `createClaw`. */
export interface ClawOptions {
  /** The config: routing, access rules and gateway settings (see {@link ClawConfig}). Default `{}`. */
  readonly config?: ClawConfig;
  /**
   * The channel adapters (a list, a record or a map by channel id). Each is checked with
   * `defineChannel`. A channel referenced only by bindings needs none; a message from a channel
   * without an adapter is refused by `receive`.
   */
  readonly channels?: ChannelRegistry;
  /**
   * One handler per agent id: every agent of `config.agents.list` (or `main` when there is no
   * list) needs one, and every handler needs an agent.
   */
  readonly agents: Readonly<Record<string, AgentHandler>>;
  /** Where state lives. Default `createMemoryStores()`. */
  readonly stores?: ClawStores;
  /** Time source. Default: `Date.now` and real timers. */
  readonly clock?: Clock;
  /** Where the gateway logs. Default: silent. */
  readonly logger?: ClawLogger;
  /**
   * The bot's own identity per channel id (its user id, username, phone number): used for
   * `@username` mentions, replies to the bot and self-chat. Channels with native mentions work
   * without it.
   */
  readonly bots?: Readonly<Record<string, BotIdentity>>;
}

/**
 * What `receive` did with a message.
 * - `dispatched`: admitted and queued for a turn (or, in `steer` mode, handed to the running one).
 * - `skipped`: kept as group context (no mention); the next dispatched turn sees it.
 * - `dropped`: ignored (own or bot message, not allowed, queue full …). No reply.
 * - `pairing`: an unknown DM sender under `dmPolicy: "pairing"`; a pairing code was sent when new.
 * - `duplicate`: a redelivery of a message already received (same channel, account, message id).
 * - `command`: handled by the gateway itself (an owner's `/activation`), answered without a turn.
 */
export type ReceiptStatus = 'dispatched' | 'skipped' | 'dropped' | 'pairing' | 'duplicate' | 'command';

/** One turn a message was queued for (several for a broadcast group). */
export interface TurnRef {
  /** The session. */
  readonly sessionKey: string;
  /** The agent. */
  readonly agentId: string;
  /**
   * The message's queue id: the id of the turn that runs it — unless the message was steered
   * into a running turn or merged by `collect`, then the outcome's `handledBy` names that turn.
   */
  readonly turnId: string;
}

/** What became of a message queued for a turn. */
export interface TurnOutcome extends TurnRef {
  /**
   * - `completed` / `failed` / `aborted`: the turn that handled it ended that way.
   * - `steered`: a running turn took it from its steer inbox.
   * - `dropped`: removed by the queue cap (`reason: 'cap'`) or by an interrupt (`'interrupted'`).
   * - `stopped`: still waiting when the gateway stopped (it is in `stop()`'s report).
   */
  readonly status: 'completed' | 'failed' | 'aborted' | 'steered' | 'dropped' | 'stopped';
  /** The turn that handled it (differs from `turnId` when it was steered or collected). */
  readonly handledBy?: string;
  /** Why it was dropped. */
  readonly reason?: 'cap' | 'interrupted';
}

/** The receipt of `receive`: the decision, and for dispatched messages the turn(s). */
export interface ReceiveReceipt {
  /** What happened. */
  readonly status: ReceiptStatus;
  /**
   * Why, as a stable code: the access reason (`mentioned`, `no_mention`, `dm_policy_pairing_required` …),
   * or `duplicate`, or `queue_full` (the queue refused it, drop policy `new`), or `activation_set`.
   */
  readonly reason: string;
  /** The message's platform id. */
  readonly messageId: string;
  /** Its channel. */
  readonly channel: string;
  /** The account that received it. */
  readonly accountId: string;
  /** The access decision (absent for duplicates, own and bot messages dropped before it). */
  readonly decision?: AccessDecision;
  /** The session it went to (the first one for a broadcast). */
  readonly sessionKey?: string;
  /** The agent (the first one for a broadcast). */
  readonly agentId?: string;
  /** The turn id (the first one for a broadcast). */
  readonly turnId?: string;
  /** The conversation binding that routed it, when one did. */
  readonly bindingId?: string;
  /** Every turn it was queued for: one, several for a broadcast group, none when not dispatched. */
  readonly turns: readonly TurnRef[];
  /**
   * Resolves (never rejects) when every turn the message was queued for has ended, with one
   * outcome per turn (an empty list when it was not dispatched).
   */
  readonly done: Promise<readonly TurnOutcome[]>;
}

/** A message that was received and queued but never ran, reported by `stop()`. */
export interface UnprocessedMessage {
  /** The message. */
  readonly message: InboundMessage;
  /** Its session. */
  readonly sessionKey: string;
  /** Its agent. */
  readonly agentId: string;
  /** The turn id it had. */
  readonly turnId: string;
}

/** What `stop()` reports. */
export interface ClawStopReport {
  /**
   * Messages queued that never ran (their dedupe claims were released, so a platform
   * redelivery after a restart runs them). Also emitted one by one as `message:unprocessed`.
   */
  readonly unprocessed: readonly UnprocessedMessage[];
  /** Turns that outlived the timeout and were aborted. */
  readonly aborted: readonly string[];
}

/** Lifecycle of a gateway. */
export type ClawState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Host controls over background runs (`claw.runs`). */
export type ClawRuns = Pick<BackgroundRuns, 'list' | 'get' | 'cancel'>;

/**
 * The gateway: receives messages, decides, routes, queues turns, runs agents and delivers their
 * replies to where each message came from.
 */
export interface Claw {
  /**
   * Run a message through the pipeline. Resolves once the message is decided and queued — not
   * when it is answered (`receipt.done` is for that).
   * @throws {InvalidMessageError} (rejection) when the message is malformed; nothing else happens.
   * @throws {UnknownChannelError} (rejection) when no adapter serves the message's channel.
   * @throws {ClawStoppedError} (rejection) once `stop()` was called.
   */
  receive(message: unknown): Promise<ReceiveReceipt>;
  /**
   * Deliver what a previous process left in the outbox, recover background runs, then start the
   * adapters that receive by themselves (`start({ receive, signal })`). Idempotent.
   */
  start(): Promise<void>;
  /**
   * Stop accepting, stop the adapters, let running turns finish for up to `timeoutMs` (default
   * `gateway.stopTimeoutMs`), then abort them. Resolves with what never ran. Idempotent.
   */
  stop(options?: { readonly timeoutMs?: number }): Promise<ClawStopReport>;
  /** Resolves when nothing is queued, running, being delivered or running in the background. */
  idle(): Promise<void>;
  /** Listen to an event; returns the function that removes the listener. */
  on<K extends keyof ClawEventMap>(event: K, listener: Listener<ClawEventMap[K]>): () => void;
  /** Listen to the next occurrence of an event. */
  once<K extends keyof ClawEventMap>(event: K, listener: Listener<ClawEventMap[K]>): () => void;
  /** Remove a listener. */
  off<K extends keyof ClawEventMap>(event: K, listener: Listener<ClawEventMap[K]>): void;
  /** Background runs: list, inspect, cancel. */
  readonly runs: ClawRuns;
  /** Conversation bindings (bind a thread or the current conversation to a session). */
  readonly bindings: ConversationBindings;
  /** DM pairing (approve codes, list pending requests). */
  readonly pairing: Pairing;
  /** The compiled router (`resolve`, `explain`). */
  readonly router: Router;
  /** The compiled access rules (for `decideAccess`, `resolveToolPolicy`). */
  readonly access: AccessConfig;
  /** The stores in use. */
  readonly stores: ClawStores;
  /** The channel adapters, by channel id (as checked by `defineChannel`). */
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  /** Where the gateway is in its lifecycle. */
  readonly state: ClawState;
}
