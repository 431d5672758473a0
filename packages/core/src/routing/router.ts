import { InvalidMessageError } from '@claw/channel-kit';
import { normalizeThreadId, peerKeyParts } from '../keys/build.js';
import { escapeKeySegment } from '../keys/escape.js';
import { formatPartsUnchecked } from '../keys/format.js';
import { type DmScope, type GroupScope, normalizeAgentId } from '../keys/index.js';
import {
  type ChannelIndex,
  type CompiledBinding,
  type CompiledRouting,
  compileRouting,
  newChannelIndex,
} from './compile.js';
import { type NormalizedRouteInput, NormalizeMemo, normalizeRouteInput } from './input.js';
import type { RoutingConfig } from './schema.js';
import {
  type BroadcastOptions,
  type BroadcastPlan,
  type MatchedBy,
  type ResolvedRoute,
  ROUTE_TIERS,
  type RouteExplanation,
  type RouteInput,
  type Router,
  type RouterOptions,
  type TierAttempt,
} from './types.js';

/**
 * A binding's conditions besides its tier key: the account pattern, and the guild, team and role
 * conditions it adds (checked against the input's scope; routing.md §4.3).
 */
function scopeMatches(b: CompiledBinding, input: NormalizedRouteInput): boolean {
  if (b.account !== '*' && b.account !== input.accountId) return false;
  if (b.guildId !== undefined && b.guildId !== input.guildId) return false;
  if (b.teamId !== undefined && b.teamId !== input.teamId) return false;
  const roles = b.roles;
  if (roles === undefined) return true;
  const have = input.roles;
  if (have === undefined) return false;
  for (let i = 0; i < roles.length; i++) if (have.includes(roles[i] as string)) return true;
  return false;
}

/** Trace sink for `explain`; `resolve` passes none and pays nothing for it. */
type Trace = TierAttempt[] | undefined;

/** One tier: the first binding of its (source-ordered) bucket whose conditions hold. */
function tryTier(
  tier: number,
  list: CompiledBinding[] | undefined,
  input: NormalizedRouteInput,
  trace: Trace,
): CompiledBinding | undefined {
  let match: CompiledBinding | undefined;
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      const b = list[i] as CompiledBinding;
      if (scopeMatches(b, input)) {
        match = b;
        break;
      }
    }
  }
  if (trace !== undefined) {
    const attempt: TierAttempt = {
      tier,
      matchedBy: ROUTE_TIERS[tier - 1] as MatchedBy,
      candidates: list?.length ?? 0,
    };
    trace.push(match === undefined ? attempt : { ...attempt, matchedBindingIndex: match.index });
  }
  return match;
}

/** Receives the deciding binding of {@link walkTiers} (one per router: routing is synchronous). */
interface MatchSlot {
  binding: CompiledBinding | undefined;
}

function found(slot: MatchSlot, binding: CompiledBinding, tier: number): number {
  slot.binding = binding;
  return tier;
}

const NO_INDEX: ChannelIndex = Object.freeze(newChannelIndex());

/**
 * Walk the tiers (routing.md §4.3). Returns the deciding tier (1–9) and leaves its binding in
 * `slot` (undefined for tier 9, the default route), so nothing is allocated per message. Each
 * tier costs one map probe and a scan of the (small) list of bindings under that exact key.
 */
