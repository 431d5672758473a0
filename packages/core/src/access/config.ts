import { ConfigError, type ConfigIssue, configIssuesFromZod } from '../errors/index.js';
import {
  build as buildMentionPatterns,
  type CompiledMentionPatterns,
  collectMentionPatterns,
  mentionPatternsFromName,
  NO_MENTION_PATTERNS,
} from '../mentions/compile.js';
import { defineToolGroups, TOOL_GROUPS, type ToolGroups } from '../tool-policy/groups.js';
import { type CompiledToolLayer, compileToolLayer, isEmptyToolPolicy } from '../tool-policy/policy.js';
import { type CompiledSenderPolicies, compileSenderPolicies } from '../tool-policy/sender-keys.js';
import { type EntryList, entryList, normalizeList } from './allowlist.js';
import { DEFAULT_CONTROL_COMMANDS } from './commands.js';
import { identityForChannel } from './identity.js';
import {
  accessConfigSchema,
  type DmPolicy,
  type GroupPolicy,
  type ParsedAccessConfig,
  type ParsedAccount,
  type ParsedChannel,
  type ParsedDefaults,
  type ParsedGroupEntry,
} from './schema.js';

/** The default number of skipped group messages kept as context. */
export const DEFAULT_HISTORY_LIMIT = 50;

/** The implicit mention kinds (§4.5). `native` always counts. */
export type ImplicitMentionKind = 'reply_to_bot' | 'quoted_bot' | 'bot_thread_participant' | 'native';

/** One `groups` entry, compiled. */
export interface CompiledGroupEntry {
  /** The key as written (`"-1001234"`, `"123@g.us"`, `"*"`). */
  readonly key: string;
  /** Config path of the entry. */
  readonly path: string;
  /** `requireMention` as written. */
  readonly requireMention: boolean | undefined;
  /** Config path of `requireMention` (precomputed for explanations). */
  readonly requireMentionPath: string;
  /** `false` when the entry says `enabled: false` (or `allow: false`). */
  readonly enabled: boolean;
  /** The per-group sender list, when written (an empty list blocks everyone). */
  readonly allowFrom: EntryList | undefined;
  /** The group's tool policy layer, when non-empty. */
  readonly tools: CompiledToolLayer | undefined;
  /** The group's per-sender tool policies. */
  readonly toolsBySender: CompiledSenderPolicies | undefined;
}

/** The access settings that apply to one channel account, every fallback resolved. */
export interface ChannelAccess {
  /** Channel id. */
  readonly channel: string;
  /** Account id, or `undefined` for the channel-level settings (accounts without their own section). */
  readonly accountId: string | undefined;
  /** False when the config has no section for this channel at all. */
  readonly configured: boolean;
  /** The DM policy and where it was set. */
  readonly dmPolicy: DmPolicy;
  /** Config path that set `dmPolicy`, or `default`. */
  readonly dmPolicyFrom: string;
  /** The group policy and where it was set. */
  readonly groupPolicy: GroupPolicy;
  /** Config path that set `groupPolicy`, `default`, or `default (no channel section)`. */
  readonly groupPolicyFrom: string;
  /** The configured DM allowlist (pairing approvals are not part of config). */
  readonly allowFrom: EntryList;
  /** The configured group sender list (before the fallback to `allowFrom`). */
  readonly groupAllowFrom: EntryList;
  /** Whether an empty `groupAllowFrom` falls back to `allowFrom`. */
  readonly groupAllowFromFallback: boolean;
  /** Specific group entries (the `"*"` entry is {@link groupsWildcard}). */
  readonly groups: ReadonlyMap<string, CompiledGroupEntry>;
  /** The `"*"` group entry. */
  readonly groupsWildcard: CompiledGroupEntry | undefined;
  /** True when the `groups` map has at least one key (`"*"` included). */
  readonly hasGroups: boolean;
  /** `historyLimit` set on the account or channel (agent and global defaults apply after it). */
  readonly historyLimit: number | undefined;
  /** `channels.defaults.historyLimit`. */
  readonly defaultHistoryLimit: number | undefined;
  /** The implicit mention kinds that count here. */
  readonly implicitMentionKinds: readonly ImplicitMentionKind[];
  /** Messages from other bots get through. */
  readonly allowBots: boolean;
  /** Names and usernames may match (dangerous). */
  readonly dangerouslyAllowNameMatching: boolean;
}

