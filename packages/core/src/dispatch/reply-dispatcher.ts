import {
  type ChannelAdapter,
  ChannelSendError,
  chunkModeOf,
  chunkText,
  type OutboundMessage,
  type ReplyTarget,
  replyTargetProblem,
} from '@claw/channel-kit';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { ReplyFailureReason } from '../events/types.js';
import type { OutboxRecord } from '../stores/types.js';
import { abortableSleep } from '../timers/sleep.js';
import { createBlockCoalescer, defaultBlockStreaming } from './block-coalescer.js';
import { toChannelMap } from './channels.js';
import { ReplyDispatchError } from './reply-dispatch-error.js';
import { defaultRetryPolicy, type RetryPolicy, retryDelay } from './retry.js';
import { conversationKeyOf } from './target-key.js';
import type {
  BlockStream,
  DeliveredPart,
  DeliverOptions,
  DeliveryResult,
  RecoveryReport,
  ReplyDispatcher,
  ReplyDispatcherOptions,
  ReplyToMode,
  StreamOptions,
  TurnReplier,
  TurnReplierOptions,
} from './types.js';

/** Default age after which an undelivered part is dropped instead of delivered late. */
export const defaultMaxAgeMs = 10 * 60_000;
const defaultEditIntervalMs = 1000;

/** One chunk ready to send, with everything needed to record and trace it. */
interface Part {
  readonly key: string;
  readonly target: ReplyTarget;
  readonly message: OutboundMessage;
  readonly turnId: string;
  readonly partIndex: number;
  readonly chunkIndex: number;
  /** The trace ids that are set (shared by the chunks of a delivery). */
  readonly ids: Ids;
  readonly createdAt: number;
}

/** Trace ids of a delivery, with only the fields that are set (built once per delivery). */
interface Ids {
  readonly sessionKey?: string;
  readonly agentId?: string;
  readonly messageId?: string;
}

function idsOf(source: {
  readonly sessionKey?: string;
  readonly agentId?: string;
  readonly messageId?: string;
}): Ids {
  const ids: { sessionKey?: string; agentId?: string; messageId?: string } = {};
  if (source.sessionKey !== undefined) ids.sessionKey = source.sessionKey;
  if (source.agentId !== undefined) ids.agentId = source.agentId;
  if (source.messageId !== undefined) ids.messageId = source.messageId;
  return ids;
}

const traceFields = ['sessionKey', 'agentId', 'messageId'] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isNonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function validateOptions(options: unknown): asserts options is ReplyDispatcherOptions {
  if (!isObject(options)) {
    throw new ConfigError([{ path: '', message: 'must be an object with channels and outbox' }], {
      subject: 'reply dispatcher options',
    });
  }
  const issues: ConfigIssue[] = [];
  toChannelMap(options['channels'], 'channels', issues);
  const outbox = options['outbox'];
  if (
    !isObject(outbox) ||
    ['record', 'get', 'markSent', 'markFailed', 'listPending'].some((m) => typeof outbox[m] !== 'function')
  ) {
    issues.push({
      path: 'outbox',
      message: 'must be an OutboxStore (record, get, markSent, markFailed, listPending, prune)',
    });
  }
  const retry = options['retry'];
  if (retry !== undefined) {
    if (!isObject(retry))
      issues.push({
        path: 'retry',
        message: 'must be an object { attempts, baseDelayMs, maxDelayMs, jitter }',
      });
    else {
      if (
        retry['attempts'] !== undefined &&
        !(isNonNegativeInteger(retry['attempts']) && retry['attempts'] >= 1)
      ) {
        issues.push({
          path: 'retry.attempts',
          message: 'must be an integer >= 1 (the first attempt included)',
        });
      }
      for (const field of ['baseDelayMs', 'maxDelayMs']) {
        const v = retry[field];
        if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
          issues.push({ path: `retry.${field}`, message: 'must be a finite number >= 0 (milliseconds)' });
        }
      }
      const jitter = retry['jitter'];
      if (jitter !== undefined && (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))) {
        issues.push({ path: 'retry.jitter', message: 'must be a number between 0 and 1' });
      }
      for (const key of Object.keys(retry)) {
        if (!['attempts', 'baseDelayMs', 'maxDelayMs', 'jitter'].includes(key)) {
          issues.push({
            path: `retry.${key}`,
            message: 'unknown setting (allowed: attempts, baseDelayMs, maxDelayMs, jitter)',
          });
        }
      }
    }
  }
  const maxAge = options['maxAgeMs'];
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !(maxAge > 0))) {
    issues.push({ path: 'maxAgeMs', message: 'must be a number > 0 (milliseconds; Infinity never expires)' });
  }
  if (
    options['replyToMode'] !== undefined &&
    !['all', 'first', 'off'].includes(options['replyToMode'] as string)
  ) {
    issues.push({ path: 'replyToMode', message: 'must be one of all, first, off' });
  }
  const stream = options['stream'];
  if (stream !== undefined) {
    if (!isObject(stream)) issues.push({ path: 'stream', message: 'must be an object' });
    else {
      for (const [field, value] of Object.entries(stream)) {
        if (!['minChars', 'maxChars', 'idleMs', 'editIntervalMs'].includes(field)) {
          issues.push({
            path: `stream.${field}`,
            message: 'unknown setting (allowed: minChars, maxChars, idleMs, editIntervalMs)',
          });
        } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          issues.push({ path: `stream.${field}`, message: 'must be a finite number >= 0' });
        }
      }
    }
  }
  for (const fn of ['now', 'sleep', 'random', 'onEvent']) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') {
      issues.push({ path: fn, message: 'must be a function when given' });
    }
  }
  if (options['signal'] !== undefined && !(options['signal'] instanceof AbortSignal)) {
    issues.push({ path: 'signal', message: 'must be an AbortSignal when given' });
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'reply dispatcher options' });
}