function walkTiers(c: CompiledRouting, input: NormalizedRouteInput, slot: MatchSlot, trace: Trace): number {
  slot.binding = undefined;
  let index = c.channels.get(input.channel);
  if (index === undefined) {
    if (trace === undefined) return 9;
    index = NO_INDEX;
  }
  const peerKind = input.peerKind;
  let m: CompiledBinding | undefined;
  if (peerKind !== undefined) {
    m = tryTier(
      1,
      (peerKind === 'direct' ? index.peersDirect : index.peersGroup).get(input.peerId),
      input,
      trace,
    );
    if (m !== undefined) return found(slot, m, 1);
  }
  const parentKind = input.parentKind;
  if (parentKind !== undefined && input.parentId !== '') {
    m = tryTier(
      2,
      (parentKind === 'direct' ? index.peersDirect : index.peersGroup).get(input.parentId),
      input,
      trace,
    );
    if (m !== undefined) return found(slot, m, 2);
  }
  if (peerKind !== undefined) {
    m = tryTier(3, peerKind === 'direct' ? index.wildcardDirect : index.wildcardGroup, input, trace);
    if (m !== undefined) return found(slot, m, 3);
  }
  const guild = input.guildId;
  if (guild !== '') {
    if (input.roles !== undefined) {
      m = tryTier(4, index.guildRoles.get(guild), input, trace);
      if (m !== undefined) return found(slot, m, 4);
    }
    m = tryTier(5, index.guild.get(guild), input, trace);
    if (m !== undefined) return found(slot, m, 5);
  }
  const team = input.teamId;
  if (team !== '') {
    m = tryTier(6, index.team.get(team), input, trace);
    if (m !== undefined) return found(slot, m, 6);
  }
  m = tryTier(7, index.accountWide.get(input.accountId), input, trace);
  if (m !== undefined) return found(slot, m, 7);
  m = tryTier(8, index.channelWide, input, trace);
  if (m !== undefined) return found(slot, m, 8);
  trace?.push({ tier: 9, matchedBy: 'default', candidates: 0 });
  return 9;
}

/** Build the route for a chosen agent and scopes (routing.md §4.5). */
function routeFor(
  c: CompiledRouting,
  input: NormalizedRouteInput,
  agentId: string,
  dmScope: DmScope,
  groupScope: GroupScope,
  matchedBy: MatchedBy,
): ResolvedRoute {
  const caseInsensitiveIds = c.caseInsensitiveChannels.has(input.channel);
  let sessionKey = formatPartsUnchecked(
    peerKeyParts({
      agentId,
      channel: input.channel,
      accountId: input.accountId,
      kind: input.peerKind,
      peerId: input.peerId,
      dmScope,
      groupScope,
      mainKey: c.mainKey,
      links: c.links,
      caseInsensitiveIds,
    }),
  );
  if (input.threadId !== undefined && input.threadId !== null) {
    const threadId = normalizeThreadId(input.threadId, caseInsensitiveIds);
    if (threadId !== undefined) sessionKey = `${sessionKey}:thread:${escapeKeySegment(threadId)}`;
  }
  const mainSessionKey = c.mainSessionKeys.get(agentId) as string;
  return Object.freeze({
    agentId,
    channel: input.channel,
    accountId: input.accountId,
    sessionKey,
    mainSessionKey,
    lastRoutePolicy: sessionKey === mainSessionKey ? 'main' : 'session',
    matchedBy,
  });
}

/** Route a normalised input; the deciding binding is left in `slot`. */
function decide(
  c: CompiledRouting,
  input: NormalizedRouteInput,
  slot: MatchSlot,
  trace: Trace,
): ResolvedRoute {
  const tier = walkTiers(c, input, slot, trace);
  const binding = slot.binding;
  let agentId = binding?.agentId;
  if (agentId === undefined) {
    agentId = input.defaultAgentId ?? c.defaultAgentId;
    if (!c.roster.has(agentId)) {
      throw new InvalidMessageError([
        { path: 'defaultAgentId', message: `unknown agent "${agentId}": it is not in agents.list` },
      ]);
    }
  }
  return routeFor(
    c,
    input,
    agentId,
    binding?.dmScope ?? input.dmScope ?? c.dmScope,
    binding?.groupScope ?? input.groupScope ?? c.groupScope,
    ROUTE_TIERS[tier - 1] as MatchedBy,
  );
}

function describeInput(input: NormalizedRouteInput): string {
  const parts = [`channel "${input.channel}"`, `account "${input.accountId}"`];
  if (input.peerKind !== undefined) parts.push(`peer ${input.peerKind}:${input.peerId}`);
  if (input.parentKind !== undefined) parts.push(`parent ${input.parentKind}:${input.parentId}`);
  if (input.guildId !== '') parts.push(`guild ${input.guildId}`);
  if (input.teamId !== '') parts.push(`team ${input.teamId}`);
  if (input.roles !== undefined) parts.push(`roles [${input.roles.join(', ')}]`);
  return parts.join(', ');
}

