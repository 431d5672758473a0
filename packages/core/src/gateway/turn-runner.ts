import type { ChannelAdapter, InboundMessage, OutboundMessage } from '@claw/channel-kit';
import type { AgentHandler, AgentHandlerResult } from '../agents/types.js';
import type { SpawnAccepted, SpawnOptions, SpawnParent } from '../background/types.js';
import type { ReplyDispatcher } from '../dispatch/types.js';
import type { ClawEventName, EventSink, TurnEndEvent } from '../events/types.js';
import type { GroupHistoryEntry } from '../group-history/index.js';
import type { QueueItem, SessionTurn } from '../queue/types.js';
import type { ClawStores } from '../stores/types.js';
import type { GatewaySettings } from './config.js';
import type { ClawLogger } from './logger.js';
import type { ChildPayload, InboundPayload, TurnPayload } from './payload.js';
import { intersectToolPolicies } from './tool-policies.js';
import { ChildTurnContext, InboundTurnContext, type TurnTrace, userEntries } from './turn-context.js';

/** What the turn runner needs from the gateway. @internal */
export interface TurnRunnerDeps {
  readonly agents: ReadonlyMap<string, AgentHandler>;
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  readonly dispatcher: ReplyDispatcher;
  readonly stores: ClawStores;
  readonly emit: EventSink;
  /** Whether anyone listens to an event (payloads nobody reads are not built). */
  readonly wants: (event: ClawEventName) => boolean;
  readonly now: () => number;
  readonly logger: ClawLogger;
  readonly settings: GatewaySettings;
  readonly spawn: (parent: SpawnParent, options: SpawnOptions) => Promise<SpawnAccepted>;
}

const EMPTY_HISTORY: readonly GroupHistoryEntry[] = Object.freeze([]);

/**
 * Whether the queue aborted the turn. The queue's turns expose `aborted`, which avoids creating an
 * `AbortController` for every turn just to ask (a few µs each, at tens of thousands of turns a second).
 */
function isAborted(turn: SessionTurn<TurnPayload>): boolean {
  const flag = (turn as { readonly aborted?: unknown }).aborted;
  return typeof flag === 'boolean' ? flag : turn.signal.aborted;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without a text string' : `a ${typeof value}`;
}

/** The reply a handler returned, or `undefined` for none. @throws {TypeError} for anything else. */
function replyOf(agentId: string, result: AgentHandlerResult): string | OutboundMessage | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result.trim() === '' ? undefined : result;
  if (typeof result === 'object' && typeof (result as OutboundMessage).text === 'string') {
    const message = result as OutboundMessage;
    return message.text.trim() === '' && (message.media?.length ?? 0) === 0 ? undefined : message;
  }
  throw new TypeError(
    `Agent "${agentId}" returned ${describe(result)}: a handler returns a string, an OutboundMessage ({ text }) or nothing.`,
  );
}

/** Pending history of the turn's messages, oldest first, each entry once. */
function historyOf(items: readonly QueueItem<TurnPayload>[]): readonly GroupHistoryEntry[] {
  if (items.length === 1) return (items[0]!.payload as InboundPayload).history;
  const seen = new Set<GroupHistoryEntry>();
  const entries: GroupHistoryEntry[] = [];
  for (const item of items) {
    for (const entry of (item.payload as InboundPayload).history) {
      if (!seen.has(entry)) {
        seen.add(entry);
        entries.push(entry);
      }
    }
  }
  return entries.length === 0 ? EMPTY_HISTORY : entries;
}

/**
 * Create the function the session queues call for each turn: it builds the turn's context, runs
 * the agent's handler, delivers what it returns, records the transcript, and reports the turn. A
 * handler that throws ends the turn as `failed` (an `error` event and the apology); the error is
 * rethrown only so the queue records the outcome.
 * @internal
 */
export function createTurnRunner(deps: TurnRunnerDeps): (turn: SessionTurn<TurnPayload>) => Promise<void> {
  return (turn) => {
    const first = turn.items[0]!.payload;
    return first.kind === 'child' ? runChildTurn(deps, turn, first) : runInboundTurn(deps, turn, first);
  };
}

