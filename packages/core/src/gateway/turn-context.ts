import type { ChannelAdapter, InboundMessage, OutboundMessage, ReplyTarget } from '@claw/channel-kit';
import type {
  QueueOverflow,
  SteeredMessage,
  TranscriptInput,
  TurnContext,
  TurnSteerInbox,
} from '../agents/types.js';
import { NestedSpawnError } from '../background/errors.js';
import type { RunChildInput, SpawnAccepted, SpawnOptions } from '../background/types.js';
import type { BlockStream, DeliveryResult, StreamOptions, TurnReplier } from '../dispatch/types.js';
import type { GroupHistoryEntry } from '../group-history/index.js';
import type { QueueItem, SessionTurn } from '../queue/types.js';
import type { TranscriptEntry } from '../stores/types.js';
import type { ToolPolicy } from '../tool-policy/index.js';
import { TurnEndedError } from './errors.js';
import { type ClawLogger, withLogFields } from './logger.js';
import type { InboundPayload, TurnPayload } from './payload.js';
import type { TurnRunnerDeps } from './turn-runner.js';
import { createTurnTyping, type TurnTyping } from './typing.js';

const noop = (): void => {};
/** What `close` returns when nothing is left to wait for. */
const SETTLED: Promise<void> = Promise.resolve();

/** The ids every event and log line of a turn carries. @internal */
export interface TurnTrace {
  readonly sessionKey: string;
  readonly agentId: string;
  readonly turnId: string;
  readonly messageId: string;
}

/** The transcript entries that record messages (the user side of a turn). @internal */
export function userEntries(messages: readonly InboundMessage[], turnId: string): TranscriptEntry[] {
  return messages.map((m) => ({
    role: 'user',
    text: m.text,
    at: m.timestamp,
    turnId,
    messageId: m.messageId,
    senderId: m.sender.id,
  }));
}

/**
 * What every turn context shares: the work the turn started (deliveries, transcript writes,
 * streams), so the turn ends only once all of it settled, and the "closed" flag that refuses late
 * calls. Methods are handed out by getters that bind them on first use, so a handler can
 * destructure its context (`({ messages, reply }) => …`) and a turn that never replies allocates
 * none of them. @internal
 */
abstract class TurnScope {
  readonly #deps: TurnRunnerDeps;
  readonly #trace: TurnTrace;
  #pending: Promise<unknown>[] | undefined;
  #writes: Promise<void> | undefined;
  #streams: BlockStream[] | undefined;
  #closed = false;
  #logger: ClawLogger | undefined;
  #appendTranscript: TurnContext['appendTranscript'] | undefined;

  constructor(deps: TurnRunnerDeps, trace: TurnTrace) {
    this.#deps = deps;
    this.#trace = trace;
  }

