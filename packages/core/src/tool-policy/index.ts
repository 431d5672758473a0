export { defineToolGroups, normalizeToolName, TOOL_GROUPS, type ToolGroups } from './groups.js';
export type { ToolLayerOutcome, ToolPolicyConfig } from './policy.js';
export {
  type ExtraToolPolicyLayer,
  type ResolveToolPolicyInput,
  resolveToolPolicy,
  type ToolPolicy,
  type ToolPolicyExplanation,
  type ToolPolicyLayerInfo,
  type ToolPolicyStep,
} from './resolve.js';
export { normalizeSenderKey } from './sender-keys.js';
