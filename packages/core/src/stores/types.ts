import type { OutboundMessage, ReplyTarget } from '@claw/channel-kit';
import type { ActivationMode } from '../access/index.js';
import type { PairingStore } from '../pairing/index.js';

/**
 * A value that survives `JSON.stringify` / `JSON.parse` unchanged. Everything a store keeps is
 * made of these, so any store (memory, files, a database) can hold it.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * What happens to a message that arrives while its session is busy (see `docs/queue-modes.md`):
 * - `followup`: queue it as its own later turn (FIFO). The default.
 * - `collect`: queue it; the queued messages for the same reply target run as one turn.
 * - `interrupt`: abort the running turn, drop what was queued, run the newest message.
 * - `steer`: hand it to the running turn, which reads it between steps.
 */
export type QueueMode = 'followup' | 'collect' | 'interrupt' | 'steer';

// ---------------------------------------------------------------------------------------------
// Sessions

/** The stored state of one session (one conversation with one agent), keyed by session key. */
export interface SessionEntry {
  /** The session key (`agent:<agentId>:…`). */
  readonly sessionKey: string;
  /** When the session was first seen, in ms since the epoch. */
  readonly createdAt: number;
  /** When a message last arrived in (or a turn last ran for) the session. */
  readonly lastActivityAt: number;
  /** `/activation` override for groups; absent means "use the config". */
  readonly activation?: ActivationMode;
  /** `/queue` override; absent means "use the config". Wins over the config when set. */
  readonly queueMode?: QueueMode;
  /** Free-form host data (labels, model overrides …). JSON only. */
  readonly meta?: { readonly [key: string]: JsonValue };
}

/**
 * A change to a session's overrides. An omitted field is left as it is; `null` clears the
 * override (back to the config).
 */
export interface SessionPatch {
  /** Set or (with `null`) clear the activation override. */
  readonly activation?: ActivationMode | null;
  /** Set or (with `null`) clear the queue-mode override. */
  readonly queueMode?: QueueMode | null;
  /** Replace or (with `null`) remove the host data. */
  readonly meta?: { readonly [key: string]: JsonValue } | null;
}

/** Stores one {@link SessionEntry} per session key. */
export interface SessionStore {
  /** The entry for `sessionKey`, or `undefined` when the session was never seen. */
  get(sessionKey: string): Promise<SessionEntry | undefined>;
  /**
   * Record activity at `at`: creates the entry (`createdAt = lastActivityAt = at`) when missing,
   * else moves `lastActivityAt` forward (never backwards). Returns the stored entry.
   */
  touch(sessionKey: string, at: number): Promise<SessionEntry>;
  /**
   * Apply `patch` (creating the entry at `at` when missing; an existing entry's activity time is
   * not changed). Returns the stored entry.
   */
  update(sessionKey: string, patch: SessionPatch, at: number): Promise<SessionEntry>;
  /** Remove the entry. Resolves `true` when there was one. */
  delete(sessionKey: string): Promise<boolean>;
  /**
   * Every entry, or only those whose last activity is before `lastActivityBefore` (to prune idle
   * sessions). No particular order.
   */
  list(options?: { readonly lastActivityBefore?: number }): Promise<SessionEntry[]>;
}

// ---------------------------------------------------------------------------------------------
// Transcripts

/** One line of a session's transcript. */
export interface TranscriptEntry {
  /** Who produced it. */
  readonly role: 'user' | 'assistant' | 'tool' | 'system';
  /** The plain text (what a person reading the log sees; may be empty for tool-only entries). */
  readonly text: string;
  /** When it was produced, in ms since the epoch. */
  readonly at: number;
  /** The turn that produced or consumed it. */
  readonly turnId?: string;
  /** The platform message id, for user messages. */
  readonly messageId?: string;
  /** The sender id, for user messages (group transcripts have many senders). */
  readonly senderId?: string;
  /**
   * Structured content, e.g. a provider-kit `ModelMessage` with tool calls. Must be
   * JSON-serializable: file-backed stores keep exactly what `JSON.stringify` keeps.
   */
  readonly data?: unknown;
}

