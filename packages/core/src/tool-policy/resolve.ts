import type { Sender } from '@claw/channel-kit';
import { type AccessConfig, type CompiledGroupEntry, resolveAccessConfig } from '../access/config.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { normalizeToolName } from './groups.js';
import {
  type CompiledToolLayer,
  compileToolLayer,
  isEmptyToolPolicy,
  layerVerdict,
  type ToolLayerOutcome,
  type ToolPolicyConfig,
} from './policy.js';
import { matchSenderPolicy } from './sender-keys.js';

/** One layer of a resolved tool policy, as plain data. */
export interface ToolPolicyLayerInfo {
  /** Where the layer comes from (a config path, or the `source` you gave an extra layer). */
  readonly source: string;
  /** The layer's allowlist, expanded (groups replaced by tools); `undefined`: no restriction. */
  readonly allow: readonly string[] | undefined;
  /** The layer's denylist, expanded. */
  readonly deny: readonly string[];
}

/** What one layer said about a tool, in an explanation. */
export interface ToolPolicyStep {
  /** The layer's source. */
  readonly source: string;
  /** The layer's verdict. */
  readonly outcome: ToolLayerOutcome;
  /** The entry that decided it (`exec`, `group:runtime`, `sessions_*` …). */
  readonly entry?: string;
}

/** Why a tool is or is not allowed. Plain data. */
export interface ToolPolicyExplanation {
  /** The tool name as asked. */
  readonly tool: string;
  /** Its canonical name (`bash` → `exec`). */
  readonly normalized: string;
  /** The verdict. */
  readonly allowed: boolean;
  /** The source of the first layer that refused it, when refused. */
  readonly decidedBy?: string;
  /** Every layer's verdict, in order. */
  readonly steps: readonly ToolPolicyStep[];
}

/**
 * The tool policy of a turn: the layers in order (global → agent → group → your extra layers).
 * A tool must pass every layer: a later layer can only narrow, and deny always wins.
 */
export interface ToolPolicy {
  /** The layers, in order. Empty: every tool is allowed. */
  readonly layers: readonly ToolPolicyLayerInfo[];
  /**
   * Tool names (and patterns) every restricting layer allows and no layer denies, or `undefined`
   * when no layer has an allowlist (every tool not denied is allowed).
   */
  readonly allow: readonly string[] | undefined;
  /** Every denied tool name or pattern, across layers. */
  readonly deny: readonly string[];
  /** True when `tool` passes every layer. */
  isAllowed(tool: string): boolean;
  /** Why `tool` is or is not allowed. */
  explain(tool: string): ToolPolicyExplanation;
}

/** An extra policy layer appended after the group layer (a sandbox or sub-agent policy …). */
export interface ExtraToolPolicyLayer {
  /** A label shown in explanations. */
  readonly source: string;
  /** The policy. */
  readonly policy: ToolPolicyConfig;
}

/** Input of {@link resolveToolPolicy}. */
export interface ResolveToolPolicyInput {
  /** A compiled access config, or a raw config (compiled once and cached). */
  readonly config: AccessConfig | unknown;
  /** Channel id. */
  readonly channel: string;
  /** Account id. Default `default`. */
  readonly accountId?: string;
  /** The group (peer id) of the conversation; omit for DMs (no group layer). */
  readonly groupId?: string;
  /** The parent conversation (forum group of a topic, channel of a thread); its entry is used when `groupId` has none. */
  readonly parentGroupId?: string;
  /** The sender, for `toolsBySender`. */
  readonly sender?: Sender;
  /** The agent running the turn (for `agents.list[].tools`). Default: the default agent. */
  readonly agentId?: string;
  /** Layers appended after the group layer; they can only narrow further. */
  readonly layers?: readonly ExtraToolPolicyLayer[];
}

/**
 * Resolve the tool policy for a turn (§6): the global `tools` layer, the agent's `tools`, then
 * the group layer — the first non-empty of the group's `toolsBySender` match, the group's
 * `tools`, the `"*"` entry's `toolsBySender` match, the `"*"` entry's `tools` — then any extra
 * layers. Sender keys are typed (`id:`, `e164:`, `username:`, `name:`, `channel:<ch>:<id>`);
 * `username:` and `name:` match only when the channel sets `dangerouslyAllowNameMatching`.
 *
 * @throws {ConfigError} when the config or an extra layer is invalid.
 */