function invalid(detail: string): ReplyDispatchError {
  return new ReplyDispatchError('invalid_input', `ReplyDispatcher: ${detail}.`);
}

function checkTarget(target: unknown): ReplyTarget {
  const problem = replyTargetProblem(target);
  if (problem !== undefined) throw invalid(problem);
  return target as ReplyTarget;
}

function checkMessage(message: unknown): OutboundMessage {
  if (typeof message === 'string') return { text: message };
  if (!isObject(message) || typeof message['text'] !== 'string') {
    throw invalid('message must be a string or an OutboundMessage with a text string');
  }
  if (message['media'] !== undefined && !Array.isArray(message['media']))
    throw invalid('message.media must be an array when given');
  return message as unknown as OutboundMessage;
}

function checkDeliverOptions(options: unknown): DeliverOptions {
  if (!isObject(options)) throw invalid('options must be an object with a turnId');
  if (typeof options['turnId'] !== 'string' || options['turnId'] === '')
    throw invalid('options.turnId must be a non-empty string');
  const partIndex = options['partIndex'];
  const key = options['idempotencyKey'];
  if (partIndex !== undefined && !isNonNegativeInteger(partIndex))
    throw invalid('options.partIndex must be an integer >= 0');
  if (key !== undefined && (typeof key !== 'string' || key === ''))
    throw invalid('options.idempotencyKey must be a non-empty string');
  if (partIndex === undefined && key === undefined) {
    throw invalid(
      'options need a partIndex (key <turnId>:<partIndex>) or an idempotencyKey — without one, two parts of a turn would share a key and the second would be skipped as already sent',
    );
  }
  for (let i = 0; i < traceFields.length; i++) {
    const field = traceFields[i]!;
    const value = options[field];
    if (value !== undefined && typeof value !== 'string')
      throw invalid(`options.${field} must be a string when given`);
  }
  const createdAt = options['createdAt'];
  if (createdAt !== undefined && (typeof createdAt !== 'number' || !Number.isFinite(createdAt))) {
    throw invalid('options.createdAt must be a finite number (ms since the epoch)');
  }
  if (options['signal'] !== undefined && !(options['signal'] instanceof AbortSignal)) {
    throw invalid('options.signal must be an AbortSignal when given');
  }
  return options as unknown as DeliverOptions;
}

/** A signal that never aborts, shared (an AbortController per send would be pure overhead). */
const neverAborted = new AbortController().signal;

