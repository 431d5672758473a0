import type { z } from 'zod';
import { ConfigError, type ConfigIssue, configIssuesFromZod } from '../errors/index.js';
import {
  type CompiledIdentityLinks,
  compileIdentityLinks,
  type DmScope,
  escapeKeySegment,
  type GroupScope,
  identityLinkIssues,
  normalizeAccountId,
  normalizeAgentId,
  normalizeChannelId,
  normalizeChatType,
  normalizeIdValue,
  normalizeMainKey,
} from '../keys/index.js';
import {
  agentsConfigSchema,
  type BindingConfig,
  bindingSchema,
  broadcastGroupSchema,
  type ParsedBinding,
  type RoutingConfig,
  sessionConfigSchema,
} from './schema.js';
import type { RouterOptions } from './types.js';

/** A binding reduced to what matching and session keys need. */
export interface CompiledBinding {
  /** Index in `config.bindings` (source order decides within a tier). */
  readonly index: number;
  /** Canonical account id the binding is for, or `*` for every account. */
  readonly account: string;
  /** Canonical agent id (checked against the roster). */
  readonly agentId: string;
  readonly guildId: string | undefined;
  readonly teamId: string | undefined;
  /** Role ids; `undefined` when the binding has no (or an empty) role list. */
  readonly roles: readonly string[] | undefined;
  readonly dmScope: DmScope | undefined;
  readonly groupScope: GroupScope | undefined;
  /** The binding as configured (for `explain`). */
  readonly source: BindingConfig;
}

/**
 * The index of one channel: one bucket per tier, each keyed so that a message costs one map probe
 * per tier. Lists keep source order; account-specific and `*` bindings share them (the account
 * pattern is part of the per-binding check), so no merge is needed per message.
 */
export interface ChannelIndex {
  /** Tiers 1–2, direct peers by id. */
  readonly peersDirect: Map<string, CompiledBinding[]>;
  /** Tiers 1–2, group and channel peers by id (the two kinds are interchangeable for matching). */
  readonly peersGroup: Map<string, CompiledBinding[]>;
  /** Tier 3, `id: "*"` bindings by kind. */
  readonly wildcardDirect: CompiledBinding[];
  readonly wildcardGroup: CompiledBinding[];
  /** Tier 4, by guild. */
  readonly guildRoles: Map<string, CompiledBinding[]>;
  /** Tier 5, by guild. */
  readonly guild: Map<string, CompiledBinding[]>;
  /** Tier 6, by team. */
  readonly team: Map<string, CompiledBinding[]>;
  /** Tier 7: bindings without peer, guild or team, by (canonical) account. */
  readonly accountWide: Map<string, CompiledBinding[]>;
  /** Tier 8: bindings without peer, guild or team for every account (`accountId: "*"`). */
  readonly channelWide: CompiledBinding[];
}

/** One broadcast group, normalised. */
export interface CompiledBroadcastGroup {
  readonly key: string;
  readonly agents: readonly string[];
  readonly mentionGating: boolean;
  readonly maxRounds: number;
  readonly maxTurns: number;
}

/** Everything `resolve` needs, built once per config. */
export interface CompiledRouting {
  readonly channels: Map<string, ChannelIndex>;
  readonly roster: ReadonlySet<string>;
  readonly defaultAgentId: string;
  readonly mainKey: string;
  readonly dmScope: DmScope;
  readonly groupScope: GroupScope;
  readonly links: CompiledIdentityLinks | undefined;
  /** agentId → `agent:<agentId>:<mainKey>`. */
  readonly mainSessionKeys: ReadonlyMap<string, string>;
  readonly broadcast: ReadonlyMap<string, CompiledBroadcastGroup>;
  readonly broadcastStrategy: 'parallel' | 'sequential';
  readonly caseInsensitiveChannels: ReadonlySet<string>;
  readonly config: RoutingConfig;
}

const MAX_BROADCAST_AGENTS = 16;

