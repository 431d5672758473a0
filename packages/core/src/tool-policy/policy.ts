import type { ConfigIssue } from '../errors/index.js';
import { normalizeToolName, type ToolGroups } from './groups.js';

/**
 * One tool policy as written in config (`tools`, `agents.list[].tools`, a group's `tools` or a
 * `toolsBySender` entry).
 */
export interface ToolPolicyConfig {
  /** Only these tools (names, `group:<name>`, globs such as `sessions_*`, or `*`). Empty: all. */
  readonly allow?: readonly string[] | undefined;
  /** Tools added to `allow`. Without `allow` this restricts nothing ("everything, plus these"). */
  readonly alsoAllow?: readonly string[] | undefined;
  /** Tools never allowed. Deny always wins, in every layer. */
  readonly deny?: readonly string[] | undefined;
}

/** A compiled list of tool entries: exact names (with the entry that produced them) and globs. */
export interface CompiledToolRule {
  /** Canonical tool name → the config entry it came from (e.g. `read` → `group:fs`). */
  readonly exact: ReadonlyMap<string, string>;
  /** Glob entries (`*` stands for any characters), with their regexes. */
  readonly globs: readonly { readonly entry: string; readonly re: RegExp }[];
  /** The entries, expanded (group names replaced by their tools), for display. */
  readonly entries: readonly string[];
}

/** One compiled layer of the tool policy pipeline. */
export interface CompiledToolLayer {
  /** Stable id within one compiled config (used to cache combined policies). */
  readonly id: number;
  /** Where the layer comes from: a config path such as `channels.telegram.groups.-100.tools`. */
  readonly source: string;
  /** The allowlist, or `undefined` when this layer restricts nothing. */
  readonly allow: CompiledToolRule | undefined;
  /** The denylist (possibly empty). */
  readonly deny: CompiledToolRule;
}

/** What one layer says about one tool. */
export type ToolLayerOutcome = 'allowed' | 'denied' | 'not_in_allowlist' | 'no_restriction';

let nextLayerId = 1;

/** True when a policy has no entries at all (it neither allows nor denies anything). */
export function isEmptyToolPolicy(policy: ToolPolicyConfig | undefined): boolean {
  return (
    policy === undefined ||
    ((policy.allow?.length ?? 0) === 0 &&
      (policy.alsoAllow?.length ?? 0) === 0 &&
      (policy.deny?.length ?? 0) === 0)
  );
}

/**
 * Compile one policy. Unknown `group:` names are reported in `issues` (a typo in a deny list
 * would otherwise silently deny nothing).
 * @internal
 */
export function compileToolLayer(
  policy: ToolPolicyConfig,
  source: string,
  groups: ToolGroups,
  issues: ConfigIssue[],
): CompiledToolLayer {
  const allowEntries = policy.allow !== undefined && policy.allow.length > 0 ? policy.allow : undefined;
  // alsoAllow widens an allowlist; alone it means "everything plus these", i.e. no restriction.
  const allow =
    allowEntries === undefined
      ? undefined
      : compileRule([...allowEntries, ...(policy.alsoAllow ?? [])], `${source}.allow`, groups, issues);
  if (allowEntries === undefined && policy.alsoAllow !== undefined) {
    compileRule(policy.alsoAllow, `${source}.alsoAllow`, groups, issues); // validate only
  }
  const deny = compileRule(policy.deny ?? [], `${source}.deny`, groups, issues);
  return Object.freeze({ id: nextLayerId++, source, allow, deny });
}

function compileRule(entries: readonly string[], path: string, groups: ToolGroups, issues: ConfigIssue[]) {
  const exact = new Map<string, string>();
  const globs: { entry: string; re: RegExp }[] = [];
  const expanded: string[] = [];
  entries.forEach((raw, i) => {
    const entry = normalizeToolName(raw);
    if (entry.length === 0) {
      issues.push({ path: `${path}.${i}`, message: 'is blank; write a tool name, "group:<name>" or a glob' });
      return;
    }
    if (entry.startsWith('group:')) {
      const tools = groups[entry];
      if (tools === undefined) {
        issues.push({
          path: `${path}.${i}`,
          message: `unknown tool group "${entry}"; known groups: ${Object.keys(groups).join(', ')}`,
        });
        return;
      }
      for (const t of tools) {
        if (!exact.has(t)) exact.set(t, entry);
        expanded.push(t);
      }
      return;
    }
    expanded.push(entry);
    if (entry.includes('*')) {
      const source = entry
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      globs.push({ entry, re: new RegExp(`^${source}$`) });
    } else if (!exact.has(entry)) {
      exact.set(entry, entry);
    }
  });
  return Object.freeze({
    exact,
    globs: Object.freeze(globs),
    entries: Object.freeze([...new Set(expanded)]),
  });
}

/** The entry of `rule` that matches the canonical tool `name`, if any. */
export function matchRule(rule: CompiledToolRule, name: string): string | undefined {
  const hit = rule.exact.get(name);
  if (hit !== undefined) return hit;
  for (const g of rule.globs) if (g.re.test(name)) return g.entry;
  return undefined;
}

/**
 * What one layer says about a canonical tool name: deny first (deny wins), then the allowlist.
 * `apply_patch` is allowed wherever `exec` is allowed (OpenClaw's special case).
 */
export function layerVerdict(
  layer: CompiledToolLayer,
  name: string,
): { readonly outcome: ToolLayerOutcome; readonly entry?: string } {
  const denied = matchRule(layer.deny, name);
  if (denied !== undefined) return { outcome: 'denied', entry: denied };
  if (layer.allow === undefined) return { outcome: 'no_restriction' };
  const allowed = matchRule(layer.allow, name);
  if (allowed !== undefined) return { outcome: 'allowed', entry: allowed };
  if (name === 'apply_patch') {
    const viaExec = matchRule(layer.allow, 'exec');
    if (viaExec !== undefined) return { outcome: 'allowed', entry: viaExec };
  }
  return { outcome: 'not_in_allowlist' };
}