/**
 * Validate a routing config (agents, bindings, session, broadcast) and compile it once into an
 * index, so that routing a message costs a few map lookups whatever the number of bindings.
 *
 * @throws {ConfigError} listing every problem by path: unknown agents, invalid peer kinds, empty
 *   ids, several defaults, unprefixed identity links, unknown broadcast agents ….
 */
export function createRouter(config: RoutingConfig, options: RouterOptions = {}): Router {
  const c = compileRouting(config, options);
  const memo = new NormalizeMemo();
  const slot: MatchSlot = { binding: undefined };

  return Object.freeze({
    config: c.config,

    resolve(input: RouteInput): ResolvedRoute {
      return decide(c, normalizeRouteInput(input, memo), slot, undefined);
    },

    explain(input: RouteInput): RouteExplanation {
      const normalized = normalizeRouteInput(input, memo);
      const tiersTried: TierAttempt[] = [];
      const route = decide(c, normalized, slot, tiersTried);
      const binding = slot.binding;
      const lines = [`route ${describeInput(normalized)}`];
      for (const t of tiersTried) {
        const outcome =
          t.matchedBindingIndex !== undefined
            ? `bindings[${t.matchedBindingIndex}] matched`
            : t.tier === 9
              ? `default agent "${route.agentId}"`
              : 'no match';
        lines.push(`  tier ${t.tier} ${t.matchedBy}: ${t.candidates} candidate(s), ${outcome}`);
      }
      lines.push(`→ agent "${route.agentId}" (${route.matchedBy}), session ${route.sessionKey}`);
      const explanation = {
        ...route,
        tiersTried: Object.freeze(tiersTried.map((t) => Object.freeze(t))),
        ...(binding === undefined ? {} : { bindingIndex: binding.index, binding: binding.source }),
        lines: Object.freeze(lines),
      };
      Object.defineProperty(explanation, 'toString', { value: () => lines.join('\n'), enumerable: false });
      return Object.freeze(explanation);
    },

    broadcast(input: RouteInput, broadcastOptions: BroadcastOptions = {}): BroadcastPlan | null {
      const normalized = normalizeRouteInput(input, memo);
      if (normalized.peerKind === undefined || c.broadcast.size === 0) return null;
      const group = c.broadcast.get(`${normalized.channel}:${normalized.peerId}`);
      if (group === undefined || group.agents.length === 0) return null;
      const base = decide(c, normalized, slot, undefined);
      let agents = group.agents;
      const mentioned: unknown = broadcastOptions.mentionedAgentIds;
      if (mentioned !== undefined && !Array.isArray(mentioned)) {
        throw new InvalidMessageError([
          { path: 'mentionedAgentIds', message: 'must be a list of agent ids' },
        ]);
      }
      if (group.mentionGating && mentioned !== undefined && mentioned.length > 0) {
        const ids = new Set(mentioned.filter((m) => typeof m === 'string').map(normalizeAgentId));
        const selected = agents.filter((a) => ids.has(a));
        if (selected.length > 0) agents = selected;
      }
      const dmScope = normalized.dmScope ?? c.dmScope;
      const groupScope = normalized.groupScope ?? c.groupScope;
      // Each agent gets its own session under the configured scopes (routing.md §5.1: a binding's
      // session override belongs to the binding's own agent, not to the broadcast participants).
      const routes = agents.map((agentId) =>
        routeFor(c, normalized, agentId, dmScope, groupScope, base.matchedBy),
      );
      return Object.freeze({
        key: group.key,
        strategy: c.broadcastStrategy,
        mentionGating: group.mentionGating,
        maxRounds: group.maxRounds,
        maxTurns: group.maxTurns,
        routes: Object.freeze(routes),
      });
    },
  });
}