/** An empty per-channel index (also the index of a channel without bindings). */
export function newChannelIndex(): ChannelIndex {
  return {
    peersDirect: new Map(),
    peersGroup: new Map(),
    wildcardDirect: [],
    wildcardGroup: [],
    guildRoles: new Map(),
    guild: new Map(),
    team: new Map(),
    accountWide: new Map(),
    channelWide: [],
  };
}

function pushTo(map: Map<string, CompiledBinding[]>, key: string, binding: CompiledBinding): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [binding]);
  else list.push(binding);
}

function parsePiece<T extends z.ZodType>(
  schema: T,
  value: unknown,
  path: (string | number)[],
  issues: ConfigIssue[],
): z.output<T> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...configIssuesFromZod(result.error, path));
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validate a routing config and compile it into per-(channel, account) indices, in one pass over
 * the bindings. Every problem (shape and meaning) is collected into one `ConfigError`.
 *
 * @throws {ConfigError} listing every problem by path.
 */
export function compileRouting(config: RoutingConfig, options: RouterOptions = {}): CompiledRouting {
  const issues: ConfigIssue[] = [];
  if (!isPlainObject(config)) {
    throw new ConfigError([{ path: '', message: 'the config must be an object' }], {
      subject: 'routing config',
    });
  }
  const caseInsensitiveChannels = new Set<string>();
  if (options.caseInsensitiveChannels !== undefined) {
    if (!Array.isArray(options.caseInsensitiveChannels)) {
      issues.push({ path: '(options).caseInsensitiveChannels', message: 'must be a list of channel ids' });
    } else {
      for (const channel of options.caseInsensitiveChannels) {
        const id = normalizeChannelId(channel);
        if (id === '')
          issues.push({ path: '(options).caseInsensitiveChannels', message: 'must not contain blank ids' });
        caseInsensitiveChannels.add(id);
      }
    }
  }

  // --- agents: the roster and the default agent ---
  const agents = parsePiece(agentsConfigSchema.optional(), config.agents, ['agents'], issues);
  const roster = new Set<string>();
  let firstAgent: string | undefined;
  let markedDefault: string | undefined;
  let markedDefaultPath = '';
  agents?.list?.forEach((entry, i) => {
    const path = `agents.list.${i}`;
    if (entry.id.trim() === '') {
      issues.push({ path: `${path}.id`, message: 'must not be blank' });
      return;
    }
    const id = normalizeAgentId(entry.id);
    if (roster.has(id)) {
      issues.push({
        path: `${path}.id`,
        message: `duplicate agent id "${id}" (ids are compared normalised)`,
      });
      return;
    }
    roster.add(id);
    firstAgent ??= id;
    if (entry.default === true) {
      if (markedDefault === undefined) {
        markedDefault = id;
        markedDefaultPath = path;
      } else {
        issues.push({
          path: `${path}.default`,
          message: `only one agent may be the default; ${markedDefaultPath} ("${markedDefault}") already is`,
        });
      }
    }
  });
  if (roster.size === 0) roster.add('main');
  const defaultAgentId = markedDefault ?? firstAgent ?? 'main';
  const declared = [...roster].join(', ');
  const agentIdOf = memoize(normalizeAgentId);
  const checkAgent = (raw: string, path: string): string | undefined => {
    if (raw.trim() === '') {
      issues.push({ path, message: 'must not be blank' });
      return undefined;
    }
    const id = agentIdOf(raw);
    if (roster.has(id)) return id;
    issues.push({
      path,
      message: `unknown agent "${raw}": declare it in agents.list (declared: ${declared})`,
    });
    return undefined;
  };

  // --- session ---
  const session = parsePiece(sessionConfigSchema.optional(), config.session, ['session'], issues);
  const dmScope: DmScope = session?.dmScope ?? 'main';
  const groupScope: GroupScope = session?.groupScope ?? 'per-group';
  const mainKey = normalizeMainKey(session?.mainKey);
  let links: CompiledIdentityLinks | undefined;
  if (session?.identityLinks !== undefined) {
    const linkIssues = identityLinkIssues(session.identityLinks);
    if (linkIssues.length > 0) issues.push(...linkIssues);
    else links = compileIdentityLinks(session.identityLinks);
    if (links?.empty === true) links = undefined;
  }

  // --- bindings: validate and index in one pass ---
  const channels = new Map<string, ChannelIndex>();
  const rawBindings: unknown = config.bindings;
  if (rawBindings !== undefined && !Array.isArray(rawBindings)) {
    issues.push({ path: 'bindings', message: 'must be a list of bindings' });
  } else if (rawBindings !== undefined) {
    const norm = {
      channel: memoize(normalizeChannelId),
      account: memoize((raw) => (raw.trim() === '*' ? '*' : normalizeAccountId(raw))),
    };
    const placement: Placement = { channel: '', peerId: undefined, peerKind: undefined, wildcard: false };
    for (let i = 0; i < rawBindings.length; i++) {
      const raw: unknown = rawBindings[i];
      if (!isWellFormedBinding(raw) && parsePiece(bindingSchema, raw, ['bindings', i], issues) === undefined)
        continue;
      // Well-formed: the raw object has the parsed shape except that ids may still be numbers,
      // which compileBinding normalises itself.
      const binding = raw as ParsedBinding;
      const b = compileBinding(binding, i, norm, checkAgent, issues, placement);
      if (b === undefined || binding.type === 'acp') continue; // ACP bindings never route (V3+)
      let index = channels.get(placement.channel);
      if (index === undefined) {
        index = newChannelIndex();
        channels.set(placement.channel, index);
      }
      const direct = placement.peerKind === 'direct';
      if (placement.wildcard) (direct ? index.wildcardDirect : index.wildcardGroup).push(b);
      else if (placement.peerId !== undefined)
        pushTo(direct ? index.peersDirect : index.peersGroup, placement.peerId, b);
      else if (b.guildId !== undefined)
        pushTo(b.roles !== undefined ? index.guildRoles : index.guild, b.guildId, b);
      else if (b.teamId !== undefined) pushTo(index.team, b.teamId, b);
      else if (b.account === '*') index.channelWide.push(b);
      else pushTo(index.accountWide, b.account, b);
    }
  }

  // --- broadcast: each group validated on its own, so one bad group hides no other problem ---
  const broadcast = new Map<string, CompiledBroadcastGroup>();
  let broadcastStrategy: 'parallel' | 'sequential' = 'parallel';
  const rawBroadcast: unknown = config.broadcast;
  if (rawBroadcast !== undefined && !isPlainObject(rawBroadcast)) {
    issues.push({
      path: 'broadcast',
      message: 'must be an object of "<channel>:<peerId>" keys (and strategy)',
    });
  } else if (rawBroadcast !== undefined) {
    for (const [rawKey, value] of Object.entries(rawBroadcast)) {
      const path = `broadcast.${rawKey}`;
      if (rawKey === 'strategy') {
        if (value === 'parallel' || value === 'sequential') broadcastStrategy = value;
        else issues.push({ path, message: 'must be parallel or sequential' });
        continue;
      }
      const group = parsePiece(broadcastGroupSchema, value, ['broadcast', rawKey], issues);
      const colon = rawKey.indexOf(':');
      const channel = colon === -1 ? '' : normalizeChannelId(rawKey.slice(0, colon));
      const peerId = colon === -1 ? '' : rawKey.slice(colon + 1).trim();
      if (channel === '' || peerId === '') {
        issues.push({
          path,
          message: `broadcast keys are "<channel>:<peerId>" (e.g. "whatsapp:${rawKey.trim() || '120363@g.us'}")`,
        });
        continue;
      }
      if (group === undefined) continue;
      const key = `${channel}:${peerId}`;
      if (broadcast.has(key)) {
        issues.push({ path, message: `duplicate broadcast group for "${key}"` });
        continue;
      }
      const list = Array.isArray(group) ? group : group.agents;
      if (list.length > MAX_BROADCAST_AGENTS) {
        issues.push({
          path,
          message: `at most ${MAX_BROADCAST_AGENTS} agents per broadcast group (got ${list.length})`,
        });
      }
      const ids: string[] = [];
      list.forEach((raw, i) => {
        const at = Array.isArray(group) ? `${path}.${i}` : `${path}.agents.${i}`;
        const id = checkAgent(raw, at);
        if (id === undefined) return;
        if (ids.includes(id)) issues.push({ path: at, message: `agent "${id}" is listed twice` });
        else ids.push(id);
      });
      const detail = Array.isArray(group) ? undefined : group;
      broadcast.set(key, {
        key,
        agents: ids,
        mentionGating: detail?.mentionGating ?? true,
        maxRounds: detail?.maxRounds ?? 1,
        maxTurns: detail?.maxTurns ?? Math.max(1, Math.min(32, ids.length)),
      });
    }
  }

  if (issues.length > 0) throw new ConfigError(issues, { subject: 'routing config' });

  const mainSessionKeys = new Map<string, string>();
  for (const id of roster) mainSessionKeys.set(id, `agent:${id}:${escapeKeySegment(mainKey)}`);
  return {
    channels,
    roster,
    defaultAgentId,
    mainKey,
    dmScope,
    groupScope,
    links,
    mainSessionKeys,
    broadcast,
    broadcastStrategy,
    caseInsensitiveChannels,
    // A shallow frozen copy: the compiled index never reads the caller's object again.
    config: Object.freeze({ ...config }),
  };
}

