import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveToolPolicy } from '../tool-policy/index.js';
import { CHILD_TOOL_DENY, childToolPolicy } from './child-policy.js';

const TOOLS = [
  'read',
  'write',
  'exec',
  'web_search',
  'web_fetch',
  'browser',
  'sessions_spawn',
  'sessions_list',
  'sessions_history',
  'sessions_send',
  'memory_search',
  'message',
  'cron',
] as const;
const ENTRIES = [...TOOLS, 'group:fs', 'group:web', 'group:sessions', 'group:memory', 'web_*', '*'] as const;
const FORBIDDEN = [
  'sessions_spawn',
  'sessions_list',
  'sessions_history',
  'sessions_send',
  'memory_search',
  'message',
];

const layer = fc.record(
  {
    allow: fc.uniqueArray(fc.constantFrom(...ENTRIES), { maxLength: 5 }),
    deny: fc.uniqueArray(fc.constantFrom(...ENTRIES), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('the child tool policy (property)', () => {
  it('allows a tool only when the parent does, never a forbidden one, and survives a JSON round trip', () => {
    fc.assert(
      fc.property(
        layer,
        layer,
        fc.uniqueArray(fc.constantFrom(...TOOLS), { maxLength: 2 }),
        (global, agentTools, extra) => {
          const parent = resolveToolPolicy({
            config: { tools: global, agents: { list: [{ id: 'main', tools: agentTools }] } },
            channel: 'test',
            agentId: 'main',
          });
          const child = childToolPolicy(parent, { deny: extra });
          const stored = childToolPolicy(JSON.parse(JSON.stringify(parent.layers)), { deny: extra });
          for (const tool of TOOLS) {
            const allowed = child.isAllowed(tool);
            if (allowed) expect(parent.isAllowed(tool)).toBe(true);
            if (FORBIDDEN.includes(tool) || extra.includes(tool)) expect(allowed).toBe(false);
            expect(stored.isAllowed(tool)).toBe(allowed);
            expect(child.explain(tool).allowed).toBe(allowed);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lists every built-in child deny entry in its deny summary', () => {
    const child = childToolPolicy();
    for (const entry of CHILD_TOOL_DENY.filter((e) => !e.startsWith('group:'))) {
      expect(child.deny).toContain(entry);
    }
  });
});