  /** A logger whose lines carry the session key, agent id and turn id. */
  get logger(): ClawLogger {
    this.#logger ??= withLogFields(this.#deps.logger, {
      sessionKey: this.#trace.sessionKey,
      agentId: this.#trace.agentId,
      turnId: this.#trace.turnId,
    });
    return this.#logger;
  }

  get appendTranscript(): TurnContext['appendTranscript'] {
    this.#appendTranscript ??= async (entries) => {
      this.assertOpen('appendTranscript');
      await this.record(entries);
    };
    return this.#appendTranscript;
  }

  /** Throw if the turn has ended (`method` names the TurnContext method for the message). */
  protected assertOpen(method: string): void {
    if (this.#closed) throw new TurnEndedError(this.#trace.turnId, method);
  }

  /** Wait for `work` before the turn ends (its failure is the caller's to observe). */
  protected track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(noop, noop);
    if (this.#pending === undefined) this.#pending = [settled];
    else this.#pending.push(settled);
    return work;
  }

  /** A stream to end (or abort) with the turn if the handler does not. */
  protected trackStream(stream: BlockStream): void {
    if (this.#streams === undefined) this.#streams = [stream];
    else this.#streams.push(stream);
  }

  /**
   * Append entries to the session transcript, in call order (writes are chained). A failing
   * store is reported as an `error` event and does not fail the turn: the reply matters more.
   */
  record(entries: TranscriptInput | readonly TranscriptInput[]): Promise<void> {
    const list: readonly TranscriptInput[] = Array.isArray(entries)
      ? (entries as readonly TranscriptInput[])
      : [entries as TranscriptInput];
    if (list.length === 0) return this.#writes ?? Promise.resolve();
    const at = this.#deps.now();
    const turnId = this.#trace.turnId;
    return this.recordEntries(list.map((entry) => ({ ...entry, at: entry.at ?? at, turnId })));
  }

  /** Append entries already stamped with their time and turn id. */
  recordEntries(entries: readonly TranscriptEntry[]): Promise<void> {
    // The first write (every turn makes one, most make only that one) needs no closure.
    this.#writes =
      this.#writes === undefined ? this.#append(entries) : this.#writes.then(() => this.#append(entries));
    return this.#writes;
  }

  /** One transcript write; a failure is reported as an `error` event, never thrown. */
  async #append(entries: readonly TranscriptEntry[]): Promise<void> {
    try {
      await this.#deps.stores.transcripts.append(this.#trace.sessionKey, entries);
    } catch (error) {
      this.#deps.emit('error', { ...this.#trace, error, source: 'store' });
    }
  }

  /** Record the text of a reply as the assistant's. */
  protected recordReply(message: string | OutboundMessage): void {
    const text = typeof message === 'string' ? message : message.text;
    if (typeof text === 'string' && text.trim() !== '') void this.record({ role: 'assistant', text });
  }

  /**
   * Close the turn: refuse further calls, end the streams the handler left open (`abort` them
   * when the turn failed), and wait for every delivery and transcript write it started.
   */
  close(failed: boolean): Promise<void> {
    this.#closed = true;
    // Most turns started no delivery and no stream: only their transcript writes are left.
    if (this.#streams === undefined && this.#pending === undefined) return this.#writes ?? SETTLED;
    return this.#settle(failed);
  }

  /** `close` for a turn that left deliveries or streams. */
  async #settle(failed: boolean): Promise<void> {
    for (const stream of this.#streams ?? []) {
      if (failed) stream.abort();
      else this.track(stream.end());
    }
    const pending = this.#pending;
    // Work can add work (a stream's end records its text): settle until nothing new appears.
    if (pending !== undefined) {
      for (let settled = 0; settled < pending.length; ) {
        const batch = pending.slice(settled);
        settled = pending.length;
        await Promise.all(batch);
      }
    }
    if (this.#writes !== undefined) await this.#writes;
  }
}

/** A stream that records its full text in the transcript when it ends. */
function recordingStream(stream: BlockStream, onEnd: (text: string) => void): BlockStream {
  let ending: Promise<readonly DeliveryResult[]> | undefined;
  return {
    write: (delta) => stream.write(delta),
    end() {
      ending ??= stream.end().then((results) => {
        onEnd(stream.text);
        return results;
      });
      return ending;
    },
    abort: () => stream.abort(),
    get text() {
      return stream.text;
    },
  };
}

/** The context of a conversation turn (see {@link TurnContext}). @internal */
export class InboundTurnContext extends TurnScope implements TurnContext {
  readonly agentId: string;
  readonly sessionKey: string;
  readonly turnId: string;
  readonly messages: readonly InboundMessage[];
  readonly history: readonly GroupHistoryEntry[];
  readonly transcript: readonly TranscriptEntry[];
  readonly toolPolicy: ToolPolicy;
  readonly target: ReplyTarget;
  declare readonly overflow?: QueueOverflow;
  readonly isChild = false;
  readonly #deps: TurnRunnerDeps;
  readonly #turn: SessionTurn<TurnPayload>;
  readonly #trace: TurnTrace;
  readonly #adapter: ChannelAdapter | undefined;
  #replier: TurnReplier | undefined;
  #typing: TurnTyping | undefined;
  #steer: TurnSteerInbox | undefined;
  #reply: TurnContext['reply'] | undefined;
  #stream: TurnContext['stream'] | undefined;
  #setTyping: TurnContext['setTyping'] | undefined;
  #spawn: TurnContext['spawn'] | undefined;

  constructor(init: {
    readonly deps: TurnRunnerDeps;
    readonly turn: SessionTurn<TurnPayload>;
    readonly trace: TurnTrace;
    readonly messages: readonly InboundMessage[];
    readonly history: readonly GroupHistoryEntry[];
    readonly transcript: readonly TranscriptEntry[];
    readonly toolPolicy: ToolPolicy;
  }) {
    super(init.deps, init.trace);
    const { turn, trace } = init;
    this.agentId = trace.agentId;
    this.sessionKey = trace.sessionKey;
    this.turnId = trace.turnId;
    this.messages = init.messages;
    this.history = init.history;
    this.transcript = init.transcript;
    this.toolPolicy = init.toolPolicy;
    this.target = turn.target;
    if (turn.overflow !== undefined) (this as { overflow?: QueueOverflow }).overflow = turn.overflow;
    this.#deps = init.deps;
    this.#turn = turn;
    this.#trace = trace;
    this.#adapter = init.deps.channels.get(turn.target.channel);
  }

  /** The turn's signal (made on first read: most turns are never interrupted). */
  get signal(): AbortSignal {
    return this.#turn.signal;
  }

  get steer(): TurnSteerInbox {
    if (this.#steer === undefined) {
      const turn = this.#turn;
      const adopt = (items: readonly QueueItem<TurnPayload>[]): SteeredMessage[] => {
        const steered = items.map((item) => {
          const payload = item.payload as InboundPayload;
          return { message: payload.message, history: payload.history };
        });
        // Taken messages belong to this turn: recorded in order with its replies.
        void this.recordEntries(
          userEntries(
            steered.map((s) => s.message),
            this.turnId,
          ),
        );
        return steered;
      };
      this.#steer = {
        get size() {
          return turn.steer.size;
        },
        take: () => adopt(turn.steer.take()),
        async *[Symbol.asyncIterator]() {
          for await (const item of turn.steer) yield adopt([item])[0]!;
        },
      };
    }
    return this.#steer;
  }

  get reply(): TurnContext['reply'] {
    this.#reply ??= async (message) => {
      this.assertOpen('reply');
      const delivery = this.replier.send(message);
      this.recordReply(message);
      return this.track(delivery);
    };
    return this.#reply;
  }

  get stream(): TurnContext['stream'] {
    this.#stream ??= (options?: StreamOptions) => {
      this.assertOpen('stream');
      const stream = recordingStream(this.replier.stream(options), (text) => this.recordReply(text));
      this.trackStream(stream);
      return stream;
    };
    return this.#stream;
  }

  get setTyping(): TurnContext['setTyping'] {
    this.#setTyping ??= (on) => {
      this.#typing ??= createTurnTyping(
        this.#adapter,
        this.target,
        this.#deps.settings.typingIntervalMs,
        this.#deps.logger,
      );
      return this.#typing.set(on);
    };
    return this.#setTyping;
  }

  get spawn(): TurnContext['spawn'] {
    this.#spawn ??= async (options: SpawnOptions): Promise<SpawnAccepted> => {
      this.assertOpen('spawn');
      const { sessionKey, agentId, turnId, target, toolPolicy } = this;
      return this.#deps.spawn({ sessionKey, agentId, turnId, target, toolPolicy, isChild: false }, options);
    };
    return this.#spawn;
  }

  /**
   * The turn's replier (made on first use: a turn that does not answer needs none). It is not
   * tied to the turn's signal: an interrupt stops the handler, and what the handler already
   * handed over still goes out, in order (tying every send to two signals would cost an
   * `AbortSignal.any` per part). Stopping the gateway still abandons unsent parts, which stay
   * pending in the outbox for `recover()`. @internal
   */
  get replier(): TurnReplier {
    this.#replier ??= this.#deps.dispatcher.forTurn({
      turnId: this.turnId,
      target: this.target,
      sessionKey: this.sessionKey,
      agentId: this.agentId,
      messageId: this.#trace.messageId,
    });
    return this.#replier;
  }

  /** Deliver the handler's returned reply, recorded like `reply`. @internal */
  sendFinal(message: string | OutboundMessage): void {
    this.recordReply(message);
    this.track(this.replier.send(message));
  }

  /**
   * Clear the typing indicator if the handler turned it on; `undefined` when it never did. Called
   * once the turn has closed (a separate step, so that most turns need no async frame for it).
   * @internal
   */
  stopTyping(): Promise<void> | undefined {
    return this.#typing?.stop();
  }
}

