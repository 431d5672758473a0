import type { ToolPolicy, ToolPolicyExplanation } from '../tool-policy/index.js';

/**
 * The policy of a turn that answers several messages at once (`collect` mode) from senders whose
 * policies differ (`toolsBySender`): a tool is allowed only when every message's policy allows
 * it, so merging never lends one sender's grants to another's request.
 */
export function intersectToolPolicies(policies: readonly ToolPolicy[]): ToolPolicy {
  const distinct = [...new Set(policies)];
  if (distinct.length === 1) return distinct[0] as ToolPolicy;
  if (distinct.length === 0) throw new TypeError('intersectToolPolicies: at least one policy is needed');
  const allows = distinct.map((p) => p.allow).filter((a): a is readonly string[] => a !== undefined);
  const allow =
    allows.length === 0
      ? undefined
      : Object.freeze(allows.reduce((acc, list) => acc.filter((name) => list.includes(name))));
  return Object.freeze({
    layers: Object.freeze(distinct.flatMap((p) => p.layers)),
    allow,
    deny: Object.freeze([...new Set(distinct.flatMap((p) => p.deny))]),
    isAllowed: (tool: string) => distinct.every((p) => p.isAllowed(tool)),
    explain: (tool: string): ToolPolicyExplanation => {
      const explanations = distinct.map((p) => p.explain(tool));
      return explanations.find((e) => !e.allowed) ?? (explanations[0] as ToolPolicyExplanation);
    },
  });
}