async function runInboundTurn(
  deps: TurnRunnerDeps,
  turn: SessionTurn<TurnPayload>,
  first: InboundPayload,
): Promise<void> {
  const { stores, emit, now, settings } = deps;
  const { sessionKey, id: turnId, target } = turn;
  const items = turn.items;
  const messages =
    items.length === 1 ? [first.message] : items.map((item) => (item.payload as InboundPayload).message);
  const trace: TurnTrace = { sessionKey, agentId: first.agentId, turnId, messageId: first.message.messageId };
  const messageIds = messages.map((m) => m.messageId);
  const startedAt = now();
  if (deps.wants('turn:start')) emit('turn:start', { ...trace, messageIds, target });

  let ctx: InboundTurnContext | undefined;
  let failure: { error: unknown } | undefined;
  try {
    const handler = deps.agents.get(trace.agentId);
    if (handler === undefined) throw new Error(`No handler for agent "${trace.agentId}".`);
    const [, transcript] = await Promise.all([
      stores.sessions.touch(sessionKey, startedAt),
      stores.transcripts.read(sessionKey, { limit: settings.transcriptLimit }),
    ]);
    ctx = new InboundTurnContext({
      deps,
      turn,
      trace,
      messages,
      history: historyOf(items),
      transcript,
      toolPolicy:
        items.length === 1
          ? first.toolPolicy
          : intersectToolPolicies(items.map((item) => (item.payload as InboundPayload).toolPolicy)),
    });
    // Not awaited: writes are chained (the replies land after it) and the turn end waits for them.
    void ctx.recordEntries(userEntries(messages, turnId));
    const reply = replyOf(trace.agentId, await handler(ctx));
    if (reply !== undefined) ctx.sendFinal(reply);
  } catch (error) {
    failure = { error };
  }
  if (ctx !== undefined) {
    await ctx.close(failure !== undefined);
    // Then clear the typing indicator, if the handler turned it on (even while closing).
    const typing = ctx.stopTyping();
    if (typing !== undefined) await typing;
  }

  const aborted = isAborted(turn);
  if (failure !== undefined && !aborted) {
    emit('error', { ...trace, error: failure.error, source: 'turn' });
    deps.logger.error('agent handler failed', { ...trace, error: failure.error });
    if (settings.apology !== undefined) {
      const replier =
        ctx?.replier ??
        deps.dispatcher.forTurn({
          turnId,
          target,
          sessionKey,
          agentId: trace.agentId,
          messageId: trace.messageId,
        });
      await replier.send(settings.apology);
    }
  }
  const end: { -readonly [K in keyof TurnEndEvent]: TurnEndEvent[K] } = {
    sessionKey,
    agentId: trace.agentId,
    turnId,
    messageId: trace.messageId,
    messageIds,
    target,
    status: aborted ? 'aborted' : failure === undefined ? 'completed' : 'failed',
    durationMs: now() - startedAt,
  };
  if (failure !== undefined) end.error = failure.error;
  emit('turn:end', end);
  // Rethrown only so the queue records the outcome (failed or aborted); everything was reported.
  if (failure !== undefined) throw failure.error;
}

async function runChildTurn(
  deps: TurnRunnerDeps,
  turn: SessionTurn<TurnPayload>,
  payload: ChildPayload,
): Promise<void> {
  const { input } = payload;
  const { stores, now } = deps;
  const sessionKey = input.childSessionKey;
  const handler = deps.agents.get(input.agentId);
  if (handler === undefined) {
    payload.reject(new Error(`No handler for agent "${input.agentId}" (background run ${input.runId}).`));
    return;
  }
  if (input.signal.aborted) {
    payload.reject(input.signal.reason);
    return;
  }
  const startedAt = now();
  // The child's "message" is its task; it has no channel, no peer to answer, no target.
  const task: InboundMessage = Object.freeze({
    channel: 'background',
    accountId: 'default',
    messageId: input.runId,
    peer: Object.freeze({ kind: 'direct', id: sessionKey }),
    sender: Object.freeze({ id: input.parentSessionKey, name: 'parent session' }),
    text: input.task,
    timestamp: startedAt,
  });
  const trace: TurnTrace = { sessionKey, agentId: input.agentId, turnId: turn.id, messageId: input.runId };
  let ctx: ChildTurnContext | undefined;
  try {
    const [, transcript] = await Promise.all([
      stores.sessions.touch(sessionKey, startedAt),
      stores.transcripts.read(sessionKey, { limit: deps.settings.transcriptLimit }),
    ]);
    ctx = new ChildTurnContext({
      deps,
      trace,
      input,
      task,
      transcript,
      signal: AbortSignal.any([input.signal, turn.signal]),
    });
    await ctx.recordEntries(userEntries([task], turn.id));
    const reply = replyOf(input.agentId, await handler(ctx));
    await ctx.close(false);
    if (reply !== undefined) ctx.collect(typeof reply === 'string' ? reply : reply.text);
    const text = ctx.collected.join('\n\n');
    if (text !== '') await ctx.record({ role: 'assistant', text });
    payload.resolve({ text });
  } catch (error) {
    await ctx?.close(true);
    payload.reject(error);
  }
}