const BINDING_KEYS: ReadonlySet<string> = new Set(['type', 'agentId', 'comment', 'match', 'session']);
const MATCH_KEYS: ReadonlySet<string> = new Set([
  'channel',
  'accountId',
  'peer',
  'guildId',
  'teamId',
  'roles',
]);
const SESSION_KEYS: ReadonlySet<string> = new Set(['dmScope', 'groupScope']);
const DM_SCOPE_VALUES: ReadonlySet<unknown> = new Set([
  'main',
  'per-peer',
  'per-channel-peer',
  'per-account-channel-peer',
]);

function onlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function isIdValue(value: unknown): boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'bigint';
}

/**
 * Allocation-free structural check of one binding. It accepts a subset of what `bindingSchema`
 * accepts (a test holds it to that), so zod only runs, to word the errors, when this says no:
 * validating 100 000 bindings through zod alone costs more than the whole compile budget.
 */
export function isWellFormedBinding(raw: unknown): boolean {
  if (!isPlainObject(raw) || !onlyKeys(raw, BINDING_KEYS)) return false;
  if (raw.type !== undefined && raw.type !== 'route' && raw.type !== 'acp') return false;
  if (typeof raw.agentId !== 'string') return false;
  if (raw.comment !== undefined && typeof raw.comment !== 'string') return false;
  const match = raw.match;
  if (!isPlainObject(match) || !onlyKeys(match, MATCH_KEYS) || typeof match.channel !== 'string')
    return false;
  if (match.accountId !== undefined && typeof match.accountId !== 'string') return false;
  if (match.guildId !== undefined && !isIdValue(match.guildId)) return false;
  if (match.teamId !== undefined && !isIdValue(match.teamId)) return false;
  const peer = match.peer;
  if (peer !== undefined) {
    if (!isPlainObject(peer) || typeof peer.kind !== 'string' || !isIdValue(peer.id)) return false;
    for (const key in peer) if (key !== 'kind' && key !== 'id') return false;
  }
  const roles = match.roles;
  if (roles !== undefined) {
    if (!Array.isArray(roles)) return false;
    for (let i = 0; i < roles.length; i++) if (!isIdValue(roles[i])) return false;
  }
  const session = raw.session;
  if (session !== undefined) {
    if (!isPlainObject(session) || !onlyKeys(session, SESSION_KEYS)) return false;
    if (session.dmScope !== undefined && !DM_SCOPE_VALUES.has(session.dmScope)) return false;
    if (
      session.groupScope !== undefined &&
      session.groupScope !== 'per-group' &&
      session.groupScope !== 'main'
    ) {
      return false;
    }
  }
  return true;
}

