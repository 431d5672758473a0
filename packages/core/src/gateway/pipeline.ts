import {
  type ChannelAdapter,
  type InboundMessage,
  parseInbound,
  type ReplyTarget,
  replyTargetOf,
} from '@claw/channel-kit';
import type { AccessConfig } from '../access/config.js';
import { decideAccess } from '../access/decide.js';
import type { AccessDecision, AccessFacts, BotIdentity } from '../access/types.js';
import { type ConversationBindings, isSurelyUnbound } from '../bindings/conversation-bindings.js';
import type { ReplyDispatcher } from '../dispatch/types.js';
import type { ClawEventName, DecisionAction, EventSink } from '../events/types.js';
import {
  type GroupHistory,
  type GroupHistoryEntry,
  historyEntryFromMessage,
} from '../group-history/index.js';
import { matchMentionPatterns } from '../mentions/index.js';
import { formatPairingReply, type Pairing, type PairingFacts } from '../pairing/index.js';
import type { EnqueueResult, QueueSettings, SessionQueues } from '../queue/types.js';
import type { BroadcastPlan, ResolvedRoute, Router } from '../routing/types.js';
import type { ClawStores, ConversationBinding, SessionEntry } from '../stores/types.js';
import { resolveToolPolicy, type ToolPolicy } from '../tool-policy/index.js';
import type { GatewaySettings } from './config.js';
import { ClawStoppedError, UnknownChannelError } from './errors.js';
import type { ClawLogger } from './logger.js';
import type { InboundPayload, TurnPayload } from './payload.js';
import { type MessageIds, outcomeOf, Receipt, type ReceiptFields } from './receipt.js';
import type { ReceiptStatus, ReceiveReceipt, TurnOutcome, TurnRef, UnprocessedMessage } from './types.js';

/** Reason codes the gateway adds to the access reasons. */
export const GatewayReasons = Object.freeze({
  /** A redelivery of a message already received. `duplicate`. */
  DUPLICATE: 'duplicate',
  /** The session's queue was full and its drop policy is `new`. `dropped`. */
  QUEUE_FULL: 'queue_full',
  /** An owner's `/activation mention|always` was stored for the session. `command`. */
  ACTIVATION_SET: 'activation_set',
  /** An owner's `/activation` without a valid mode: the usage was sent. `command`. */
  ACTIVATION_USAGE: 'activation_usage',
});

/** A sequential broadcast turn waiting for the previous agent's turn. @internal */
export interface DeferredTurn extends UnprocessedMessage {
  readonly dedupeKey: string;
}

/** What the pipeline needs from the gateway. @internal */
export interface PipelineDeps {
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  readonly router: Router;
  readonly access: AccessConfig;
  readonly roster: ReadonlySet<string>;
  readonly settings: GatewaySettings;
  readonly stores: ClawStores;
  readonly bindings: ConversationBindings;
  readonly pairing: Pairing;
  readonly history: GroupHistory;
  readonly dispatcher: ReplyDispatcher;
  readonly queues: SessionQueues<TurnPayload>;
  readonly emit: EventSink;
  /** Whether anyone listens to an event (payloads nobody reads are not built). */
  readonly wants: (event: ClawEventName) => boolean;
  readonly now: () => number;
  readonly logger: ClawLogger;
  readonly bots: Readonly<Record<string, BotIdentity>>;
  readonly newId: () => string;
  readonly isStopping: () => boolean;
  /** Sequential broadcast turns not yet queued (reported by `stop()` if they never are). */
  readonly deferred: Set<DeferredTurn>;
}

type Route = Pick<ResolvedRoute, 'agentId' | 'sessionKey'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_HISTORY: readonly GroupHistoryEntry[] = Object.freeze([]);

/**
 * The dedupe key of a message: injective in (channel, account, message id). Channel ids cannot
 * contain `:`; the account is length-prefixed, so no id can pass for another.
 */
function dedupeKeyOf(ids: MessageIds): string {
  return `inbound:${ids.channel}:${ids.accountId.length}:${ids.accountId}:${ids.messageId}`;
}

