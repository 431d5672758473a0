import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { resolveToolPolicy, type ToolPolicy } from '../tool-policy/index.js';
import { CHILD_POLICY_SOURCE, childToolPolicy } from './child-policy.js';

const policyOf = (tools: { allow?: string[]; deny?: string[] }): ToolPolicy =>
  resolveToolPolicy({ config: { tools }, channel: 'test' });

describe('the child tool policy', () => {
  it('denies spawning, session tools, history, memory and messaging even when the parent allows everything', () => {
    const child = childToolPolicy(policyOf({}));
    for (const tool of [
      'sessions_spawn',
      'sessions_list',
      'sessions_history',
      'sessions_send',
      'sessions_search',
      'session_status',
      'memory_search',
      'memory_get',
      'message',
      'conversations_send',
      'gateway',
      'cron',
      'agents_list',
      'subagents',
    ]) {
      expect(child.isAllowed(tool), tool).toBe(false);
      expect(child.explain(tool)).toMatchObject({ allowed: false, decidedBy: CHILD_POLICY_SOURCE });
    }
    expect(['read', 'web_search', 'exec'].map(child.isAllowed)).toEqual([true, true, true]);
  });

  it('is never wider than the parent: the parent’s denies and allowlist still apply', () => {
    const child = childToolPolicy(
      policyOf({ allow: ['read', 'sessions_list', 'web_search'], deny: ['web_search'] }),
    );
    expect(['read', 'sessions_list', 'web_search', 'exec'].map(child.isAllowed)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(child.allow).toEqual(['read']);
    expect(child.explain('exec')).toMatchObject({ allowed: false, decidedBy: 'tools' });
  });

  it('decides the same from the parent’s layers read back from JSON as from the live policy', () => {
    const parent = policyOf({ allow: ['group:fs', 'web_*', 'exec'], deny: ['write'] });
    const live = childToolPolicy(parent);
    const stored = childToolPolicy(JSON.parse(JSON.stringify(parent.layers)));
    for (const tool of [
      'read',
      'write',
      'edit',
      'apply_patch',
      'web_fetch',
      'exec',
      'bash',
      'message',
      'x',
    ]) {
      expect(stored.isAllowed(tool), tool).toBe(live.isAllowed(tool));
    }
    expect(stored.layers).toEqual(live.layers);
  });

  it('asks a host’s own policy object too, not only its layers', () => {
    const host: ToolPolicy = { ...policyOf({}), isAllowed: (tool) => tool !== 'exec', layers: [] };
    const child = childToolPolicy(host);
    expect(child.isAllowed('exec')).toBe(false);
    expect(child.isAllowed('read')).toBe(true);
  });

  it('adds configured denies and rejects unknown groups in them', () => {
    expect(childToolPolicy(undefined, { deny: ['group:web'] }).isAllowed('web_fetch')).toBe(false);
    expect(() => childToolPolicy(undefined, { deny: ['group:nope'] })).toThrow(ConfigError);
  });

  it('refuses blank and non-string tool names', () => {
    const child = childToolPolicy();
    expect(child.isAllowed('')).toBe(false);
    expect(child.isAllowed(42 as never)).toBe(false);
  });
});