/** Append-only transcripts, one per session key. */
export interface TranscriptStore {
  /** Append entries at the end of the session's transcript, in the order given. */
  append(sessionKey: string, entries: TranscriptEntry | readonly TranscriptEntry[]): Promise<void>;
  /**
   * The transcript in order; with `limit`, only the last `limit` entries (still oldest first).
   * An unknown session reads as empty.
   */
  read(sessionKey: string, options?: { readonly limit?: number }): Promise<TranscriptEntry[]>;
  /** Remove the whole transcript. Resolves `true` when there was one. */
  delete(sessionKey: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Dedupe

/** Claims for inbound message ids, so a platform redelivery runs once. */
export interface DedupeStore {
  /**
   * Claim `key` for `ttlMs` from `now`. Resolves `true` for exactly one caller while the claim is
   * live (concurrent claims of the same key: one `true`, the rest `false`); after the TTL the key
   * can be claimed again.
   */
  claim(key: string, ttlMs: number, now: number): Promise<boolean>;
  /** Give a claim back (processing was abandoned), so a redelivery may run. */
  release(key: string): Promise<void>;
  /** Forget claims that expired at `now`. Resolves how many were removed. */
  prune(now: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Outbox

/** Where an outbound part stands. */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** One outbound part as the dispatcher records it before sending. */
export interface OutboxPart {
  /** Deterministic key of the part: `<turnId>:<partIndex>` or `<turnId>:<partIndex>.<chunk>`. */
  readonly idempotencyKey: string;
  /** The pinned target the part goes to. */
  readonly target: ReplyTarget;
  /** The exact message handed to the adapter (already chunked). */
  readonly message: OutboundMessage;
  /** The turn that produced it. */
  readonly turnId: string;
  /** Index of the part within the turn. */
  readonly partIndex: number;
  /** Index of this chunk within the part (0 when the part fit in one message). */
  readonly chunkIndex: number;
  /** Session the turn belongs to, for tracing. */
  readonly sessionKey?: string;
  /** Agent that produced it, for tracing. */
  readonly agentId?: string;
  /** Inbound message the part answers, for tracing. */
  readonly messageId?: string;
  /** When the part was produced (its age decides whether it is still worth delivering). */
  readonly createdAt: number;
}

/** An {@link OutboxPart} with its delivery state. */
export interface OutboxRecord extends OutboxPart {
  /** `pending` until the adapter confirmed (`sent`) or the dispatcher gave up (`failed`). */
  readonly status: OutboxStatus;
  /** When the status last changed. */
  readonly updatedAt: number;
  /** How many send attempts were made so far. */
  readonly attempts: number;
  /** Platform id of the posted message, once sent. */
  readonly platformMessageId?: string;
  /** Why it failed, once failed (`stale`, `aborted`, or the error message). */
  readonly error?: string;
}

/** The write-ahead log of outbound parts: recorded before sending, marked after. */
export interface OutboxStore {
  /**
   * Record `part` as pending unless a record with its key exists. Resolves the stored record
   * (the existing one when there was one — a retry or a restart never overwrites it).
   */
  record(part: OutboxPart): Promise<OutboxRecord>;
  /** The record for `idempotencyKey`, if any. */
  get(idempotencyKey: string): Promise<OutboxRecord | undefined>;
  /**
   * Mark the part as confirmed by the platform.
   * @throws {StoreError} `not_found` when the part was never recorded.
   */
  markSent(
    idempotencyKey: string,
    update: { readonly platformMessageId: string; readonly at: number; readonly attempts: number },
  ): Promise<void>;
  /**
   * Mark the part as given up.
   * @throws {StoreError} `not_found` when the part was never recorded.
   */
  markFailed(
    idempotencyKey: string,
    update: { readonly error: string; readonly at: number; readonly attempts: number },
  ): Promise<void>;
  /** Pending parts, oldest `createdAt` first (what a restart must still deliver or expire). */
  listPending(options?: { readonly limit?: number }): Promise<OutboxRecord[]>;
  /** Remove sent and failed records last updated before `before`. Resolves how many. */
  prune(before: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Conversation bindings

/**
 * A conversation pinned to a session: every message in it goes to `targetSessionKey` (and its
 * agent) instead of what routing would choose. See `docs/conversation-bindings.md`.
 */
export interface ConversationBinding {
  /** Stable id derived from (channel, account, conversation). */
  readonly bindingId: string;
  /** `current`: the conversation a command came from; `thread`: a thread bound to a session. */
  readonly kind: 'current' | 'thread';
  /** Channel id. */
  readonly channel: string;
  /** Bot account on the channel. */
  readonly accountId: string;
  /** Conversation id (from the adapter's `conversationId`, or the default derivation). */
  readonly conversationId: string;
  /** The session that receives the conversation's messages. */
  readonly targetSessionKey: string;
  /** The agent that answers them. */
  readonly agentId: string;
  /** When the binding was made. */
  readonly boundAt: number;
  /** When a message last arrived through it. */
  readonly lastActivityAt: number;
  /** Expire after this long without activity (0: never). */
  readonly idleTtlMs: number;
  /** Expire this long after binding, whatever the activity (0: never). */
  readonly maxAgeMs: number;
  /** Human label (shown by `/agents`-style listings). */
  readonly label?: string;
  /** Who made the binding (a sender id, or `system`). */
  readonly boundBy?: string;
  /** Free-form host data. JSON only. */
  readonly meta?: { readonly [key: string]: JsonValue };
}

/** Filter for {@link BindingStore.list}: every given field must match exactly. */
export interface BindingFilter {
  /** Only bindings to this session. */
  readonly targetSessionKey?: string;
  /** Only bindings on this channel. */
  readonly channel?: string;
  /** Only bindings of this account. */
  readonly accountId?: string;
}

/** Stores conversation bindings by `bindingId`. Expiry is decided by the caller, not the store. */
export interface BindingStore {
  /** The binding with this id, if any. */
  get(bindingId: string): Promise<ConversationBinding | undefined>;
  /** Insert or replace the binding with `binding.bindingId`. */
  put(binding: ConversationBinding): Promise<void>;
  /** Remove it. Resolves `true` when there was one. */
  delete(bindingId: string): Promise<boolean>;
  /** Bindings matching `filter` (all when omitted). No particular order. */
  list(filter?: BindingFilter): Promise<ConversationBinding[]>;
}

// ---------------------------------------------------------------------------------------------
// Background runs

/** Lifecycle of a background run. */
export type RunStatus =
  | 'accepted'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'interrupted';

/** A background run (a sub-agent task), persisted so a restart can still announce its result. */
export interface RunRecord {
  /** Unique id of the run. */
  readonly runId: string;
  /** Session that started it. */
  readonly parentSessionKey: string;
  /** Session the run works in. */
  readonly childSessionKey: string;
  /** Agent doing the work. */
  readonly agentId: string;
  /** The task as given. */
  readonly task: string;
  /** Short label for listings. */
  readonly label?: string;
  /** Where it stands. */
  readonly status: RunStatus;
  /** True once the result was delivered to `target` (announce is exactly-once). */
  readonly announced: boolean;
  /** The pinned origin the result goes back to. */
  readonly target: ReplyTarget;
  /** What happens to the child session afterwards. */
  readonly cleanup: 'delete' | 'keep';
  /** The result text, once succeeded. */
  readonly result?: string;
  /** Why it failed, once failed. */
  readonly error?: string;
  /** When it was accepted. */
  readonly createdAt: number;
  /** When it started running. */
  readonly startedAt?: number;
  /** When it ended (any final status). */
  readonly endedAt?: number;
  /** When its result was announced. */
  readonly announcedAt?: number;
  /** Restart it after a gateway restart interrupted it. */
  readonly retryOnRestart?: boolean;
  /** Free-form host data. JSON only. */
  readonly meta?: { readonly [key: string]: JsonValue };
}

/** Filter for {@link RunStore.list}: every given field must match. */
export interface RunFilter {
  /** Only runs in this status (or any of these). */
  readonly status?: RunStatus | readonly RunStatus[];
  /** Only runs started by this session. */
  readonly parentSessionKey?: string;
  /** Only announced (or only unannounced) runs. */
  readonly announced?: boolean;
}

/** Stores background run records by `runId`. */
export interface RunStore {
  /** Insert or replace the record with `run.runId`. */
  put(run: RunRecord): Promise<void>;
  /** The record, if any. */
  get(runId: string): Promise<RunRecord | undefined>;
  /** Records matching `filter`, oldest `createdAt` first. */
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** Remove it. Resolves `true` when there was one. */
  delete(runId: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// The bundle

/**
 * Every store the gateway uses. `createMemoryStores()` (the default) and `createFileStores({ dir })`
 * build one; a host may bring its own implementation of any member and check it with
 * `storeConformance` from `@claw/core/testing`.
 */
export interface ClawStores {
  /** Session entries (activity, overrides). */
  readonly sessions: SessionStore;
  /** Per-session transcripts. */
  readonly transcripts: TranscriptStore;
  /** Inbound dedupe claims. */
  readonly dedupe: DedupeStore;
  /** Outbound write-ahead log. */
  readonly outbox: OutboxStore;
  /** Pairing requests and approved senders. */
  readonly pairing: PairingStore;
  /** Conversation bindings. */
  readonly bindings: BindingStore;
  /** Background run records. */
  readonly runs: RunStore;
}
