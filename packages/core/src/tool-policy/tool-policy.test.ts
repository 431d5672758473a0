import { describe, expect, it } from 'vitest';
import { createAccessConfig } from '../access/config.js';
import { ConfigError } from '../errors/index.js';
import { defineToolGroups, normalizeToolName, TOOL_GROUPS } from './groups.js';
import { resolveToolPolicy } from './resolve.js';
import { normalizeSenderKey } from './sender-keys.js';

const groupConfig = (groups: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  channels: { telegram: { groups }, ...(extra['channels'] as object) },
  ...extra,
});
const policyFor = (
  config: unknown,
  sender = { id: '7' } as { id: string; [k: string]: unknown },
  groupId = '-1',
) => resolveToolPolicy({ config, channel: 'telegram', groupId, sender });

describe('tool policy semantics', () => {
  it('with no layers, every tool is allowed', () => {
    const p = resolveToolPolicy({ config: {}, channel: 'telegram' });
    expect(p.layers).toEqual([]);
    expect(p.allow).toBeUndefined();
    expect(p.isAllowed('exec')).toBe(true);
  });

  it('deny wins over allow in the same layer', () => {
    const p = resolveToolPolicy({
      config: { tools: { allow: ['exec', 'read'], deny: ['exec'] } },
      channel: 'x',
    });
    expect([p.isAllowed('exec'), p.isAllowed('read'), p.isAllowed('write')]).toEqual([false, true, false]);
  });

  it('an empty allow allows everything not denied', () => {
    const p = resolveToolPolicy({ config: { tools: { allow: [], deny: ['exec'] } }, channel: 'x' });
    expect([p.isAllowed('exec'), p.isAllowed('anything')]).toEqual([false, true]);
  });

  it('alsoAllow widens an allowlist', () => {
    const p = resolveToolPolicy({
      config: { tools: { allow: ['read'], alsoAllow: ['web_search'] } },
      channel: 'x',
    });
    expect([p.isAllowed('read'), p.isAllowed('web_search'), p.isAllowed('exec')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('alsoAllow without allow restricts nothing', () => {
    const p = resolveToolPolicy({ config: { tools: { alsoAllow: ['web_search'] } }, channel: 'x' });
    expect(p.isAllowed('exec')).toBe(true);
  });

  it('tool groups expand to their tools', () => {
    const p = resolveToolPolicy({
      config: { tools: { allow: ['group:fs'], deny: ['group:runtime'] } },
      channel: 'x',
    });
    for (const t of TOOL_GROUPS['group:fs']!) expect(p.isAllowed(t)).toBe(true);
    expect(p.isAllowed('process')).toBe(false);
    expect(p.explain('read').steps[0]).toMatchObject({ outcome: 'allowed', entry: 'group:fs' });
  });

  it('globs match any characters where the * is', () => {
    const p = resolveToolPolicy({
      config: { tools: { allow: ['sessions_*'], deny: ['*_spawn'] } },
      channel: 'x',
    });
    expect([
      p.isAllowed('sessions_list'),
      p.isAllowed('sessions_spawn'),
      p.isAllowed('session_status'),
    ]).toEqual([true, false, false]);
  });

  it('tool names are trimmed, lowercased and de-aliased (bash → exec, apply-patch → apply_patch)', () => {
    expect(normalizeToolName('  BASH ')).toBe('exec');
    expect(normalizeToolName('apply-patch')).toBe('apply_patch');
    const p = resolveToolPolicy({ config: { tools: { deny: ['exec'] } }, channel: 'x' });
    expect(p.isAllowed('Bash')).toBe(false);
  });

  it('apply_patch is allowed wherever exec is allowed', () => {
    const p = resolveToolPolicy({ config: { tools: { allow: ['exec'] } }, channel: 'x' });
    expect(p.isAllowed('apply_patch')).toBe(true);
    expect(p.isAllowed('write')).toBe(false);
  });

  it('a later layer can only narrow: an agent allow cannot re-add a globally denied tool', () => {
    const config = {
      tools: { deny: ['exec'] },
      agents: { list: [{ id: 'a', tools: { allow: ['exec', 'read'] } }] },
    };
    const p = resolveToolPolicy({ config, channel: 'x', agentId: 'a' });
    expect(p.isAllowed('exec')).toBe(false);
    expect(p.explain('exec')).toMatchObject({ allowed: false, decidedBy: 'tools' });
  });

  it('allowlists intersect across layers', () => {
    const config = {
      tools: { allow: ['read', 'write', 'exec'] },
      agents: { list: [{ id: 'a', tools: { allow: ['read', 'exec', 'web_search'] } }] },
    };
    const p = resolveToolPolicy({ config, channel: 'x', agentId: 'a' });
    expect(p.allow).toEqual(['read', 'exec']);
    expect(p.isAllowed('web_search')).toBe(false);
    expect(p.isAllowed('write')).toBe(false);
  });

  it('extra layers (sandbox, sub-agent) are appended and can only narrow', () => {
    const p = resolveToolPolicy({
      config: { tools: { allow: ['group:fs', 'exec'] } },
      channel: 'x',
      layers: [{ source: 'sandbox', policy: { deny: ['write'] } }],
    });
    expect([p.isAllowed('read'), p.isAllowed('write')]).toEqual([true, false]);
    expect(p.explain('write').decidedBy).toBe('sandbox');
  });

  it('an unknown tool group is a config error; custom groups can be defined', () => {
    expect(() => createAccessConfig({ tools: { deny: ['group:plugins'] } })).toThrow(ConfigError);
    const cfg = createAccessConfig(
      { tools: { deny: ['group:danger'] } },
      { toolGroups: { 'group:danger': ['exec', 'Browser'] } },
    );
    const p = resolveToolPolicy({ config: cfg, channel: 'x' });
    expect([p.isAllowed('exec'), p.isAllowed('browser'), p.isAllowed('read')]).toEqual([false, false, true]);
  });

  it('defineToolGroups validates names and members', () => {
    expect(() => defineToolGroups({ danger: ['exec'] })).toThrow(ConfigError);
    expect(() => defineToolGroups({ 'group:x': [] })).toThrow(ConfigError);
    expect(defineToolGroups({ 'group:x': ['A'] })['group:x']).toEqual(['a']);
  });

  it('the policy object is plain data apart from its functions', () => {
    const p = resolveToolPolicy({ config: { tools: { allow: ['read'], deny: ['exec'] } }, channel: 'x' });
    expect(JSON.parse(JSON.stringify(p))).toEqual({
      layers: [{ source: 'tools', allow: ['read'], deny: ['exec'] }],
      allow: ['read'],
      deny: ['exec'],
    });
  });
});

describe('group tool policy resolution (§6.2)', () => {
  const groups = {
    '*': { tools: { deny: ['exec'] }, toolsBySender: { 'id:9': { deny: ['read'] } } },
    '-1': {
      tools: { deny: ['exec', 'read', 'write'] },
      toolsBySender: { 'id:123': { alsoAllow: ['exec'] }, '*': { deny: ['browser'] } },
    },
    '-2': { requireMention: false },
  };

  it('a group sender match wins over the group tools', () => {
    const p = policyFor(groupConfig(groups), { id: '123' });
    expect(p.layers.map((l) => l.source)).toEqual(['channels.telegram.groups.-1.toolsBySender.id:123']);
    expect(p.isAllowed('exec')).toBe(true);
  });

  it('the group\'s own "*" sender entry comes before the group tools', () => {
    const p = policyFor(groupConfig(groups), { id: '5' });
    expect([p.isAllowed('browser'), p.isAllowed('read')]).toEqual([false, true]);
  });

  it('a group without tools falls back to the "*" entry: its sender match, then its tools', () => {
    expect(policyFor(groupConfig(groups), { id: '9' }, '-2').isAllowed('read')).toBe(false);
    const other = policyFor(groupConfig(groups), { id: '5' }, '-2');
    expect([other.isAllowed('exec'), other.isAllowed('read')]).toEqual([false, true]);
  });

  it('an unlisted group uses the "*" entry', () => {
    expect(policyFor(groupConfig(groups), { id: '5' }, '-77').isAllowed('exec')).toBe(false);
  });

  it('a topic uses its parent group entry', () => {
    const p = resolveToolPolicy({
      config: groupConfig(groups),
      channel: 'telegram',
      groupId: '-1:topic:3',
      parentGroupId: '-1',
      sender: { id: '5' },
    });
    expect(p.layers.map((l) => l.source)).toEqual(['channels.telegram.groups.-1.toolsBySender.*']);
    expect(p.isAllowed('browser')).toBe(false);
  });

  it('an untyped key means id (and only id), with a deprecation warning', () => {
    const config = groupConfig({
      '-1': { tools: { deny: ['exec'] }, toolsBySender: { '@123': { alsoAllow: ['exec'] } } },
    });
    expect(
      createAccessConfig(config)
        .warnings.map((w) => w.message)
        .join(),
    ).toContain('untyped sender key');
    expect(policyFor(config, { id: '123' }).isAllowed('exec')).toBe(true);
    expect(policyFor(config, { id: '5', username: '123', name: '123' }).isAllowed('exec')).toBe(false);
  });

  it('username: and name: keys match only with dangerouslyAllowNameMatching', () => {
    const groupsBy = {
      '-1': { tools: { deny: ['exec'] }, toolsBySender: { 'username:@Alice': { alsoAllow: ['exec'] } } },
    };
    const who = { id: '5', username: 'alice' };
    expect(policyFor(groupConfig(groupsBy), who).isAllowed('exec')).toBe(false);
    const on = { channels: { telegram: { groups: groupsBy, dangerouslyAllowNameMatching: true } } };
    expect(policyFor(on, who).isAllowed('exec')).toBe(true);
  });

  it('e164: keys match the normalised phone number', () => {
    const config = {
      channels: {
        whatsapp: {
          groups: {
            'g@g.us': {
              tools: { deny: ['exec'] },
              toolsBySender: { 'e164:+1 555 000 1111': { alsoAllow: ['exec'] } },
            },
          },
        },
      },
    };
    const p = resolveToolPolicy({
      config,
      channel: 'whatsapp',
      groupId: 'g@g.us',
      sender: { id: 'x@lid', e164: '15550001111' },
    });
    expect(p.isAllowed('exec')).toBe(true);
  });

  it('channel:<channel>:<id> keys match only on that channel', () => {
    const config = groupConfig({
      '-1': {
        tools: { deny: ['exec'] },
        toolsBySender: {
          'channel:telegram:5': { alsoAllow: ['exec'] },
          'channel:discord:6': { alsoAllow: ['exec'] },
        },
      },
    });
    expect(policyFor(config, { id: '5' }).isAllowed('exec')).toBe(true);
    expect(policyFor(config, { id: '6' }).isAllowed('exec')).toBe(false);
  });

  it('the first of two keys that normalise alike wins', () => {
    const config = groupConfig({
      '-1': { toolsBySender: { 'id:5': { deny: ['read'] }, 'ID:5': { deny: ['write'] } } },
    });
    const p = policyFor(config, { id: '5' });
    expect([p.isAllowed('read'), p.isAllowed('write')]).toEqual([false, true]);
  });

  it('sender keys normalise as documented', () => {
    expect(normalizeSenderKey(' ID:Abc ')).toEqual({ typedKey: 'id:abc', untyped: false });
    expect(normalizeSenderKey('username:@Bob')).toEqual({ typedKey: 'username:bob', untyped: false });
    expect(normalizeSenderKey('@Bob')).toEqual({ typedKey: 'id:bob', untyped: true });
    expect(normalizeSenderKey('e164:owner')).toBeUndefined();
    expect(normalizeSenderKey('*')).toEqual({ typedKey: '*', untyped: false });
  });

  it('resolveToolPolicy validates its input', () => {
    expect(() => resolveToolPolicy(null as never)).toThrow(ConfigError);
    expect(() => resolveToolPolicy({ config: {}, channel: '' })).toThrow(ConfigError);
    expect(() =>
      resolveToolPolicy({
        config: {},
        channel: 'x',
        layers: [{ source: 's', policy: { deny: ['group:nope'] } }],
      }),
    ).toThrow(ConfigError);
  });
});