const marker = Symbol.for('claw.access.AccessConfig');

/**
 * A validated, compiled, frozen access config. Build it once with {@link createAccessConfig} and
 * pass it to `decideAccess` and `resolveToolPolicy`; nothing is validated again on the hot path.
 */
export interface AccessConfig {
  /** Brand, so {@link isAccessConfig} works across copies of this package. @internal */
  readonly [marker]: true;
  /** Problems that do not stop the config from working (entries that can never match, untyped keys …). */
  readonly warnings: readonly ConfigIssue[];
  /** The tool groups policies are expanded with. */
  readonly toolGroups: ToolGroups;
  /** Control command names (without `/`), lowercase. */
  readonly controlCommands: ReadonlySet<string>;
  /** The agent used when a decision names none (`default: true`, else the first in `agents.list`). */
  readonly defaultAgentId: string | undefined;
  /** The global tool policy layer (`tools`). */
  readonly globalTools: CompiledToolLayer | undefined;
  /** The settings of a channel account (account → channel → `channels.defaults` → built-in default). */
  channel(channel: string, accountId?: string): ChannelAccess;
  /** The mention patterns for an agent (§4.3: agent's, else `messages.groupChat`, else derived from its name). */
  mentionPatterns(agentId?: string): CompiledMentionPatterns;
  /** The pending-history limit for a channel account and agent. */
  historyLimit(channel: string, accountId?: string, agentId?: string): number;
  /** The pending-history limit for already-resolved channel settings and an agent. @internal */
  historyLimitFor(access: ChannelAccess, agentId?: string): number;
  /** The agent's tool policy layer (`agents.list[].tools`). */
  agentTools(agentId?: string): CompiledToolLayer | undefined;
}

/** Options for {@link createAccessConfig}. */
export interface AccessConfigOptions {
  /** Extra tool groups (see `defineToolGroups`). Default: the built-in groups. */
  readonly toolGroups?: Readonly<Record<string, readonly string[]>>;
  /**
   * The control commands of your bot, without the slash (`status`, `reset` …). An unauthorised
   * sender's control command is dropped, and an authorised one bypasses mention gating.
   * Default {@link DEFAULT_CONTROL_COMMANDS}.
   */
  readonly controlCommands?: readonly string[];
}

/** True for a compiled {@link AccessConfig} (also one made by another copy of this package). */
export function isAccessConfig(value: unknown): value is AccessConfig {
  return typeof value === 'object' && value !== null && marker in value;
}

const rawCache = new WeakMap<object, AccessConfig>();

/**
 * The compiled form of `config`: returned as is when it is already an {@link AccessConfig},
 * otherwise compiled once and cached by object identity (mutating a raw config after its first
 * use is not seen; compile explicitly with {@link createAccessConfig} instead).
 *
 * @throws {ConfigError} when the raw config is invalid.
 */
export function resolveAccessConfig(config: unknown): AccessConfig {
  if (isAccessConfig(config)) return config;
  if (typeof config === 'object' && config !== null) {
    const cached = rawCache.get(config);
    if (cached !== undefined) return cached;
    const compiled = createAccessConfig(config);
    rawCache.set(config, compiled);
    return compiled;
  }
  return createAccessConfig(config);
}

/**
 * Validate a config's access keys once and compile them: per-account settings resolved, lists
 * prepared, mention patterns and tool policies compiled. The result is frozen.
 *
 * Rules checked beyond the shape: `dmPolicy: "open"` needs `"*"` in `allowFrom`;
 * `dmPolicy: "allowlist"` needs a non-empty `allowFrom`; mention patterns must be valid and
 * safe; tool policies may only name known tool groups.
 *
 * @throws {ConfigError} listing every problem by path.
 */