const EMPTY_HISTORY: readonly GroupHistoryEntry[] = Object.freeze([]);
const EMPTY_STEER: TurnSteerInbox = Object.freeze({
  size: 0,
  take: () => [],
  async *[Symbol.asyncIterator]() {},
});

/** A text-only stream that collects what is written (a child's "replies" become its result). */
function collectingStream(collect: (text: string) => void): BlockStream {
  let text = '';
  let open = true;
  return {
    write(delta) {
      if (!open) throw new TypeError('BlockStream.write: the stream has ended.');
      if (typeof delta !== 'string') throw new TypeError('BlockStream.write: delta must be a string');
      text += delta;
    },
    async end() {
      if (open) {
        open = false;
        collect(text);
      }
      return [];
    },
    abort() {
      open = false;
    },
    get text() {
      return text;
    },
  };
}

/**
 * The context of a background run's turn: no target (a child cannot choose or see where its
 * result goes), replies and streams collected as the result, no nested spawn. @internal
 */
export class ChildTurnContext extends TurnScope implements TurnContext {
  readonly agentId: string;
  readonly sessionKey: string;
  readonly turnId: string;
  readonly messages: readonly InboundMessage[];
  readonly history = EMPTY_HISTORY;
  readonly transcript: readonly TranscriptEntry[];
  readonly toolPolicy: ToolPolicy;
  declare readonly model?: string;
  readonly isChild = true;
  readonly signal: AbortSignal;
  readonly steer = EMPTY_STEER;
  /** What the child "said": its replies and streams, in order. */
  readonly collected: string[] = [];

