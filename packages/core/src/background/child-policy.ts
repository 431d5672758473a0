import type { ConfigIssue } from '../errors/index.js';
import { ConfigError } from '../errors/index.js';
import type {
  ToolPolicy,
  ToolPolicyExplanation,
  ToolPolicyLayerInfo,
  ToolPolicyStep,
} from '../tool-policy/index.js';
import { normalizeToolName, TOOL_GROUPS } from '../tool-policy/index.js';
import { type CompiledToolLayer, compileToolLayer, layerVerdict } from '../tool-policy/policy.js';

/**
 * What a background child may never use, whatever its parent was allowed (dispatch.md §4.3, the
 * leaf sub-agent layer, and the seed's "no listing chats, no reading history, no sending to other
 * chats, no memory search, no spawning"):
 * - session tools: listing, history, sending to other sessions, status, spawning (`group:sessions`, `sessions_*`, `session_*`);
 * - memory search and reads (`group:memory`, `memory_*`);
 * - messaging other conversations (`group:messaging`, `conversations_*`);
 * - gateway and scheduling control (`group:automation`), agent listing, sub-agent control, logins.
 */
export const CHILD_TOOL_DENY: readonly string[] = Object.freeze([
  'group:sessions',
  'sessions_*',
  'session_*',
  'group:memory',
  'memory_*',
  'group:messaging',
  'conversations_*',
  'group:automation',
  'agents_list',
  'subagents',
  'whatsapp_login',
]);

/** The `source` of the child layer in explanations. */
export const CHILD_POLICY_SOURCE = 'background child';

/** Options of {@link childToolPolicy}. */
export interface ChildToolPolicyOptions {
  /** More tools to deny (names, built-in `group:<name>`, globs). They can only narrow. */
  readonly deny?: readonly string[];
}

/**
 * The tool policy of a background child: every layer of the parent's policy, then a child layer
 * that denies {@link CHILD_TOOL_DENY} (and `options.deny`). A tool must pass every layer, so the
 * child can never do more than its parent, and never any of the denied tools (deny by
 * construction: the layer is added here, not left to the child's handler).
 *
 * @param parent The parent turn's policy, or its layers as plain data (e.g. as persisted in a run
 *   record). Omitted: only the child layer applies.
 * @throws {ConfigError} when `options.deny` names an unknown group or a blank entry.
 */
export function childToolPolicy(
  parent?: ToolPolicy | readonly ToolPolicyLayerInfo[],
  options: ChildToolPolicyOptions = {},
): ToolPolicy {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError([{ path: '', message: 'must be an object { deny? }' }], {
      subject: 'child tool policy options',
    });
  }
  const extra = options.deny ?? [];
  if (!Array.isArray(extra) || extra.some((e) => typeof e !== 'string')) {
    throw new ConfigError([{ path: 'deny', message: 'must be an array of tool names, groups or globs' }], {
      subject: 'child tool policy options',
    });
  }
  const issues: ConfigIssue[] = [];
  const parentLayers: readonly ToolPolicyLayerInfo[] =
    parent === undefined ? [] : Array.isArray(parent) ? parent : (parent as ToolPolicy).layers;
  // Rebuild the parent's layers from their plain data (entries are already expanded and
  // canonical), so a policy read back from a store decides exactly as the original did.
  const compiled: CompiledToolLayer[] = parentLayers.map((layer, i) =>
    compileToolLayer(
      { ...(layer.allow === undefined ? {} : { allow: layer.allow }), deny: layer.deny },
      layer.source || `parent.layers.${i}`,
      TOOL_GROUPS,
      issues,
    ),
  );
  compiled.push(
    compileToolLayer({ deny: [...CHILD_TOOL_DENY, ...extra] }, CHILD_POLICY_SOURCE, TOOL_GROUPS, issues),
  );
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'child tool policy' });
  // A live parent policy is asked as well: a host's own ToolPolicy may decide more than its layers show.
  const parentCheck = parent !== undefined && !Array.isArray(parent) ? (parent as ToolPolicy) : undefined;

  const stepsFor = (name: string): ToolPolicyStep[] =>
    compiled.map((layer): ToolPolicyStep => {
      const v = layerVerdict(layer, name);
      return v.entry === undefined
        ? { source: layer.source, outcome: v.outcome }
        : { source: layer.source, outcome: v.outcome, entry: v.entry };
    });

  const isAllowed = (tool: string): boolean => {
    if (typeof tool !== 'string') return false;
    const name = normalizeToolName(tool);
    if (name.length === 0) return false;
    if (parentCheck !== undefined && !parentCheck.isAllowed(tool)) return false;
    for (const layer of compiled) {
      const outcome = layerVerdict(layer, name).outcome;
      if (outcome === 'denied' || outcome === 'not_in_allowlist') return false;
    }
    return true;
  };

  const explain = (tool: string): ToolPolicyExplanation => {
    const normalized = normalizeToolName(String(tool));
    const steps = stepsFor(normalized);
    const refused = steps.find((s) => s.outcome === 'denied' || s.outcome === 'not_in_allowlist');
    if (refused !== undefined) return { tool, normalized, allowed: false, decidedBy: refused.source, steps };
    if (parentCheck !== undefined && !parentCheck.isAllowed(tool)) {
      const inner = parentCheck.explain(tool);
      return { tool, normalized, allowed: false, decidedBy: inner.decidedBy ?? 'parent policy', steps };
    }
    return { tool, normalized, allowed: normalized.length > 0, steps };
  };

  const layers = compiled.map((l) =>
    Object.freeze({ source: l.source, allow: l.allow?.entries, deny: l.deny.entries }),
  );
  const restricting = compiled.filter((l) => l.allow !== undefined);
  const deny = [...new Set(compiled.flatMap((l) => l.deny.entries))];
  let allow: string[] | undefined;
  if (restricting.length > 0) {
    const candidates = new Set(restricting.flatMap((l) => l.allow!.entries));
    allow = [...candidates].filter((entry) =>
      entry.includes('*')
        ? restricting.every((l) => l.allow!.entries.includes(entry) || l.allow!.entries.includes('*')) &&
          !deny.includes(entry) &&
          !deny.includes('*')
        : isAllowed(entry),
    );
  }
  return Object.freeze({
    layers: Object.freeze(layers) as readonly ToolPolicyLayerInfo[],
    allow: allow === undefined ? undefined : Object.freeze(allow),
    deny: Object.freeze(deny),
    isAllowed,
    explain,
  });
}
