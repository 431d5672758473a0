import type { OutboundMessage, ReplyTarget } from '@claw/channel-kit';
import type { EventSink, ReplyFailureReason } from '../events/types.js';
import type { OutboxStore } from '../stores/types.js';
import type { ChannelRegistry } from './channels.js';
import type { RetryPolicy } from './retry.js';

/**
 * Which parts of a turn quote the message they answer (the target's `replyToMessageId`, on
 * channels that declare `replies`):
 * - `all`: every part (OpenClaw's default).
 * - `first`: only the first part of the turn.
 * - `off`: none (a part may still set `replyToMessageId` itself).
 */
export type ReplyToMode = 'all' | 'first' | 'off';

/** Block streaming settings (dispatch.md §1.10). */
export interface StreamSettings {
  /** Channels without `edit`: smallest block sent before the end. Default 800. */
  readonly minChars?: number;
  /** Channels without `edit`: largest block (clamped to the channel's `textChunkLimit`). Default 1200. */
  readonly maxChars?: number;
  /** Channels without `edit`: a pause this long flushes the buffer. Default 1000 ms. */
  readonly idleMs?: number;
  /** Channels with `edit`: least time between two edits of the live message. Default 1000 ms. */
  readonly editIntervalMs?: number;
}

/** Options of `createReplyDispatcher`. */
export interface ReplyDispatcherOptions {
  /** The channel adapters, by channel id. */
  readonly channels: ChannelRegistry;
  /** Where parts are recorded before sending and marked after (the restart-safety log). */
  readonly outbox: OutboxStore;
  /** Retry of transient `ChannelSendError`s. Defaults: 3 attempts, 500 ms doubling, ≤ 30 s, ±10 %. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Parts older than this (since they were produced) are dropped as `stale` instead of being
   * delivered late — after long retries, or when recovering after a restart. Default 10 minutes.
   */
  readonly maxAgeMs?: number;
  /** Which parts quote the message they answer. Default `all`. */
  readonly replyToMode?: ReplyToMode;
  /** Block streaming defaults (per stream overridable). */
  readonly stream?: StreamSettings;
  /** Clock, in ms. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Waits `ms`, rejecting early when `signal` aborts. Default: `setTimeout`. Inject it so tests
   * never wait on real timers.
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform random numbers in [0, 1) for the jitter. Default `Math.random` (not security related). */
  readonly random?: () => number;
  /**
   * Aborts every send (the gateway is stopping). Parts not yet sent stay `pending` in the outbox,
   * so `recover()` after a restart still delivers them (unless stale).
   */
  readonly signal?: AbortSignal;
  /** Receives `reply:sent`, `reply:failed` and `error` events (pass `bus.emit`). */
  readonly onEvent?: EventSink<'reply:sent' | 'reply:failed' | 'error'>;
}

/** Trace ids and options of one delivery. */
export interface DeliverOptions {
  /** The turn the part belongs to (first half of its idempotency key). */
  readonly turnId: string;
  /**
   * Index of the part within the turn: the key is `<turnId>:<partIndex>` (chunks add
   * `.<chunk>`). Required unless `idempotencyKey` is given.
   */
  readonly partIndex?: number;
  /** An explicit key instead of `<turnId>:<partIndex>` (e.g. `announce:<runId>`). */
  readonly idempotencyKey?: string;
  /** Session, for events and the outbox record. */
  readonly sessionKey?: string;
  /** Agent, for events and the outbox record. */
  readonly agentId?: string;
  /** The inbound message answered, for events and the outbox record. */
  readonly messageId?: string;
  /** When the part was produced (its age counts from here). Default: now. */
  readonly createdAt?: number;
  /** Aborts this delivery (e.g. the turn was interrupted): unsent parts are marked failed. */
  readonly signal?: AbortSignal;
}