  constructor(init: {
    readonly deps: TurnRunnerDeps;
    readonly trace: TurnTrace;
    readonly input: RunChildInput;
    readonly task: InboundMessage;
    readonly transcript: readonly TranscriptEntry[];
    readonly signal: AbortSignal;
  }) {
    super(init.deps, init.trace);
    this.agentId = init.trace.agentId;
    this.sessionKey = init.trace.sessionKey;
    this.turnId = init.trace.turnId;
    this.messages = [init.task];
    this.transcript = init.transcript;
    this.toolPolicy = init.input.toolPolicy;
    if (init.input.model !== undefined) (this as { model?: string }).model = init.input.model;
    this.signal = init.signal;
  }

  /** Keep a piece of the result. */
  collect(text: string): void {
    if (text.trim() !== '') this.collected.push(text);
  }

  readonly reply = async (message: string | OutboundMessage): Promise<DeliveryResult> => {
    this.assertOpen('reply');
    const text = typeof message === 'string' ? message : message?.text;
    if (typeof text !== 'string') {
      throw new TypeError('TurnContext.reply(message): message must be a string or an OutboundMessage');
    }
    this.collect(text);
    // Nothing was delivered: the gateway announces the run's result to the parent's target.
    return { status: 'empty', partIndex: this.collected.length, parts: [] };
  };

  readonly stream = (): BlockStream => {
    this.assertOpen('stream');
    const stream = collectingStream((text) => this.collect(text));
    this.trackStream(stream);
    return stream;
  };

  readonly setTyping = async (): Promise<void> => {};

  readonly spawn = async (): Promise<SpawnAccepted> => {
    throw new NestedSpawnError(this.sessionKey);
  };
}