/**
 * Where the answer goes: the message's own conversation and thread, quoting it when the channel
 * supports replies. A thread is kept only on channels that declare `threads` (an adapter's
 * contract: the core never sets a thread the channel cannot post into).
 */
function pinTarget(message: InboundMessage, adapter: ChannelAdapter): ReplyTarget {
  const caps = adapter.capabilities;
  const target = replyTargetOf(message, { replyToMessage: caps.replies });
  if (target.threadId === undefined || caps.threads) return target;
  const { threadId: _dropped, ...rest } = target;
  return Object.freeze(rest);
}

function actionOf(status: ReceiptStatus): DecisionAction {
  switch (status) {
    case 'dispatched':
    case 'command':
      return 'dispatch';
    case 'skipped':
      return 'skip';
    case 'dropped':
      return 'drop';
    default:
      return status;
  }
}

/**
 * Build `receive`: validate → own/bot → dedupe → binding → route → access → skip / pairing /
 * command / dispatch (broadcast fan-out, pinned target, queue). See `docs/pipeline.md`.
 * @internal
 */
export function createReceive(deps: PipelineDeps): (input: unknown) => Promise<ReceiveReceipt> {
  const { channels, router, access, settings, stores, emit, now, queues } = deps;
  const ownerIds = settings.ownerIds.length > 0 ? settings.ownerIds : undefined;
  const hasBroadcast = Object.keys(router.config.broadcast ?? {}).some((k) => k !== 'strategy');

  /** The queue override: the session's `/queue` mode over the channel's settings. */
  const queueOverride = (
    channel: string,
    entry: SessionEntry | undefined,
  ): Partial<QueueSettings> | undefined => {
    const base = settings.queueByChannel.get(channel);
    return entry?.queueMode === undefined ? base : { ...base, mode: entry.queueMode };
  };

  /** Emit the `decision` event (when anyone listens). */
  const announce = (
    action: DecisionAction,
    reason: string,
    ids: MessageIds,
    fields: ReceiptFields & { readonly turnId?: string | undefined; readonly detail?: unknown },
  ): void => {
    if (!deps.wants('decision')) return;
    const event: Mutable<Parameters<EventSink<'decision'>>[1]> = { ...ids, action, reason };
    if (fields.sessionKey !== undefined) event.sessionKey = fields.sessionKey;
    if (fields.agentId !== undefined) event.agentId = fields.agentId;
    if (fields.turnId !== undefined) event.turnId = fields.turnId;
    if (fields.bindingId !== undefined) event.bindingId = fields.bindingId;
    const detail = fields.detail ?? fields.decision;
    if (detail !== undefined) event.detail = detail;
    emit('decision', event);
  };

  /** A receipt for a message that was decided without queueing a turn (announced here). */
  const settled = (
    status: ReceiptStatus,
    reason: string,
    ids: MessageIds,
    fields: ReceiptFields & { readonly detail?: unknown } = {},
  ): ReceiveReceipt => {
    announce(actionOf(status), reason, ids, fields);
    return new Receipt(status, reason, ids, fields);
  };

  const factsFor = (
    message: InboundMessage,
    adapter: ChannelAdapter,
    agentId: string,
    entry: SessionEntry | undefined,
    pairing: PairingFacts | undefined,
  ): AccessFacts => {
    const facts: Mutable<AccessFacts> = { nativeMentions: adapter.capabilities.nativeMentions, agentId };
    if (adapter.identity !== undefined) facts.identity = adapter.identity;
    const bot = deps.bots[message.channel];
    if (bot !== undefined) facts.bot = bot;
    if (ownerIds !== undefined) facts.ownerIds = ownerIds;
    if (entry?.activation !== undefined) facts.activation = entry.activation;
    // The bot has answered in this thread when its thread session exists (sessions are made by
    // turns, never by skipped messages).
    if (message.threadId !== undefined && entry !== undefined) facts.botThreadParticipant = true;
    if (pairing !== undefined) Object.assign(facts, pairing);
    return facts;
  };

  /** Queue one turn now. */
  const enqueue = (
    message: InboundMessage,
    target: ReplyTarget,
    route: Route,
    toolPolicy: ToolPolicy,
    history: readonly GroupHistoryEntry[],
    dedupeKey: string,
    entry: SessionEntry | undefined,
    turnId: string,
  ): EnqueueResult => {
    const payload: InboundPayload = {
      kind: 'inbound',
      message,
      agentId: route.agentId,
      history,
      toolPolicy,
      dedupeKey,
    };
    return queues.enqueue(
      { sessionKey: route.sessionKey, target, payload, id: turnId },
      queueOverride(message.channel, entry),
    );
  };

  const toolPolicyFor = (message: InboundMessage, accountId: string, agentId: string): ToolPolicy =>
    resolveToolPolicy({
      config: access,
      channel: message.channel,
      accountId,
      agentId,
      sender: message.sender,
      ...(message.peer.kind === 'direct' ? {} : { groupId: message.peer.id }),
      ...(message.parentPeer === undefined ? {} : { parentGroupId: message.parentPeer.id }),
    });

  /** The agents whose mention patterns match the text (broadcast mention gating). */
  const mentionedAgents = (text: string): string[] =>
    [...deps.roster].filter((id) => matchMentionPatterns(access.mentionPatterns(id), text).matched);

  /** Take the group's pending history for the turn(s) this message starts. */
  const takeHistory = (decision: AccessDecision): readonly GroupHistoryEntry[] => {
    const key = decision.historyKey;
    return key !== undefined && (decision.historyLimit ?? 0) > 0 ? deps.history.take(key) : NO_HISTORY;
  };

  /** One route: the common case, synchronous. */
  const dispatchOne = (
    message: InboundMessage,
    ids: MessageIds,
    target: ReplyTarget,
    decision: AccessDecision,
    route: Route,
    entry: SessionEntry | undefined,
    binding: ConversationBinding | undefined,
    dedupeKey: string,
  ): ReceiveReceipt => {
    const toolPolicy = decision.toolPolicy ?? toolPolicyFor(message, ids.accountId, route.agentId);
    const history = takeHistory(decision);
    const turnId = deps.newId();
    if (deps.isStopping()) throw new ClawStoppedError();
    const { sessionKey, agentId } = route;
    const bindingId = binding?.bindingId;
    // Announced before queueing: the queue may start the turn at once, and `decision` comes first.
    if (deps.wants('decision')) {
      announce('dispatch', decision.reason, ids, { decision, sessionKey, agentId, bindingId, turnId });
    }
    const result = enqueue(message, target, route, toolPolicy, history, dedupeKey, entry, turnId);
    const ref: TurnRef = { sessionKey, agentId, turnId };
    // Refused by a full queue (drop policy `new`): reported as `message:unprocessed` too.
    const refused = result.status === 'dropped';
    return new Receipt(
      refused ? 'dropped' : 'dispatched',
      refused ? GatewayReasons.QUEUE_FULL : decision.reason,
      ids,
      {
        decision,
        sessionKey,
        agentId,
        bindingId,
        turns: refused ? undefined : [ref],
        queued: { ref, result },
      },
    );
  };

  /** A broadcast group: every agent of the group answers, each in its own session. */
  const dispatchBroadcast = async (
    message: InboundMessage,
    ids: MessageIds,
    target: ReplyTarget,
    decision: AccessDecision,
    route: Route,
    entry: SessionEntry | undefined,
    plan: BroadcastPlan,
    dedupeKey: string,
  ): Promise<ReceiveReceipt> => {
    const history = takeHistory(decision);
    const entries = await Promise.all(
      plan.routes.map((r) => (r.sessionKey === route.sessionKey ? entry : stores.sessions.get(r.sessionKey))),
    );
    if (deps.isStopping()) throw new ClawStoppedError();
    const turns: TurnRef[] = plan.routes.map((r) => ({
      sessionKey: r.sessionKey,
      agentId: r.agentId,
      turnId: deps.newId(),
    }));
    announce('dispatch', decision.reason, ids, {
      sessionKey: turns[0]?.sessionKey,
      agentId: turns[0]?.agentId,
      turnId: turns[0]?.turnId,
      detail: { decision, plan },
    });
    const outcomes: Promise<TurnOutcome>[] = [];
    let previous: Promise<unknown> | undefined;
    plan.routes.forEach((r, i) => {
      const ref = turns[i]!;
      const toolPolicy =
        r.agentId === route.agentId && decision.toolPolicy !== undefined
          ? decision.toolPolicy
          : toolPolicyFor(message, ids.accountId, r.agentId);
      const queue = () => enqueue(message, target, r, toolPolicy, history, dedupeKey, entries[i], ref.turnId);
      if (plan.strategy === 'parallel' || previous === undefined) {
        const outcome = queue().settled.then((o) => outcomeOf(ref, o));
        previous = outcome;
        outcomes.push(outcome);
        return;
      }
      // Sequential: this agent's turn is queued once the previous agent's turn has ended.
      const deferred: DeferredTurn = { message, ...ref, dedupeKey };
      deps.deferred.add(deferred);
      const outcome = previous.then((): Promise<TurnOutcome> | TurnOutcome => {
        // Reported by stop() already, or the gateway is stopping: it never runs.
        if (!deps.deferred.delete(deferred) || deps.isStopping()) return { ...ref, status: 'stopped' };
        try {
          return queue().settled.then((o) => outcomeOf(ref, o));
        } catch {
          return { ...ref, status: 'stopped' };
        }
      });
      previous = outcome;
      outcomes.push(outcome);
    });
    return new Receipt('dispatched', decision.reason, ids, { decision, turns, outcomes });
  };

  /** An owner's `/activation`: stored for the session and confirmed, without a turn. */
  const activation = async (
    ids: MessageIds,
    target: ReplyTarget,
    decision: AccessDecision,
    route: Route,
  ): Promise<ReceiveReceipt> => {
    const mode = decision.activationCommand?.mode;
    if (mode !== undefined) await stores.sessions.update(route.sessionKey, { activation: mode }, now());
    const text =
      mode === undefined
        ? 'Usage: /activation mention|always'
        : mode === 'always'
          ? 'Group activation: always (I answer every message here).'
          : 'Group activation: mention (I answer when mentioned).';
    const key = `command:${dedupeKeyOf(ids)}`;
    void deps.dispatcher
      .deliver(target, text, { turnId: key, idempotencyKey: key, ...route, messageId: ids.messageId })
      .catch((error: unknown) => emit('error', { ...ids, ...route, error, source: 'dispatch' }));
    const reason = mode === undefined ? GatewayReasons.ACTIVATION_USAGE : GatewayReasons.ACTIVATION_SET;
    return settled('command', reason, ids, { decision, ...route });
  };

  /** An unknown DM sender under `pairing`: a code in their DM, once per request. */
  const pairingChallenge = async (
    message: InboundMessage,
    ids: MessageIds,
    target: ReplyTarget,
    decision: AccessDecision,
    route: Route,
  ): Promise<ReceiveReceipt> => {
    const challenge = await deps.pairing.challenge(ids.channel, ids.accountId, message.sender);
    if (challenge.isNew) {
      // Deterministic key: a redelivered challenge is never posted twice.
      const key = `pairing:${ids.channel}:${ids.accountId.length}:${ids.accountId}:${challenge.code}`;
      const text = formatPairingReply({
        channel: ids.channel,
        code: challenge.code,
        senderId: message.sender.id,
        ...(settings.approveCommand === undefined
          ? {}
          : { approveCommand: settings.approveCommand.replaceAll('<code>', challenge.code) }),
      });
      void deps.dispatcher
        .deliver(target, text, { turnId: key, idempotencyKey: key, ...route, messageId: ids.messageId })
        .catch((error: unknown) => emit('error', { ...ids, ...route, error, source: 'dispatch' }));
    }
    return settled('pairing', decision.reason, ids, { decision, ...route, detail: { decision, challenge } });
  };

  /** Whether a conversation on this channel can be bound at all (else there is nothing to look up). */
  const canBind = (adapter: ChannelAdapter): boolean => {
    const caps = adapter.capabilities;
    return caps.supportsCurrentConversationBinding || caps.threads;
  };

  /** `binding`, unless its agent no longer exists (a binding made under an older config). */
  const liveBinding = (
    binding: ConversationBinding | undefined,
    ids: MessageIds,
  ): ConversationBinding | undefined => {
    if (binding === undefined || deps.roster.has(binding.agentId)) return binding;
    // A binding made under an older config: route normally rather than to a missing agent.
    emit('error', {
      ...ids,
      sessionKey: binding.targetSessionKey,
      agentId: binding.agentId,
      error: new Error(
        `Conversation binding ${binding.bindingId} names agent "${binding.agentId}", which is not configured; the message is routed normally.`,
      ),
      source: 'binding',
    });
    return undefined;
  };

  return async function receive(input: unknown): Promise<ReceiveReceipt> {
    if (deps.isStopping()) throw new ClawStoppedError();
    const message = parseInbound(input);
    const adapter = channels.get(message.channel);
    if (adapter === undefined) throw new UnknownChannelError(message.channel, [...channels.keys()]);
    const ids: MessageIds = {
      messageId: message.messageId,
      channel: message.channel,
      accountId: message.accountId?.trim() || 'default',
    };
    if (deps.wants('inbound')) emit('inbound', { ...ids, message });

    // Own echoes and other bots are dropped before they take a dedupe slot.
    if (message.sender.isSelf === true) return settled('dropped', 'own_message', ids);
    if (message.sender.isBot === true && !access.channel(ids.channel, ids.accountId).allowBots) {
      return settled('dropped', 'bot_message', ids);
    }
    const dedupeKey = dedupeKeyOf(ids);
    if (!(await stores.dedupe.claim(dedupeKey, settings.dedupeTtlMs, now()))) {
      return settled('duplicate', GatewayReasons.DUPLICATE, ids);
    }
    // Everything after the claim is inline rather than in an async helper: every message passes
    // here, and each async layer costs a promise and a suspended frame per message.
    try {
      const target = pinTarget(message, adapter);
      // Most conversations have no binding, and the store can often say so without a lookup.
      const binding =
        canBind(adapter) && !isSurelyUnbound(deps.bindings, target)
          ? liveBinding(await deps.bindings.lookupTarget(target), ids)
          : undefined;
      const route: Route =
        binding === undefined
          ? router.resolve(message)
          : { agentId: binding.agentId, sessionKey: binding.targetSessionKey };
      const entry = await stores.sessions.get(route.sessionKey);
      const pairing =
        message.peer.kind === 'direct' && access.channel(ids.channel, ids.accountId).dmPolicy === 'pairing'
          ? await deps.pairing.readFacts(ids.channel, ids.accountId)
          : undefined;
      const decision = decideAccess(
        access,
        message,
        factsFor(message, adapter, route.agentId, entry, pairing),
      );
      switch (decision.action) {
        case 'drop':
          return settled('dropped', decision.reason, ids, {
            decision,
            ...route,
            bindingId: binding?.bindingId,
          });
        case 'skip': {
          const limit = decision.historyLimit ?? 0;
          if (decision.historyKey !== undefined && limit > 0) {
            deps.history.record(decision.historyKey, historyEntryFromMessage(message), { limit });
          }
          return settled('skipped', decision.reason, ids, {
            decision,
            ...route,
            bindingId: binding?.bindingId,
          });
        }
        case 'pairing':
          return await pairingChallenge(message, ids, target, decision, route);
        default: {
          if (decision.activationCommand !== undefined) return await activation(ids, target, decision, route);
          let plan = binding === undefined && hasBroadcast ? router.broadcast(message) : null;
          if (plan?.mentionGating) {
            plan = router.broadcast(message, { mentionedAgentIds: mentionedAgents(message.text) });
          }
          return plan === null
            ? dispatchOne(message, ids, target, decision, route, entry, binding, dedupeKey)
            : await dispatchBroadcast(message, ids, target, decision, route, entry, plan, dedupeKey);
        }
      }
    } catch (error) {
      // Not admitted: give the claim back so a platform redelivery can try again.
      try {
        await stores.dedupe.release(dedupeKey);
      } catch (releaseError) {
        emit('error', { ...ids, error: releaseError, source: 'store' });
      }
      if (!ClawStoppedError.isInstance(error)) emit('error', { ...ids, error, source: 'pipeline' });
      throw error;
    }
  };
}
