import type { InboundMessage, OutboundMessage, ReplyTarget } from '@claw/channel-kit';
import type { SpawnAccepted, SpawnOptions } from '../background/types.js';
import type { BlockStream, DeliveryResult, StreamOptions } from '../dispatch/types.js';
import type { ClawLogger } from '../gateway/logger.js';
import type { GroupHistoryEntry } from '../group-history/index.js';
import type { TranscriptEntry } from '../stores/types.js';
import type { ToolPolicy } from '../tool-policy/index.js';

/** A message handed to a running turn while it runs (queue mode `steer`), with its group context. */
export interface SteeredMessage {
  /** The message, as admitted. */
  readonly message: InboundMessage;
  /** Group messages skipped (no mention) before it, oldest first; empty in DMs. */
  readonly history: readonly GroupHistoryEntry[];
}

/**
 * The steer inbox of a turn (queue mode `steer`): messages of the same conversation that arrived
 * while the turn runs. Taking a message makes it part of this turn (it is added to the
 * transcript); whatever the turn never takes runs as a follow-up turn, so nothing is lost.
 */
export interface TurnSteerInbox {
  /** How many messages wait. */
  readonly size: number;
  /** Take every waiting message, oldest first. */
  take(): readonly SteeredMessage[];
  /** Yields messages as they arrive (each one taken) and ends with the turn. */
  [Symbol.asyncIterator](): AsyncIterator<SteeredMessage>;
}

/**
 * Messages dropped by the `summarize` queue policy since the previous turn: how many, and one
 * line each. Show them to the agent so it knows what it missed.
 */
export interface QueueOverflow {
  /** How many messages were dropped. */
  readonly dropped: number;
  /** A one-line summary of each (the newest, at most the queue cap). */
  readonly summaries: readonly string[];
}

/** A transcript entry as a handler records it; the gateway adds the time and the turn id. */
export type TranscriptInput = Omit<TranscriptEntry, 'at' | 'turnId'> & { readonly at?: number };

/**
 * What an agent handler gets for one turn. Everything about *where* the answer goes is fixed
 * before the handler runs: `reply` and `stream` deliver to the pinned {@link target}, and no
 * method takes a destination.
 */
export interface TurnContext {
  /** The agent running the turn. */
  readonly agentId: string;
  /** The session (conversation with this agent) the turn belongs to. */
  readonly sessionKey: string;
  /** The turn's id (first half of every reply's idempotency key). */
  readonly turnId: string;
  /**
   * The admitted messages this turn answers, in arrival order: one, or several when the queue
   * mode `collect` merged the messages that waited. The last one is the newest.
   */
  readonly messages: readonly InboundMessage[];
  /** Group messages skipped (no mention) since the bot last answered here, oldest first; empty in DMs. */
  readonly history: readonly GroupHistoryEntry[];
  /**
   * The session's transcript before this turn (oldest first, at most `gateway.transcriptLimit`
   * entries). This turn's messages are already recorded but not included here.
   */
  readonly transcript: readonly TranscriptEntry[];
  /** The tool policy of the turn (global → agent → group → sender layers). */
  readonly toolPolicy: ToolPolicy;
  /**
   * Where every reply of this turn goes (frozen). Absent in a background run: a child has no
   * API to choose or see a reply target; its result is announced by the gateway.
   */
  readonly target?: ReplyTarget;
  /** Messages dropped by the queue cap (policy `summarize`) before this turn. */
  readonly overflow?: QueueOverflow;
  /** True in a background run (spawned by `spawn`). */
  readonly isChild: boolean;
  /** Model override a background run was spawned with (`spawn({ model })`), if any. */
  readonly model?: string;
  /** Aborted when the turn is interrupted (queue mode `interrupt`), cancelled, or the gateway stops. */
  readonly signal: AbortSignal;
  /** Messages steered into the running turn (queue mode `steer`). */
  readonly steer: TurnSteerInbox;
  /** A logger whose lines carry the session key, agent id and turn id. */
  readonly logger: ClawLogger;
  /**
   * Send a reply to the pinned target (chunked, recorded in the outbox, retried when transient)
   * and record it in the transcript. Resolves with what happened to it; never rejects for a
   * delivery failure (those are `reply:failed` events). In a background run the text is
   * collected as the run's result instead.
   * @throws {TurnEndedError} after the turn ended.
   */
  reply(message: string | OutboundMessage): Promise<DeliveryResult>;
  /**
   * Start a streamed reply: edits of one live message on channels with `edit`, coalesced blocks
   * on the others. `end()` it; the full text is recorded in the transcript.
   * @throws {TurnEndedError} after the turn ended.
   */
  stream(options?: StreamOptions): BlockStream;
  /**
   * Show or clear the typing indicator in the target conversation (refreshed while on; cleared
   * when the turn ends). Failures are logged, never thrown. A no-op on channels without typing.
   */
  setTyping(on: boolean): Promise<void>;
  /**
   * Record entries in the session transcript (tool calls and results, notes) in order with the
   * turn's replies. Replies and the turn's messages are recorded by the gateway already.
   */
  appendTranscript(entries: TranscriptInput | readonly TranscriptInput[]): Promise<void>;
  /**
   * Start a background run whose result is announced back to this turn's target later. Resolves
   * at once with the run id.
   * @throws {NestedSpawnError} in a background run (runs do not nest).
   */
  spawn(options: SpawnOptions): Promise<SpawnAccepted>;
}

/**
 * What a handler may return: text or a message to send as the final reply, or nothing (it
 * replied itself with `ctx.reply`/`ctx.stream`, or chose not to answer).
 */
// `void` on purpose: `async (ctx) => { await ctx.reply('…'); }` returns `Promise<void>`.
// biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing are typed `void`.
export type AgentHandlerResult = string | OutboundMessage | undefined | void;

/**
 * An agent: a function of one turn. Throwing ends the turn as `failed`: the gateway emits an
 * `error` event and sends the configured short apology to the origin; it never crashes.
 */
export type AgentHandler = (ctx: TurnContext) => AgentHandlerResult | Promise<AgentHandlerResult>;