/** What happened to one chunk of a part. */
export interface DeliveredPart {
  /** Its idempotency key. */
  readonly idempotencyKey: string;
  /** Index of the chunk within the part. */
  readonly chunkIndex: number;
  /**
   * `sent` now, `skipped` because the outbox says it was sent before (a retry or a restart), or
   * `failed`.
   */
  readonly status: 'sent' | 'skipped' | 'failed';
  /** Platform id of the posted message (`sent`, `skipped`). */
  readonly platformMessageId?: string;
  /** Send attempts made for it (over all deliveries). */
  readonly attempts: number;
  /** Why it failed. */
  readonly reason?: ReplyFailureReason;
  /** The last error, when it failed with one. */
  readonly error?: unknown;
}

/** The outcome of one `deliver` call. */
export interface DeliveryResult {
  /**
   * - `sent`: every chunk went out (some may have been `skipped` as already sent).
   * - `skipped`: every chunk had been sent before.
   * - `partial`: some chunks failed.
   * - `failed`: every chunk failed.
   * - `empty`: nothing to send (no text, no media).
   */
  readonly status: 'sent' | 'skipped' | 'partial' | 'failed' | 'empty';
  /** Index of the part within the turn. */
  readonly partIndex: number;
  /** One entry per chunk, in order. */
  readonly parts: readonly DeliveredPart[];
}

/** What `recover()` did with the parts a previous process left pending. */
export interface RecoveryReport {
  /** Delivered now. */
  readonly sent: number;
  /** Dropped as older than `maxAgeMs`. */
  readonly stale: number;
  /** Failed (permanently, after retries, or unknown channel). */
  readonly failed: number;
}

/** A live reply that grows as the model writes (see `docs/reply-routing.md`). */
export interface BlockStream {
  /** Append text. */
  write(delta: string): void;
  /** Flush everything and resolve when every part (and the last edit) was delivered. */
  end(): Promise<readonly DeliveryResult[]>;
  /** Stop without sending what is still buffered. */
  abort(): void;
  /** Everything written so far. */
  readonly text: string;
}

/** Options of `TurnReplier.stream`. */
export interface StreamOptions extends StreamSettings {
  /** `edit` a live message (channels with `edit`) or send coalesced `blocks`. Default: by capability. */
  readonly mode?: 'edit' | 'blocks';
}

/** The replies of one turn: the target and the turn id are fixed, part indices count up. */
export interface TurnReplier {
  /** The turn. */
  readonly turnId: string;
  /** The pinned target (frozen). Every part goes here. */
  readonly target: ReplyTarget;
  /** Send one part (text or a message), chunked to the channel's limit. */
  send(message: OutboundMessage | string): Promise<DeliveryResult>;
  /** Start a streamed reply. */
  stream(options?: StreamOptions): BlockStream;
  /** How many part indices this turn has used. */
  readonly partsUsed: number;
}

/** Options of `ReplyDispatcher.forTurn`. */
export interface TurnReplierOptions {
  /** The turn id. */
  readonly turnId: string;
  /** The pinned target. */
  readonly target: ReplyTarget;
  /** Session, for events and records. */
  readonly sessionKey?: string;
  /** Agent, for events and records. */
  readonly agentId?: string;
  /** Inbound message answered, for events and records. */
  readonly messageId?: string;
  /** Aborts the turn's deliveries (interrupt). */
  readonly signal?: AbortSignal;
  /** First part index (default 0), e.g. to continue a turn's numbering. */
  readonly firstPartIndex?: number;
}

/**
 * Delivers replies to their pinned targets, in order per target, chunked, recorded in the outbox,
 * retried when transient. It has no way to change a target: what was pinned is where it goes.
 */
export interface ReplyDispatcher {
  /** Deliver one part to `target`. Never rejects for delivery failures (see the result). */
  deliver(
    target: ReplyTarget,
    message: OutboundMessage | string,
    options: DeliverOptions,
  ): Promise<DeliveryResult>;
  /** The replies of one turn (part indices handed out in call order). */
  forTurn(options: TurnReplierOptions): TurnReplier;
  /** After a restart: deliver (or expire) the parts a previous process recorded but never confirmed. */
  recover(): Promise<RecoveryReport>;
  /** Resolves when nothing is being delivered. */
  idle(): Promise<void>;
  /** Deliveries queued or in flight. */
  readonly pending: number;
}
