import type { InboundMessage, ReplyTarget } from '@claw/channel-kit';
import type { ConversationBinding, RunRecord } from '../stores/types.js';

/**
 * The ids that trace one message end to end. Every event carries the ones that are known at that
 * point (an `inbound` event has no session yet; a `turn:*` event has all of them).
 */
export interface TraceIds {
  /** Session the message was routed to. */
  readonly sessionKey?: string;
  /** Agent that handles it. */
  readonly agentId?: string;
  /** Turn that handles it. */
  readonly turnId?: string;
  /** Platform id of the inbound message. */
  readonly messageId?: string;
}

/** A message reached the gateway (after validation, before any decision). */
export interface InboundEvent extends TraceIds {
  readonly messageId: string;
  /** Channel it came from. */
  readonly channel: string;
  /** Account that received it. */
  readonly accountId: string;
  /** The message itself. */
  readonly message: InboundMessage;
}

/**
 * What the gateway decided to do with a message.
 * - `dispatch`: admitted and queued for a turn.
 * - `skip`: kept as group history (no mention), no turn.
 * - `drop`: ignored (own message, not allowed, disabled …).
 * - `pairing`: the sender got a pairing challenge.
 * - `duplicate`: a redelivery of a message already claimed.
 */
export type DecisionAction = 'dispatch' | 'skip' | 'drop' | 'pairing' | 'duplicate';

/** The decision for one inbound message. */
export interface DecisionEvent extends TraceIds {
  readonly messageId: string;
  /** Channel it came from. */
  readonly channel: string;
  /** Account that received it. */
  readonly accountId: string;
  /** What happens to it. */
  readonly action: DecisionAction;
  /** Machine-readable reason (the access or routing reason code). */
  readonly reason: string;
  /** The binding that overrode routing, when one did. */
  readonly bindingId?: string;
  /** The full decision object (access decision, route), for logging. */
  readonly detail?: unknown;
}

/** A turn started. */
export interface TurnStartEvent extends TraceIds {
  readonly sessionKey: string;
  readonly agentId: string;
  readonly turnId: string;
  /** The first message of the turn. */
  readonly messageId: string;
  /** Every message the turn handles (several in `collect` mode). */
  readonly messageIds: readonly string[];
  /** Where its replies go. */
  readonly target: ReplyTarget;
}

/** How a turn ended. */
export type TurnStatus = 'completed' | 'failed' | 'aborted';

/** A turn ended. */
export interface TurnEndEvent extends TurnStartEvent {
  /** `completed`, `failed` (the handler threw) or `aborted` (interrupted or stopped). */
  readonly status: TurnStatus;
  /** How long it ran, in ms (from the injected clock). */
  readonly durationMs: number;
  /** What the handler threw, when it failed. */
  readonly error?: unknown;
}

/** One outbound part was confirmed by the platform. */
export interface ReplySentEvent extends TraceIds {
  readonly turnId: string;
  /** Where it went (always the pinned target). */
  readonly target: ReplyTarget;
  /** The part's idempotency key. */
  readonly idempotencyKey: string;
  /** Index of the part within the turn. */
  readonly partIndex: number;
  /** Index of the chunk within the part. */
  readonly chunkIndex: number;
  /** Platform id of the posted message. */
  readonly platformMessageId: string;
  /** Attempts it took (1 = first try). */
  readonly attempts: number;
}

/**
 * Why a part was not delivered.
 * - `permanent`: the adapter threw a non-retryable error (or a non-`ChannelSendError`).
 * - `retries_exhausted`: every attempt failed with a retryable error.
 * - `stale`: it became older than the dispatcher's `maxAgeMs` (dropped, not delivered late).
 * - `aborted`: the turn was interrupted or the gateway stopped before it went out.
 * - `unknown_channel`: no adapter is registered for the target's channel.
 * - `outbox`: the outbox could not record it, so it was not sent (a send that cannot be
 *   recorded could be posted twice after a restart).
 */
export type ReplyFailureReason =
  | 'permanent'
  | 'retries_exhausted'
  | 'stale'
  | 'aborted'
  | 'unknown_channel'
  | 'outbox';

/** One outbound part was given up. Later parts to the same target still go out. */
export interface ReplyFailedEvent extends TraceIds {
  readonly turnId: string;
  /** Where it should have gone. */
  readonly target: ReplyTarget;
  /** The part's idempotency key. */
  readonly idempotencyKey: string;
  /** Index of the part within the turn. */
  readonly partIndex: number;
  /** Index of the chunk within the part. */
  readonly chunkIndex: number;
  /** Why it was given up. */
  readonly reason: ReplyFailureReason;
  /** The last error, when there was one. */
  readonly error?: unknown;
  /** Attempts made. */
  readonly attempts: number;
}