/** An AbortSignal that aborts when any of `signals` does. */
function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 1) return present[0]!;
  if (present.length === 0) return neverAborted;
  return AbortSignal.any(present);
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Create a reply dispatcher (see `docs/reply-routing.md`).
 *
 * - Delivers to the pinned target only, in strict order per target (one lane per conversation;
 *   different conversations are delivered in parallel).
 * - Chunks text with `chunkText` at the adapter's `textChunkLimit` and chunk mode.
 * - Records each chunk in the outbox under its idempotency key before sending and marks it after;
 *   a chunk the outbox has as sent is skipped, so a retry or a restart never posts it twice.
 * - Retries transient `ChannelSendError`s with exponential backoff and jitter, honouring
 *   `retryAfterMs`; reports permanent failures as `reply:failed` and carries on with later parts.
 * - Drops parts older than `maxAgeMs` instead of delivering them late.
 *
 * @throws {ConfigError} when the options are invalid (every problem listed by path).
 */
export function createReplyDispatcher(options: ReplyDispatcherOptions): ReplyDispatcher {
  validateOptions(options);
  const channels = toChannelMap(options.channels, 'channels', []);
  const outbox = options.outbox;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const maxAgeMs = options.maxAgeMs ?? defaultMaxAgeMs;
  const replyToMode: ReplyToMode = options.replyToMode ?? 'all';
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const stopSignal = options.signal;
  const streamDefaults = options.stream ?? {};

  const emit: NonNullable<ReplyDispatcherOptions['onEvent']> = (event, payload) => {
    try {
      options.onEvent?.(event, payload);
    } catch {
      // An observer that throws must not break delivery.
    }
  };
  // Event payloads are only built when someone listens.
  const observed = options.onEvent !== undefined;
  const reportError = (error: unknown, part: Part): void => {
    if (observed) emit('error', { error, source: 'dispatch', turnId: part.turnId, ...part.ids });
  };
  const trace = (part: Part) => ({
    turnId: part.turnId,
    target: part.target,
    idempotencyKey: part.key,
    partIndex: part.partIndex,
    chunkIndex: part.chunkIndex,
    ...part.ids,
  });

  // --- per-target lanes ------------------------------------------------------------------------
  const lanes = new Map<string, { tail: Promise<void>; size: number }>();
  let pending = 0;
  let idleWaiters: (() => void)[] = [];

  const inLane = <T>(target: ReplyTarget, task: () => Promise<T>): Promise<T> => {
    const key = conversationKeyOf(target);
    let lane = lanes.get(key);
    if (lane === undefined) {
      lane = { tail: Promise.resolve(), size: 0 };
      lanes.set(key, lane);
    }
    const current = lane;
    current.size++;
    pending++;
    const result = current.tail.then(task);
    const settle = (): void => {
      current.size--;
      pending--;
      if (current.size === 0 && lanes.get(key) === current) lanes.delete(key);
      if (pending === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    };
    current.tail = result.then(settle, settle);
    return result;
  };

  // --- one chunk -------------------------------------------------------------------------------
  const failPart = async (
    part: Part,
    reason: ReplyFailureReason,
    attempts: number,
    error: unknown,
    record: boolean,
  ): Promise<DeliveredPart> => {
    if (record) {
      try {
        await outbox.markFailed(part.key, {
          error: error === undefined ? reason : `${reason}: ${errorText(error)}`,
          at: now(),
          attempts,
        });
      } catch (storeError) {
        reportError(storeError, part);
      }
    }
    if (observed)
      emit('reply:failed', { ...trace(part), reason, attempts, ...(error === undefined ? {} : { error }) });
    return {
      idempotencyKey: part.key,
      chunkIndex: part.chunkIndex,
      status: 'failed',
      attempts,
      reason,
      ...(error === undefined ? {} : { error }),
    };
  };

  const deliverPart = async (
    adapter: ChannelAdapter | undefined,
    part: Part,
    turnSignal?: AbortSignal,
  ): Promise<DeliveredPart> => {
    let record: OutboxRecord;
    try {
      // `record` keeps an existing record as it is: a part confirmed before (a retry, a restart)
      // comes back as sent and is skipped.
      record = await outbox.record(toOutboxPart(part));
      if (record.status === 'sent') {
        const skipped: { -readonly [K in keyof DeliveredPart]: DeliveredPart[K] } = {
          idempotencyKey: part.key,
          chunkIndex: part.chunkIndex,
          status: 'skipped',
          attempts: record.attempts,
        };
        if (record.platformMessageId !== undefined) skipped.platformMessageId = record.platformMessageId;
        return skipped;
      }
    } catch (error) {
      // Sending what cannot be recorded could post it twice after a restart: do not send.
      reportError(error, part);
      return failPart(part, 'outbox', 0, error, false);
    }
    if (adapter === undefined) {
      return failPart(
        part,
        'unknown_channel',
        record.attempts,
        new Error(`No adapter is registered for channel "${part.target.channel}".`),
        true,
      );
    }
    const signal = anySignal([stopSignal, turnSignal]);
    let attempts = record.attempts;
    let tries = 0;
    for (;;) {
      // Stopping leaves the part pending (recover() delivers it after a restart); an interrupted
      // turn's part is given up for good.
      if (stopSignal?.aborted) return failPart(part, 'aborted', attempts, stopSignal.reason, false);
      if (turnSignal?.aborted) return failPart(part, 'aborted', attempts, turnSignal.reason, true);
      if (now() - record.createdAt > maxAgeMs) return failPart(part, 'stale', attempts, undefined, true);
      tries++;
      attempts++;
      try {
        const result = await adapter.send(part.target, part.message, { idempotencyKey: part.key, signal });
        const platformMessageId =
          typeof result?.messageId === 'string' ? result.messageId : String(result?.messageId ?? '');
        try {
          await outbox.markSent(part.key, { platformMessageId, at: now(), attempts });
        } catch (error) {
          reportError(error, part);
        }
        if (observed) emit('reply:sent', { ...trace(part), platformMessageId, attempts });
        return {
          idempotencyKey: part.key,
          chunkIndex: part.chunkIndex,
          status: 'sent',
          platformMessageId,
          attempts,
        };
      } catch (error) {
        if (stopSignal?.aborted) return failPart(part, 'aborted', attempts, error, false);
        if (turnSignal?.aborted) return failPart(part, 'aborted', attempts, error, true);
        if (!ChannelSendError.isInstance(error) || !error.retryable)
          return failPart(part, 'permanent', attempts, error, true);
        if (tries >= policy.attempts) return failPart(part, 'retries_exhausted', attempts, error, true);
        const delay = retryDelay(policy, tries, error.retryAfterMs, random);
        // Waiting past the age limit only to drop the part then: drop it now.
        if (now() + delay - record.createdAt > maxAgeMs)
          return failPart(part, 'stale', attempts, error, true);
        try {
          await sleep(delay, signal);
        } catch {
          // Aborted while waiting: the loop head reports it.
        }
      }
    }
  };

  const toOutboxPart = (part: Part) => ({
    idempotencyKey: part.key,
    target: part.target,
    message: part.message,
    turnId: part.turnId,
    partIndex: part.partIndex,
    chunkIndex: part.chunkIndex,
    createdAt: part.createdAt,
    ...part.ids,
  });

  /** Split a message into the chunks the adapter will receive. */
  const chunksOf = (
    adapter: ChannelAdapter | undefined,
    target: ReplyTarget,
    message: OutboundMessage,
    partIndex: number,
  ) => {
    const caps = adapter?.capabilities;
    let text = message.text;
    let media = message.media;
    if (caps !== undefined && !caps.media && media !== undefined && media.length > 0) {
      // The channel cannot attach media: the URLs go into the text instead (channel-kit contract).
      text = [text, ...media.map((m) => m.url)].filter((line) => line.trim() !== '').join('\n');
      media = undefined;
    }
    const hasMedia = media !== undefined && media.length > 0;
    const texts =
      caps === undefined
        ? text.trim() === ''
          ? []
          : [text]
        : chunkText(text, { limit: caps.textChunkLimit, mode: chunkModeOf(caps) });
    if (texts.length === 0 && hasMedia) texts.push('');
    const quote =
      message.replyToMessageId ??
      (caps?.replies && (replyToMode === 'all' || (replyToMode === 'first' && partIndex === 0))
        ? target.replyToMessageId
        : undefined);
    const format = message.format ?? (caps?.markdown ? 'markdown' : undefined);
    return texts.map((chunk, i): OutboundMessage => {
      const out: { -readonly [K in keyof OutboundMessage]: OutboundMessage[K] } = { text: chunk };
      if (format !== undefined) out.format = format;
      if (i === 0 && media !== undefined && media.length > 0) out.media = media;
      if (quote !== undefined && (i === 0 || replyToMode === 'all')) out.replyToMessageId = quote;
      return out;
    });
  };

  const deliver = async (
    targetInput: ReplyTarget,
    messageInput: OutboundMessage | string,
    optionsInput: DeliverOptions,
  ) => {
    const target = checkTarget(targetInput);
    const message = checkMessage(messageInput);
    const opts = checkDeliverOptions(optionsInput);
    const partIndex = opts.partIndex ?? 0;
    const baseKey = opts.idempotencyKey ?? `${opts.turnId}:${partIndex}`;
    const adapter = channels.get(target.channel);
    const createdAt = opts.createdAt ?? now();
    const chunks = chunksOf(adapter, target, message, partIndex);
    const ids = idsOf(opts);
    const parts: Part[] = chunks.map((chunk, chunkIndex) => ({
      key: chunks.length === 1 ? baseKey : `${baseKey}.${chunkIndex}`,
      target,
      message: chunk,
      turnId: opts.turnId,
      partIndex,
      chunkIndex,
      createdAt,
      ids,
    }));
    if (parts.length === 0) return { status: 'empty', partIndex, parts: [] } satisfies DeliveryResult;
    return inLane(target, async (): Promise<DeliveryResult> => {
      const results: DeliveredPart[] = [];
      for (const part of parts) results.push(await deliverPart(adapter, part, opts.signal));
      return { status: summarize(results), partIndex, parts: results };
    });
  };

  const recover = async (): Promise<RecoveryReport> => {
    const records = await outbox.listPending();
    // Parts of a turn in their original order, whatever order equal timestamps came back in.
    records.sort(
      (a, b) =>
        a.createdAt - b.createdAt ||
        (a.turnId < b.turnId ? -1 : a.turnId > b.turnId ? 1 : 0) ||
        a.partIndex - b.partIndex ||
        a.chunkIndex - b.chunkIndex,
    );
    const outcomes = await Promise.all(
      records.map((record) => {
        const part: Part = {
          key: record.idempotencyKey,
          target: record.target,
          message: record.message,
          turnId: record.turnId,
          partIndex: record.partIndex,
          chunkIndex: record.chunkIndex,
          createdAt: record.createdAt,
          ids: idsOf(record),
        };
        return inLane(record.target, () => deliverPart(channels.get(record.target.channel), part));
      }),
    );
    let sent = 0;
    let stale = 0;
    let failed = 0;
    for (const outcome of outcomes) {
      if (outcome.status !== 'failed') sent++;
      else if (outcome.reason === 'stale') stale++;
      else failed++;
    }
    return { sent, stale, failed };
  };

  const forTurn = (turnOptions: TurnReplierOptions): TurnReplier => {
    if (!isObject(turnOptions))
      throw invalid('forTurn(options): options must be an object with turnId and target');
    if (typeof turnOptions.turnId !== 'string' || turnOptions.turnId === '') {
      throw invalid('forTurn(options): turnId must be a non-empty string');
    }
    const first = turnOptions.firstPartIndex ?? 0;
    if (!isNonNegativeInteger(first))
      throw invalid('forTurn(options): firstPartIndex must be an integer >= 0');
    // A frozen copy: changing the caller's object afterwards cannot move this turn's replies.
    const target = freezeTarget(checkTarget(turnOptions.target));
    let next = first;
    const meta = {
      turnId: turnOptions.turnId,
      ...(turnOptions.sessionKey === undefined ? {} : { sessionKey: turnOptions.sessionKey }),
      ...(turnOptions.agentId === undefined ? {} : { agentId: turnOptions.agentId }),
      ...(turnOptions.messageId === undefined ? {} : { messageId: turnOptions.messageId }),
      ...(turnOptions.signal === undefined ? {} : { signal: turnOptions.signal }),
    };
    const send = (message: OutboundMessage | string): Promise<DeliveryResult> => {
      checkMessage(message);
      return deliver(target, message, { ...meta, partIndex: next++ });
    };
    return {
      turnId: turnOptions.turnId,
      target,
      send,
      stream: (streamOptions: StreamOptions = {}) =>
        createStream(channels.get(target.channel), target, send, meta, streamOptions),
      get partsUsed() {
        return next - first;
      },
    };
  };

  // --- block streaming -------------------------------------------------------------------------
  const createStream = (
    adapter: ChannelAdapter | undefined,
    target: ReplyTarget,
    send: (message: string) => Promise<DeliveryResult>,
    meta: {
      readonly turnId: string;
      readonly sessionKey?: string;
      readonly agentId?: string;
      readonly signal?: AbortSignal;
    },
    streamOptions: StreamOptions,
  ): BlockStream => {
    const settings = { ...streamDefaults, ...streamOptions };
    const canEdit = adapter?.capabilities.edit === true && typeof adapter.edit === 'function';
    const mode = settings.mode ?? (canEdit ? 'edit' : 'blocks');
    if (mode === 'edit' && !canEdit) {
      throw invalid(`stream({ mode: 'edit' }): channel "${target.channel}" does not declare edit`);
    }
    const limit = adapter?.capabilities.textChunkLimit ?? Number.POSITIVE_INFINITY;
    return mode === 'edit'
      ? editStream(adapter!, target, send, meta, limit, settings.editIntervalMs ?? defaultEditIntervalMs)
      : blockStream(send, limit, settings);
  };

  const blockStream = (
    send: (message: string) => Promise<DeliveryResult>,
    limit: number,
    settings: StreamOptions,
  ): BlockStream => {
    let text = '';
    let state = 'open' as 'open' | 'ended' | 'aborted';
    const deliveries: Promise<DeliveryResult>[] = [];
    const coalescer = createBlockCoalescer({
      minChars: settings.minChars ?? defaultBlockStreaming.minChars,
      maxChars: Math.min(settings.maxChars ?? defaultBlockStreaming.maxChars, limit),
      idleMs: settings.idleMs ?? defaultBlockStreaming.idleMs,
      now,
      sleep,
      onBlock: (block) => {
        if (state !== 'aborted') deliveries.push(send(block));
      },
    });
    return {
      write(delta) {
        if (state !== 'open')
          throw new ReplyDispatchError('closed', 'BlockStream.write: the stream has ended.');
        if (typeof delta !== 'string') throw invalid('BlockStream.write: delta must be a string');
        text += delta;
        coalescer.write(delta);
      },
      async end() {
        if (state === 'open') {
          state = 'ended';
          coalescer.end();
        }
        return Promise.all(deliveries);
      },
      abort() {
        state = 'aborted';
        coalescer.abort();
      },
      get text() {
        return text;
      },
    };
  };

  const editStream = (
    adapter: ChannelAdapter,
    target: ReplyTarget,
    send: (message: string) => Promise<DeliveryResult>,
    meta: {
      readonly turnId: string;
      readonly sessionKey?: string;
      readonly agentId?: string;
      readonly signal?: AbortSignal;
    },
    limit: number,
    editIntervalMs: number,
  ): BlockStream => {
    const turnSignal = meta.signal;
    const mode = chunkModeOf(adapter.capabilities);
    let text = '';
    let live = ''; // text of the message being grown
    let liveId: string | undefined; // its platform id once sent
    let liveKey = ''; // its idempotency key (edits derive theirs from it)
    let shown = ''; // what the platform shows for it
    let editFailed = false;
    let lastEditAt = 0;
    let state = 'open' as 'open' | 'ended' | 'aborted';
    const finals: string[] = []; // completed messages waiting to be settled, in order
    const results: DeliveryResult[] = [];
    let wake: (() => void) | undefined;
    let throttle: AbortController | undefined;

    const poke = (): void => {
      throttle?.abort();
      const w = wake;
      wake = undefined;
      w?.();
    };

    const sendNew = async (body: string): Promise<string | undefined> => {
      const result = await send(body);
      results.push(result);
      const first = result.parts[0];
      liveKey = first?.idempotencyKey ?? liveKey;
      return result.status === 'sent' || result.status === 'skipped' ? first?.platformMessageId : undefined;
    };

    const edit = async (messageId: string, body: string): Promise<boolean> => {
      const signal = anySignal([stopSignal, turnSignal]);
      for (let attempt = 1; ; attempt++) {
        try {
          await adapter.edit!(
            target,
            messageId,
            { text: body },
            { idempotencyKey: `${liveKey}#edit`, signal },
          );
          return true;
        } catch (error) {
          const retry =
            ChannelSendError.isInstance(error) &&
            error.retryable &&
            attempt < policy.attempts &&
            !signal.aborted;
          if (!retry) {
            emit('error', {
              error,
              source: 'dispatch',
              turnId: meta.turnId,
              ...(meta.sessionKey === undefined ? {} : { sessionKey: meta.sessionKey }),
              ...(meta.agentId === undefined ? {} : { agentId: meta.agentId }),
            });
            return false;
          }
          try {
            await sleep(retryDelay(policy, attempt, error.retryAfterMs, random), signal);
          } catch {
            // Aborted: the next attempt sees it.
          }
        }
      }
    };

    const settleLive = async (body: string): Promise<void> => {
      if (liveId === undefined) {
        if (body.trim() !== '') await sendNew(body);
      } else if (body !== shown && !(await edit(liveId, body))) {
        // The message cannot be edited any more: deliver the full text as a new message.
        await sendNew(body);
      }
    };

    const pump = (async () => {
      for (;;) {
        if (state === 'aborted') return;
        if (finals.length > 0) {
          await settleLive(finals.shift()!);
          liveId = undefined;
          shown = '';
          continue;
        }
        if (live.trim() !== '' && liveId === undefined && !editFailed) {
          const body = live;
          const id = await sendNew(body);
          if (id === undefined) editFailed = true;
          else {
            liveId = id;
            shown = body;
            lastEditAt = now();
          }
          continue;
        }
        if (liveId !== undefined && live !== shown && !editFailed) {
          const wait = lastEditAt + editIntervalMs - now();
          if (wait > 0 && state === 'open') {
            throttle = new AbortController();
            try {
              await sleep(wait, throttle.signal);
            } catch {
              // Woken early (more text or end): loop again.
            }
            throttle = undefined;
            continue;
          }
          const body = live;
          if (await edit(liveId, body)) {
            shown = body;
            lastEditAt = now();
          } else editFailed = true;
          continue;
        }
        if (state === 'ended') {
          // Whatever the platform does not show yet goes out as a final message.
          if (editFailed && live.trim() !== '' && live !== shown) await sendNew(live);
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    })();

    return {
      write(delta) {
        if (state !== 'open')
          throw new ReplyDispatchError('closed', 'BlockStream.write: the stream has ended.');
        if (typeof delta !== 'string') throw invalid('BlockStream.write: delta must be a string');
        if (delta === '') return;
        text += delta;
        live += delta;
        if (live.length > limit) {
          // Overflow: complete messages are settled in order; the rest keeps growing in a new one.
          const pieces = chunkText(live, { limit, mode });
          finals.push(...pieces.slice(0, -1));
          live = pieces.at(-1) ?? '';
        }
        poke();
      },
      async end() {
        if (state === 'open') state = 'ended';
        poke();
        await pump;
        return results;
      },
      abort() {
        state = 'aborted';
        poke();
      },
      get text() {
        return text;
      },
    };
  };

  return {
    deliver,
    forTurn,
    recover,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    get pending() {
      return pending;
    },
  };
}

function summarize(parts: readonly DeliveredPart[]): DeliveryResult['status'] {
  const failed = parts.filter((p) => p.status === 'failed').length;
  if (failed === parts.length) return 'failed';
  if (failed > 0) return 'partial';
  return parts.every((p) => p.status === 'skipped') ? 'skipped' : 'sent';
}

function freezeTarget(target: ReplyTarget): ReplyTarget {
  return Object.freeze({
    channel: target.channel,
    accountId: target.accountId,
    peer: Object.freeze({ kind: target.peer.kind, id: target.peer.id }),
    ...(target.threadId === undefined ? {} : { threadId: target.threadId }),
    ...(target.replyToMessageId === undefined ? {} : { replyToMessageId: target.replyToMessageId }),
  });
}
