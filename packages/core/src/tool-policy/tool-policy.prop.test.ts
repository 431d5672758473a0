import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOOL_GROUPS } from './groups.js';
import { resolveToolPolicy } from './resolve.js';

const TOOLS = [
  'exec',
  'process',
  'read',
  'write',
  'edit',
  'apply_patch',
  'browser',
  'message',
  'web_search',
  'cron',
];
const ENTRY = fc.constantFrom(...TOOLS, 'group:fs', 'group:runtime', 'group:ui', 'web_*', '*');
const entries = fc.uniqueArray(ENTRY, { maxLength: 4 });
const policy = fc.record({ allow: entries, alsoAllow: entries, deny: entries }, { requiredKeys: [] });

/** Does `entry` name `tool` (computed independently of the implementation)? */
function names(entry: string, tool: string): boolean {
  if (entry === '*') return true;
  if (entry.endsWith('*')) return tool.startsWith(entry.slice(0, -1));
  return entry === tool || (TOOL_GROUPS[entry] ?? []).includes(tool);
}

const config = (global: object, agent: object, group: object, sender: object) => ({
  tools: global,
  agents: { list: [{ id: 'a', tools: agent }] },
  channels: { x: { groups: { g: { tools: group, toolsBySender: { 'id:s': sender } } } } },
});

describe('tool policy properties', () => {
  it('deny always wins: a tool named by any applicable deny list is never allowed', () => {
    fc.assert(
      fc.property(policy, policy, policy, fc.constantFrom(...TOOLS), fc.boolean(), (g, a, grp, tool, isS) => {
        const p = resolveToolPolicy({
          config: config(g, a, grp, grp),
          channel: 'x',
          groupId: 'g',
          agentId: 'a',
          sender: { id: isS ? 's' : 'other' },
        });
        const denied = [g, a, grp].some((layer) => (layer.deny ?? []).some((e) => names(e, tool)));
        if (denied) expect(p.isAllowed(tool)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('an extra layer can only narrow', () => {
    fc.assert(
      fc.property(policy, policy, fc.constantFrom(...TOOLS), (base, extra, tool) => {
        const without = resolveToolPolicy({ config: { tools: base }, channel: 'x' });
        const withExtra = resolveToolPolicy({
          config: { tools: base },
          channel: 'x',
          layers: [{ source: 'extra', policy: extra }],
        });
        if (withExtra.isAllowed(tool)) expect(without.isAllowed(tool)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('explain agrees with isAllowed', () => {
    fc.assert(
      fc.property(policy, policy, fc.constantFrom(...TOOLS, 'BASH', ' unknown '), (g, a, tool) => {
        const p = resolveToolPolicy({ config: config(g, a, {}, {}), channel: 'x', agentId: 'a' });
        expect(p.explain(tool).allowed).toBe(p.isAllowed(tool));
      }),
      { numRuns: 300 },
    );
  });
});