/** Where a compiled binding goes in its channel's index. */
interface Placement {
  channel: string;
  /** Tier 1–2 peer id, or undefined. */
  peerId: string | undefined;
  /** Kind of a concrete or wildcard peer. */
  peerKind: 'direct' | 'group' | undefined;
  /** True for an `id: "*"` peer (tier 3). */
  wildcard: boolean;
}

/** Memo of one normalisation during one compile (ids repeat across thousands of bindings). */
function memoize(fn: (raw: string) => string): (raw: string) => string {
  const seen = new Map<string, string>();
  return (raw) => {
    let value = seen.get(raw);
    if (value === undefined) {
      value = fn(raw);
      seen.set(raw, value);
    }
    return value;
  };
}

/**
 * Check one (well-formed) binding's meaning and reduce it to a compiled binding plus its place in
 * the index; `undefined` (with issues added) when it is invalid.
 */
function compileBinding(
  binding: ParsedBinding,
  index: number,
  norm: { channel: (raw: string) => string; account: (raw: string) => string },
  checkAgent: (raw: string, path: string) => string | undefined,
  issues: ConfigIssue[],
  placement: Placement,
): CompiledBinding | undefined {
  const before = issues.length;
  const agentId = checkAgent(binding.agentId, `bindings.${index}.agentId`);
  const match = binding.match;
  const channel = norm.channel(match.channel);
  if (channel === '') issues.push({ path: `bindings.${index}.match.channel`, message: 'must not be blank' });
  const rawAccount = match.accountId;
  const account = rawAccount === undefined ? 'default' : norm.account(rawAccount);
  let peerId: string | undefined;
  let peerKind: 'direct' | 'group' | undefined;
  if (match.peer !== undefined) {
    const kind = normalizeChatType(match.peer.kind);
    const id = normalizeIdValue(match.peer.id);
    if (kind === undefined) {
      issues.push({
        path: `bindings.${index}.match.peer.kind`,
        message: `must be direct, group or channel (dm and supergroup are accepted; got "${match.peer.kind}")`,
      });
    }
    if (id === '') {
      issues.push({
        path: `bindings.${index}.match.peer.id`,
        message: 'must not be empty ("*" matches every peer of the kind)',
      });
    }
    peerKind = kind === 'direct' ? 'direct' : 'group';
    peerId = id;
  }
  const guildId = match.guildId === undefined ? undefined : normalizeIdValue(match.guildId);
  if (guildId === '') issues.push({ path: `bindings.${index}.match.guildId`, message: 'must not be empty' });
  const teamId = match.teamId === undefined ? undefined : normalizeIdValue(match.teamId);
  if (teamId === '') issues.push({ path: `bindings.${index}.match.teamId`, message: 'must not be empty' });
  let roles: string[] | undefined;
  if (match.roles !== undefined && match.roles.length > 0) {
    roles = match.roles.map(String);
    for (let i = 0; i < roles.length; i++) {
      if ((roles[i] as string).trim() === '') {
        issues.push({ path: `bindings.${index}.match.roles.${i}`, message: 'must not be empty' });
      }
    }
  }
  if (issues.length > before || agentId === undefined) return undefined;
  placement.channel = channel;
  placement.peerId = peerId;
  placement.peerKind = peerKind;
  placement.wildcard = peerId === '*';
  return {
    index,
    account,
    agentId,
    guildId,
    teamId,
    roles,
    dmScope: binding.session?.dmScope,
    groupScope: binding.session?.groupScope,
    source: binding,
  };
}