/** A conversation was bound (or re-bound) to a session. */
export interface BindingBoundEvent extends TraceIds {
  readonly sessionKey: string;
  readonly agentId: string;
  /** The stored binding. */
  readonly binding: ConversationBinding;
  /** The binding it replaced, when the conversation was already bound. */
  readonly replaced?: ConversationBinding;
}

/** A binding was removed on request. */
export interface BindingUnboundEvent extends TraceIds {
  readonly sessionKey: string;
  readonly agentId: string;
  /** The removed binding. */
  readonly binding: ConversationBinding;
  /** Why (free text given by the caller, e.g. `unfocus`, `session-ended`). */
  readonly reason: string;
}

/** A binding expired (idle TTL or max age) and was removed. */
export interface BindingExpiredEvent extends TraceIds {
  readonly sessionKey: string;
  readonly agentId: string;
  /** The removed binding. */
  readonly binding: ConversationBinding;
  /** Which limit it hit. */
  readonly reason: 'idle' | 'max_age';
}

/** A background run changed state (`background:*` events). */
export interface BackgroundEvent extends TraceIds {
  /** The parent session (the one the result goes back to). */
  readonly sessionKey: string;
  readonly agentId: string;
  /** The run record after the change. */
  readonly run: RunRecord;
  /** The error, for `background:failed`. */
  readonly error?: unknown;
}

/**
 * A received, admitted message that will not run: dropped from its session queue by the cap
 * (`cap`) or by an interrupt (`interrupted`), or still queued when the gateway stopped
 * (`stopped`; `stop()` also returns it). Nothing admitted disappears without one of these.
 */
export interface MessageUnprocessedEvent extends TraceIds {
  readonly sessionKey: string;
  readonly agentId: string;
  /** The turn id the message had in its queue. */
  readonly turnId: string;
  readonly messageId: string;
  /** The message itself. */
  readonly message: InboundMessage;
  /** Why it will not run. */
  readonly reason: 'cap' | 'interrupted' | 'stopped';
}

/** Something went wrong that did not stop the gateway. */
export interface ErrorEvent extends TraceIds {
  /** What failed. */
  readonly error: unknown;
  /** Where: `turn`, `dispatch`, `store`, `binding`, `channel`, `listener`, … */
  readonly source: string;
}

/**
 * Every event of the gateway and the payload it carries. Every payload carries the trace ids
 * known at that point (`sessionKey`, `agentId`, `turnId`, `messageId`).
 */
export interface ClawEventMap {
  /** A message reached the gateway. */
  inbound: InboundEvent;
  /** What the gateway decided for it. */
  decision: DecisionEvent;
  /** A turn started. */
  'turn:start': TurnStartEvent;
  /** A turn ended. */
  'turn:end': TurnEndEvent;
  /** A reply part was confirmed by the platform. */
  'reply:sent': ReplySentEvent;
  /** A reply part was given up. */
  'reply:failed': ReplyFailedEvent;
  /** A conversation was bound to a session. */
  'binding:bound': BindingBoundEvent;
  /** A binding was removed. */
  'binding:unbound': BindingUnboundEvent;
  /** A binding expired. */
  'binding:expired': BindingExpiredEvent;
  /** A background run was accepted. */
  'background:accepted': BackgroundEvent;
  /** A background run started. */
  'background:started': BackgroundEvent;
  /** A background run ended (any final status). */
  'background:finished': BackgroundEvent;
  /** A background run's result was delivered to its origin. */
  'background:announced': BackgroundEvent;
  /** A background run could not run or be announced. */
  'background:failed': BackgroundEvent;
  /** An admitted message will not run (queue cap, interrupt, or the gateway stopped). */
  'message:unprocessed': MessageUnprocessedEvent;
  /** Something failed without stopping the gateway. */
  error: ErrorEvent;
}

/** Name of a gateway event. */
export type ClawEventName = keyof ClawEventMap;

/**
 * A function that receives events: the shape of `EventBus.emit`, so a part can be given
 * `bus.emit` directly (`createReplyDispatcher({ onEvent: bus.emit })`).
 */
export type EventSink<Name extends ClawEventName = ClawEventName> = <K extends Name>(
  event: K,
  payload: ClawEventMap[K],
) => void;