export function createAccessConfig(config: unknown, options: AccessConfigOptions = {}): AccessConfig {
  const input = config ?? {};
  const parsed = accessConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(configIssuesFromZod(parsed.error), { cause: parsed.error });
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const toolGroups = options.toolGroups === undefined ? TOOL_GROUPS : defineToolGroups(options.toolGroups);
  const controlCommands = compileControlCommands(options.controlCommands);
  const compiled = compile(parsed.data, toolGroups, controlCommands, issues, warnings);
  if (issues.length > 0) throw new ConfigError(issues);
  return compiled;
}

function compileControlCommands(commands: readonly string[] | undefined): ReadonlySet<string> {
  const list = commands ?? DEFAULT_CONTROL_COMMANDS;
  const bad = list.filter((c) => typeof c !== 'string' || !/^\/?[a-z0-9_][a-z0-9_-]*$/i.test(c));
  if (bad.length > 0) {
    throw new ConfigError(
      bad.map((c) => ({
        path: 'controlCommands',
        message: `${JSON.stringify(c)} is not a command name (letters, digits, "_" and "-", optionally after "/")`,
      })),
      { subject: 'access config options' },
    );
  }
  return new Set(list.map((c) => c.replace(/^\//, '').toLowerCase()));
}

interface Level {
  readonly path: string;
  readonly section: ParsedAccount | ParsedChannel | undefined;
}

function compile(
  data: ParsedAccessConfig,
  toolGroups: ToolGroups,
  controlCommands: ReadonlySet<string>,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): AccessConfig {
  const defaults: ParsedDefaults = data.channels?.defaults ?? {};
  const channels = new Map<string, { base: ChannelAccess; accounts: Map<string, ChannelAccess> }>();

  for (const [rawName, section] of Object.entries(data.channels ?? {})) {
    if (rawName === 'defaults' || section === undefined) continue;
    const ch = section as ParsedChannel;
    const name = rawName.toLowerCase();
    const chPath = `channels.${rawName}`;
    const base = resolveLevel(
      name,
      undefined,
      [{ path: chPath, section: ch }],
      defaults,
      true,
      toolGroups,
      issues,
      warnings,
    );
    checkDmRules(base, chPath, issues, true);
    const accounts = new Map<string, ChannelAccess>();
    for (const [accountId, acc] of Object.entries(ch.accounts ?? {})) {
      const accPath = `${chPath}.accounts.${accountId}`;
      const resolved = resolveLevel(
        name,
        accountId,
        [
          { path: accPath, section: acc },
          { path: chPath, section: ch },
        ],
        defaults,
        true,
        toolGroups,
        issues,
        warnings,
      );
      // Only report an account when it changes the DM settings; otherwise the channel report covers it.
      if (acc.dmPolicy !== undefined || acc.allowFrom !== undefined)
        checkDmRules(resolved, accPath, issues, false);
      accounts.set(accountId, resolved);
    }
    channels.set(name, { base, accounts });
  }
  if (defaults.dmPolicy === 'allowlist') {
    warnings.push({
      path: 'channels.defaults.dmPolicy',
      message: 'channels with no allowFrom of their own block every DM under "allowlist"',
    });
  }

  // Channels with no config section: defaults for DMs, but `allowlist` for groups, ignoring
  // `channels.defaults.groupPolicy` (OpenClaw's runtime fallback; fail closed).
  const unconfigured = new Map<string, ChannelAccess>();
  const unconfiguredFor = (name: string): ChannelAccess => {
    let hit = unconfigured.get(name);
    if (hit === undefined) {
      hit = resolveLevel(name, undefined, [], defaults, false, toolGroups, [], []);
      unconfigured.set(name, hit);
    }
    return hit;
  };

  // Agents: mention patterns (§4.3), history limit and tool layer per agent.
  const globalGroupChat = data.messages?.groupChat;
  const globalPatterns =
    globalGroupChat?.mentionPatterns === undefined
      ? undefined
      : buildMentionPatterns(
          collectMentionPatterns(
            globalGroupChat.mentionPatterns,
            'messages.groupChat.mentionPatterns',
            issues,
          ),
          'global',
          'messages.groupChat.mentionPatterns',
        );
  const agents = new Map<
    string,
    {
      patterns: CompiledMentionPatterns;
      historyLimit: number | undefined;
      tools: CompiledToolLayer | undefined;
    }
  >();
  let defaultAgentId: string | undefined;
  (data.agents?.list ?? []).forEach((agent, index) => {
    const at = `agents.list.${index}`;
    if (agents.has(agent.id)) return; // duplicate ids are the router's to report; first wins here
    let patterns: CompiledMentionPatterns;
    if (agent.groupChat?.mentionPatterns !== undefined) {
      const path = `${at}.groupChat.mentionPatterns`;
      patterns = buildMentionPatterns(
        collectMentionPatterns(agent.groupChat.mentionPatterns, path, issues),
        'agent',
        path,
      );
    } else if (globalPatterns !== undefined) {
      patterns = globalPatterns;
    } else if (agent.name !== undefined && agent.name.trim().length > 0) {
      patterns = mentionPatternsFromName(agent.name);
    } else {
      patterns = NO_MENTION_PATTERNS;
    }
    agents.set(agent.id, {
      patterns,
      historyLimit: agent.groupChat?.historyLimit,
      tools: isEmptyToolPolicy(agent.tools)
        ? undefined
        : compileToolLayer(agent.tools ?? {}, `${at}.tools`, toolGroups, issues),
    });
    if (agent.default === true && defaultAgentId === undefined) defaultAgentId = agent.id;
  });
  defaultAgentId ??= data.agents?.list?.[0]?.id;

  const globalTools = isEmptyToolPolicy(data.tools)
    ? undefined
    : compileToolLayer(data.tools ?? {}, 'tools', toolGroups, issues);
  const globalHistory = globalGroupChat?.historyLimit;
  const noAgentPatterns = globalPatterns ?? NO_MENTION_PATTERNS;

  const channelAccess = (channel: string, accountId?: string): ChannelAccess => {
    const entry = channels.get(channel) ?? channels.get(channel.toLowerCase());
    if (entry === undefined) return unconfiguredFor(channel.toLowerCase());
    if (accountId === undefined) return entry.accounts.get('default') ?? entry.base;
    return entry.accounts.get(accountId) ?? entry.base;
  };
  const agentOf = (agentId: string | undefined) => agents.get(agentId ?? defaultAgentId ?? '');
  const historyLimitFor = (acc: ChannelAccess, agentId?: string): number =>
    acc.historyLimit ??
    agentOf(agentId)?.historyLimit ??
    acc.defaultHistoryLimit ??
    globalHistory ??
    DEFAULT_HISTORY_LIMIT;

  const result: AccessConfig = {
    [marker]: true,
    warnings: Object.freeze(warnings),
    toolGroups,
    controlCommands,
    defaultAgentId,
    globalTools,
    channel: channelAccess,
    mentionPatterns: (agentId) => agentOf(agentId)?.patterns ?? noAgentPatterns,
    historyLimit(channel, accountId, agentId) {
      return historyLimitFor(channelAccess(channel, accountId), agentId);
    },
    historyLimitFor,
    agentTools: (agentId) => agentOf(agentId)?.tools,
  };
  return Object.freeze(result);
}

/** Resolve one channel account (levels most specific first, then `channels.defaults`). */
function resolveLevel(
  channel: string,
  accountId: string | undefined,
  levels: readonly Level[],
  defaults: ParsedDefaults,
  configured: boolean,
  toolGroups: ToolGroups,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): ChannelAccess {
  const pick = <K extends keyof ParsedAccount>(
    key: K,
  ): { value: ParsedAccount[K]; path: string } | undefined => {
    for (const l of levels) {
      const v = l.section?.[key];
      if (v !== undefined) return { value: v as ParsedAccount[K], path: `${l.path}.${key}` };
    }
    return undefined;
  };
  const dm = pick('dmPolicy');
  const dmPolicy: DmPolicy = dm?.value ?? defaults.dmPolicy ?? 'pairing';
  const dmPolicyFrom =
    dm?.path ?? (defaults.dmPolicy !== undefined ? 'channels.defaults.dmPolicy' : 'default');

  const gp = pick('groupPolicy');
  let rawGroupPolicy = gp?.value;
  let groupPolicyFrom = gp?.path ?? 'default';
  if (rawGroupPolicy === undefined && configured && defaults.groupPolicy !== undefined) {
    rawGroupPolicy = defaults.groupPolicy;
    groupPolicyFrom = 'channels.defaults.groupPolicy';
  }
  if (!configured) groupPolicyFrom = 'default (no channel section)';
  const groupPolicy: GroupPolicy = rawGroupPolicy === 'allowall' ? 'open' : (rawGroupPolicy ?? 'allowlist');

  const allowFromPick = pick('allowFrom');
  const allowFrom = entryList(
    allowFromPick?.value,
    allowFromPick?.path ?? `${levels[0]?.path ?? 'channels'}.allowFrom`,
  );
  const gafPick = pick('groupAllowFrom');
  const groupAllowFrom = entryList(
    gafPick?.value,
    gafPick?.path ?? `${levels[0]?.path ?? 'channels'}.groupAllowFrom`,
  );
  const names = pick('dangerouslyAllowNameMatching')?.value === true;

  const groupsPick = pick('groups');
  const groups = new Map<string, CompiledGroupEntry>();
  let groupsWildcard: CompiledGroupEntry | undefined;
  for (const [key, entry] of Object.entries(groupsPick?.value ?? {})) {
    const compiled = compileGroupEntry(
      key,
      entry,
      `${groupsPick!.path}.${key}`,
      toolGroups,
      names,
      issues,
      warnings,
    );
    if (key === '*') groupsWildcard = compiled;
    else groups.set(key, compiled);
  }

  const implicit = { ...defaults.implicitMentions, ...pickImplicit(levels) };
  const implicitMentionKinds: ImplicitMentionKind[] = ['native'];
  if (implicit.replyToBot !== false) implicitMentionKinds.push('reply_to_bot');
  if (implicit.quotedBot !== false) implicitMentionKinds.push('quoted_bot');
  if (implicit.threadParticipation !== false) implicitMentionKinds.push('bot_thread_participant');

  const access: ChannelAccess = Object.freeze({
    channel,
    accountId,
    configured,
    dmPolicy,
    dmPolicyFrom,
    groupPolicy,
    groupPolicyFrom,
    allowFrom,
    groupAllowFrom,
    groupAllowFromFallback: pick('groupAllowFromFallbackToAllowFrom')?.value !== false,
    groups,
    groupsWildcard,
    hasGroups: groups.size > 0 || groupsWildcard !== undefined,
    historyLimit: pick('historyLimit')?.value,
    defaultHistoryLimit: defaults.historyLimit,
    implicitMentionKinds: Object.freeze(implicitMentionKinds),
    allowBots: pick('allowBots')?.value === true,
    dangerouslyAllowNameMatching: names,
  });
  if (configured) warnUnusableEntries(access, warnings);
  return access;
}

/** Implicit-mention switches merged per key (account over channel). */
function pickImplicit(levels: readonly Level[]) {
  const out: { replyToBot?: boolean; quotedBot?: boolean; threadParticipation?: boolean } = {};
  for (const l of [...levels].reverse()) Object.assign(out, l.section?.implicitMentions);
  return out;
}

function compileGroupEntry(
  key: string,
  entry: ParsedGroupEntry,
  path: string,
  toolGroups: ToolGroups,
  names: boolean,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): CompiledGroupEntry {
  if (entry.enabled !== undefined && entry.allow !== undefined && entry.enabled !== entry.allow) {
    issues.push({ path: `${path}.allow`, message: 'contradicts "enabled"; use only "enabled"' });
  }
  return Object.freeze({
    key,
    path,
    requireMention: entry.requireMention,
    requireMentionPath: `${path}.requireMention`,
    enabled: (entry.enabled ?? entry.allow) !== false,
    allowFrom: entry.allowFrom === undefined ? undefined : entryList(entry.allowFrom, `${path}.allowFrom`),
    tools: isEmptyToolPolicy(entry.tools)
      ? undefined
      : compileToolLayer(entry.tools ?? {}, `${path}.tools`, toolGroups, issues),
    toolsBySender:
      entry.toolsBySender === undefined
        ? undefined
        : compileSenderPolicies(
            entry.toolsBySender,
            `${path}.toolsBySender`,
            toolGroups,
            names,
            issues,
            warnings,
          ),
  });
}

/** `open` needs `"*"`; `allowlist` needs entries (§2.1, CURRENT validation). */
function checkDmRules(
  access: ChannelAccess,
  path: string,
  issues: ConfigIssue[],
  channelLevel: boolean,
): void {
  const where = access.dmPolicyFrom.startsWith('channels.') ? access.dmPolicyFrom : `${path}.dmPolicy`;
  if (access.dmPolicy === 'open' && !access.allowFrom.wildcard) {
    issues.push({
      path: where,
      message:
        `"open" lets anyone DM the bot and requires "*" in allowFrom (${access.allowFrom.path}); ` +
        'add "*" to it, or use "allowlist" to admit only the listed senders',
    });
  }
  if (access.dmPolicy === 'allowlist' && access.allowFrom.entries.length === 0) {
    // Inherited from channels.defaults with no allowFrom: warned once globally instead.
    if (channelLevel && access.dmPolicyFrom === 'channels.defaults.dmPolicy') return;
    issues.push({
      path: where,
      message:
        `"allowlist" with an empty allowFrom (${access.allowFrom.path}) blocks every DM; list the allowed ` +
        'sender ids, or use "pairing" (approve senders with a code) or "disabled"',
    });
  }
}

/** Warn about entries that can never match on a channel with known identity rules. */
function warnUnusableEntries(access: ChannelAccess, warnings: ConfigIssue[]): void {
  if (!['telegram', 'whatsapp', 'discord'].includes(access.channel)) return;
  const hooks = identityForChannel(access.channel, {
    dangerouslyAllowNameMatching: access.dangerouslyAllowNameMatching,
  });
  const lists = [access.allowFrom, access.groupAllowFrom];
  for (const g of [...access.groups.values(), access.groupsWildcard])
    if (g?.allowFrom) lists.push(g.allowFrom);
  for (const list of lists) {
    // Inherited lists are reported once, at the level that writes them.
    if (access.accountId !== undefined && !list.path.includes('.accounts.')) continue;
    const norm = normalizeList(list, hooks);
    for (const entry of norm.ignored) {
      warnings.push({
        path: list.path,
        message: `entry ${JSON.stringify(entry)} is not a usable ${access.channel} sender id and never matches${hint(access.channel, entry)}`,
      });
    }
  }
}

function hint(channel: string, entry: string): string {
  if (channel === 'telegram') {
    if (entry.startsWith('-')) return ' (negative ids are groups: put them under "groups")';
    return ' (use the numeric user id; usernames match only with dangerouslyAllowNameMatching)';
  }
  if (channel === 'whatsapp') {
    if (entry.includes('@g.us')) return ' (group JIDs go under "groups", not in a sender list)';
    return ' (use a phone number such as +15551234567)';
  }
  return ' (use the numeric user id; names match only with dangerouslyAllowNameMatching)';
}
