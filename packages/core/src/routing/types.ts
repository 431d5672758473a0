import type { DmScope, GroupScope } from '../keys/index.js';
import type { BindingConfig, RoutingConfig } from './schema.js';

/**
 * Which rule chose the agent (routing.md §4.3), in precedence order: a binding for the exact peer,
 * for the parent peer (threads), for every peer of the kind (`id: "*"`), for the guild with a
 * matching role, for the guild, for the team, for the account, for the whole channel
 * (`accountId: "*"`), or the default agent.
 */
export type MatchedBy =
  | 'binding.peer'
  | 'binding.peer.parent'
  | 'binding.peer.wildcard'
  | 'binding.guild+roles'
  | 'binding.guild'
  | 'binding.team'
  | 'binding.account'
  | 'binding.channel'
  | 'default';

/** The nine tiers, in the order they are tried (index + 1 is the tier number). */
export const ROUTE_TIERS: readonly MatchedBy[] = Object.freeze([
  'binding.peer',
  'binding.peer.parent',
  'binding.peer.wildcard',
  'binding.guild+roles',
  'binding.guild',
  'binding.team',
  'binding.account',
  'binding.channel',
  'default',
] as MatchedBy[]);

/** A conversation as the router accepts it. Ids may be numbers or bigints; `dm`/`supergroup` are aliases. */
export interface RoutePeer {
  /** `direct`, `group` or `channel` (`dm` and `supergroup` accepted). */
  readonly kind: string;
  /** The platform id. */
  readonly id: string | number | bigint;
}

/**
 * What the router needs from a message. An `InboundMessage` from `@claw/channel-kit` is accepted
 * as is (extra fields are ignored).
 */
export interface RouteInput {
  /** Channel id (required). Trimmed and lowercased. */
  readonly channel: string;
  /** Bot account; blank → `default`. */
  readonly accountId?: string | undefined;
  /** The conversation. Without one, the route is the agent's main session. */
  readonly peer?: RoutePeer | null | undefined;
  /** For threads and topics: the parent conversation, used only to inherit its binding. */
  readonly parentPeer?: RoutePeer | null | undefined;
  /** Discord server id. */
  readonly guildId?: string | number | bigint | null | undefined;
  /** Slack workspace / Teams team id. */
  readonly teamId?: string | number | bigint | null | undefined;
  /** The sender's Discord role ids. */
  readonly memberRoleIds?: readonly (string | number | bigint)[] | null | undefined;
  /** Thread inside the peer (Slack, Matrix): the session key gets `:thread:<id>`. */
  readonly threadId?: string | number | bigint | null | undefined;
  /** Per-call DM scope; a binding's own `session.dmScope` still wins. */
  readonly dmScope?: DmScope | undefined;
  /** Per-call group scope; a binding's own `session.groupScope` still wins. */
  readonly groupScope?: GroupScope | undefined;
  /** Agent for traffic no binding claims (instead of the configured default). Must be in the roster. */
  readonly defaultAgentId?: string | undefined;
}

/** Where a message goes: the agent and the session (a plain, frozen, serializable object). */
export interface ResolvedRoute {
  /** The chosen agent (canonical id). */
  readonly agentId: string;
  /** Normalised channel id. */
  readonly channel: string;
  /** Normalised account id. */
  readonly accountId: string;
  /** The session this message belongs to. */
  readonly sessionKey: string;
  /** The agent's main session, `agent:<agentId>:<mainKey>`. */
  readonly mainSessionKey: string;
  /** `main` when the message lands in the main session (so "last route" updates go there), else `session`. */
  readonly lastRoutePolicy: 'main' | 'session';
  /** Which rule chose the agent. */
  readonly matchedBy: MatchedBy;
}

/** One tier the router looked at, in {@link RouteExplanation.tiersTried}. */
export interface TierAttempt {
  /** Tier number, 1–9 (see {@link ROUTE_TIERS}). */
  readonly tier: number;
  /** The tier's name. */
  readonly matchedBy: MatchedBy;
  /** How many bindings the tier's index bucket held for this input (0 for the default tier). */
  readonly candidates: number;
  /** Index in `config.bindings` of the binding that matched in this tier, if one did. */
  readonly matchedBindingIndex?: number;
}

/** {@link ResolvedRoute} plus why: the tiers tried and the binding that matched. */
export interface RouteExplanation extends ResolvedRoute {
  /** Tiers tried, in order, up to the one that decided. Tiers whose input was absent are skipped. */
  readonly tiersTried: readonly TierAttempt[];
  /** Index in `config.bindings` of the binding that decided (absent for the default route). */
  readonly bindingIndex?: number;
  /** That binding, as configured. */
  readonly binding?: BindingConfig;
  /** Human-readable trace, one line per step. `toString()` joins them. */
  readonly lines: readonly string[];
}

/** One broadcast fan-out (routing.md §5): every agent of the group and its own route. */
export interface BroadcastPlan {
  /** The matching `broadcast` key, `<channel>:<peerId>`. */
  readonly key: string;
  /** `parallel` (default) starts every agent at once; `sequential` runs them in list order. */
  readonly strategy: 'parallel' | 'sequential';
  /** Only mentioned participants answer (when some are mentioned). Default `true`. */
  readonly mentionGating: boolean;
  /** Rounds of follow-ups (1–4, default 1). */
  readonly maxRounds: number;
  /** Turn budget (1–32, default: the number of agents in the group). */
  readonly maxTurns: number;
  /** One route per selected agent, in list order; account and `matchedBy` are the base route's. */
  readonly routes: readonly ResolvedRoute[];
}

/** Options of {@link Router.broadcast}. */
export interface BroadcastOptions {
  /** Agents mentioned in the message (for mention gating). Unknown ids are ignored. */
  readonly mentionedAgentIds?: readonly string[] | undefined;
}

/** Options of `createRouter`. */
export interface RouterOptions {
  /**
   * Channels whose ids are case-insensitive (the adapters' `caseInsensitiveIds` capability): their
   * peer and thread ids are lowercased in session keys, as OpenClaw does. Every other channel keeps
   * case. Binding matching is exact either way.
   */
  readonly caseInsensitiveChannels?: readonly string[] | undefined;
}

/** A compiled router: pure functions of (config, input). */
export interface Router {
  /** Route a message to an agent and a session. @throws {InvalidMessageError} for a malformed input. */
  resolve(input: RouteInput): ResolvedRoute;
  /** Like `resolve`, plus the tiers tried and the binding that matched. */
  explain(input: RouteInput): RouteExplanation;
  /** The broadcast group for the message's peer, or `null` when none is configured (route normally). */
  broadcast(input: RouteInput, options?: BroadcastOptions): BroadcastPlan | null;
  /**
   * A shallow, frozen copy of the config the router was compiled from. The router never reads the
   * original again, so mutating it has no effect: create a new router for a new config.
   */
  readonly config: RoutingConfig;
}