export function resolveToolPolicy(input: ResolveToolPolicyInput): ToolPolicy {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError([{ path: '', message: 'must be an object { config, channel, … }' }], {
      subject: 'resolveToolPolicy input',
    });
  }
  if (typeof input.channel !== 'string' || input.channel.length === 0) {
    throw new ConfigError([{ path: 'channel', message: 'must be a non-empty channel id' }], {
      subject: 'resolveToolPolicy input',
    });
  }
  const config = resolveAccessConfig(input.config);
  const access = config.channel(input.channel, input.accountId);
  let entry: CompiledGroupEntry | undefined;
  if (input.groupId !== undefined) {
    entry = access.groups.get(input.groupId);
    if (entry === undefined && input.parentGroupId !== undefined)
      entry = access.groups.get(input.parentGroupId);
  }
  const group =
    input.groupId === undefined
      ? undefined
      : groupLayer(
          entry,
          access.groupsWildcard,
          access.channel,
          input.sender,
          access.dangerouslyAllowNameMatching,
        );
  const agent = config.agentTools(input.agentId);
  if (input.layers === undefined || input.layers.length === 0) return combinedPolicy(config, agent, group);
  const issues: ConfigIssue[] = [];
  const extra = input.layers.map((l, i) =>
    isEmptyToolPolicy(l.policy)
      ? undefined
      : compileToolLayer(l.policy, l.source || `layers.${i}`, config.toolGroups, issues),
  );
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'extra tool policy layers' });
  return buildPolicy([config.globalTools, agent, group, ...extra]);
}

/**
 * The group layer (§6.2): group `toolsBySender` → group `tools` → `"*"` `toolsBySender` →
 * `"*"` `tools`, first non-empty. @internal
 */
export function groupLayer(
  entry: CompiledGroupEntry | undefined,
  wildcard: CompiledGroupEntry | undefined,
  channel: string,
  sender: Sender | undefined,
  allowNames: boolean,
): CompiledToolLayer | undefined {
  for (const e of [entry, wildcard]) {
    if (e === undefined) continue;
    if (e.toolsBySender !== undefined) {
      const hit = matchSenderPolicy(e.toolsBySender, channel, sender, allowNames);
      if (hit?.layer !== undefined) return hit.layer;
    }
    if (e.tools !== undefined) return e.tools;
  }
  return undefined;
}

const NONE = Symbol('no layer');
type LayerKey = CompiledToolLayer | typeof NONE;
const policyCaches = new WeakMap<AccessConfig, Map<LayerKey, Map<LayerKey, ToolPolicy>>>();

/**
 * The policy of a turn: global → agent → group layer, cached per config and layer pair (there
 * are few distinct combinations, and the lookup allocates nothing). @internal
 */
export function combinedPolicy(
  config: AccessConfig,
  agent: CompiledToolLayer | undefined,
  group: CompiledToolLayer | undefined,
): ToolPolicy {
  let byAgent = policyCaches.get(config);
  if (byAgent === undefined) {
    byAgent = new Map();
    policyCaches.set(config, byAgent);
  }
  let byGroup = byAgent.get(agent ?? NONE);
  if (byGroup === undefined) {
    byGroup = new Map();
    byAgent.set(agent ?? NONE, byGroup);
  }
  let policy = byGroup.get(group ?? NONE);
  if (policy === undefined) {
    policy = buildPolicy([config.globalTools, agent, group]);
    byGroup.set(group ?? NONE, policy);
  }
  return policy;
}

function buildPolicy(all: readonly (CompiledToolLayer | undefined)[]): ToolPolicy {
  const layers = all.filter((l): l is CompiledToolLayer => l !== undefined);
  const isAllowed = (tool: string): boolean => {
    const name = normalizeToolName(tool);
    if (name.length === 0) return false;
    for (const layer of layers) {
      const v = layerVerdict(layer, name).outcome;
      if (v === 'denied' || v === 'not_in_allowlist') return false;
    }
    return true;
  };
  const explain = (tool: string): ToolPolicyExplanation => {
    const normalized = normalizeToolName(tool);
    const steps: ToolPolicyStep[] = layers.map((layer) => {
      const v = layerVerdict(layer, normalized);
      return v.entry === undefined
        ? { source: layer.source, outcome: v.outcome }
        : { source: layer.source, outcome: v.outcome, entry: v.entry };
    });
    const refused = steps.find((s) => s.outcome === 'denied' || s.outcome === 'not_in_allowlist');
    const allowed = normalized.length > 0 && refused === undefined;
    return refused === undefined
      ? { tool, normalized, allowed, steps }
      : { tool, normalized, allowed, decidedBy: refused.source, steps };
  };
  const restricting = layers.filter((l) => l.allow !== undefined);
  let allow: string[] | undefined;
  if (restricting.length > 0) {
    const candidates = new Set<string>();
    for (const l of restricting) for (const e of l.allow!.entries) candidates.add(e);
    allow = [...candidates].filter((c) =>
      c.includes('*')
        ? restricting.every((l) => l.allow!.entries.includes(c) || l.allow!.entries.includes('*')) &&
          !layers.some((l) => l.deny.entries.includes(c) || l.deny.entries.includes('*'))
        : isAllowed(c),
    );
  }
  const deny = [...new Set(layers.flatMap((l) => l.deny.entries))];
  const policy: ToolPolicy = {
    layers: Object.freeze(
      layers.map((l) =>
        Object.freeze({
          source: l.source,
          allow: l.allow === undefined ? undefined : l.allow.entries,
          deny: l.deny.entries,
        }),
      ),
    ),
    allow: allow === undefined ? undefined : Object.freeze(allow),
    deny: Object.freeze(deny),
    isAllowed,
    explain,
  };
  return Object.freeze(policy);
}
