import { ConfigError, type ConfigIssue } from '../errors/index.js';

/** A map from a tool group name (`group:<name>`) to the tools it stands for. */
export type ToolGroups = Readonly<Record<string, readonly string[]>>;

/**
 * The built-in tool groups (OpenClaw's names). A policy entry `group:fs` stands for every tool in
 * the group. Extend them with {@link defineToolGroups} and pass the result as `toolGroups`.
 */
export const TOOL_GROUPS: ToolGroups = Object.freeze({
  'group:runtime': Object.freeze(['exec', 'process']),
  'group:fs': Object.freeze(['read', 'write', 'edit', 'apply_patch']),
  'group:sessions': Object.freeze([
    'sessions_list',
    'sessions_history',
    'sessions_send',
    'sessions_spawn',
    'session_status',
  ]),
  'group:memory': Object.freeze(['memory_search', 'memory_get']),
  'group:web': Object.freeze(['web_search', 'web_fetch']),
  'group:ui': Object.freeze(['browser', 'canvas']),
  'group:automation': Object.freeze(['cron', 'gateway']),
  'group:messaging': Object.freeze(['message']),
  'group:nodes': Object.freeze(['nodes']),
});

// Old or alternative spellings of tool names, mapped to the canonical name.
const ALIASES: Readonly<Record<string, string>> = Object.freeze({
  bash: 'exec',
  'apply-patch': 'apply_patch',
});

/**
 * The canonical form of a tool name: trimmed, lowercased, with aliases resolved (`bash` →
 * `exec`, `apply-patch` → `apply_patch`).
 */
export function normalizeToolName(name: string): string {
  const n = name.trim().toLowerCase();
  return ALIASES[n] ?? n;
}

const GROUP_NAME = /^group:[a-z0-9_-]+$/;

/**
 * The built-in tool groups plus your own (a plugin's tools, a "safe" set …). A group you define
 * with a built-in name replaces it. Tool names are normalised with {@link normalizeToolName}.
 *
 * @throws {ConfigError} when a group name is not `group:<lowercase name>` or a group lists no
 *   tools or a non-string.
 */
export function defineToolGroups(groups: Readonly<Record<string, readonly string[]>>): ToolGroups {
  const issues: ConfigIssue[] = [];
  const out: Record<string, readonly string[]> = { ...TOOL_GROUPS };
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) {
    throw new ConfigError([{ path: '', message: 'must be an object mapping "group:<name>" to tool names' }], {
      subject: 'tool groups',
    });
  }
  for (const [name, tools] of Object.entries(groups)) {
    if (!GROUP_NAME.test(name)) {
      issues.push({ path: name, message: 'a tool group name must look like "group:<name>" (lowercase)' });
      continue;
    }
    if (
      !Array.isArray(tools) ||
      tools.length === 0 ||
      tools.some((t) => typeof t !== 'string' || !t.trim())
    ) {
      issues.push({ path: name, message: 'must be a non-empty array of tool names' });
      continue;
    }
    out[name] = Object.freeze([...new Set(tools.map(normalizeToolName))]);
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'tool groups' });
  return Object.freeze(out);
}
