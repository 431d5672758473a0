import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { createAccessConfig, DEFAULT_HISTORY_LIMIT, isAccessConfig, resolveAccessConfig } from './config.js';

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    createAccessConfig(config);
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('access config validation', () => {
  it('an empty config is valid and uses the safe defaults', () => {
    const cfg = createAccessConfig({});
    const tg = cfg.channel('telegram');
    expect(tg.dmPolicy).toBe('pairing');
    expect(tg.groupPolicy).toBe('allowlist');
    expect(cfg.historyLimit('telegram')).toBe(DEFAULT_HISTORY_LIMIT);
    expect(createAccessConfig(undefined).channel('x').dmPolicy).toBe('pairing');
  });

  it('"open" DMs without "*" in allowFrom are a config error', () => {
    const issues = issuesOf({ channels: { telegram: { dmPolicy: 'open', allowFrom: ['123'] } } });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('channels.telegram.dmPolicy');
    expect(issues[0]!.message).toContain('"*"');
  });

  it('"open" with "*" is valid', () => {
    expect(
      createAccessConfig({ channels: { telegram: { dmPolicy: 'open', allowFrom: ['*'] } } }),
    ).toBeTruthy();
  });

  it('"allowlist" DMs with an empty allowFrom are reported', () => {
    const issues = issuesOf({ channels: { telegram: { dmPolicy: 'allowlist' } } });
    expect(issues.map((i) => i.path)).toEqual(['channels.telegram.dmPolicy']);
    expect(issues[0]!.message).toContain('blocks every DM');
  });

  it('an account that changes the DM settings is checked on its own resolved values', () => {
    const issues = issuesOf({
      channels: {
        whatsapp: {
          allowFrom: ['+15551234567'],
          accounts: { work: { dmPolicy: 'open' }, home: { dmPolicy: 'allowlist' } },
        },
      },
    });
    expect(issues.map((i) => i.path)).toEqual(['channels.whatsapp.accounts.work.dmPolicy']);
  });

  it('every problem is reported at once, by path, in plain words', () => {
    const issues = issuesOf({
      channels: {
        telegram: { dmPolicy: 'sometimes', groupPolicy: 'maybe', historyLimit: -1, groupAllowfrom: ['1'] },
        discord: { groups: { '*': { requireMention: 'yes' } } },
      },
      messages: { groupChat: { mentionPatterns: ['(a+)+'] } },
      tools: { deny: ['group:nope'] },
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'channels.telegram.dmPolicy',
        'channels.telegram.groupPolicy',
        'channels.telegram.historyLimit',
        'channels.telegram',
        'channels.discord.groups.*.requireMention',
      ]),
    );
    expect(issues.find((i) => i.path === 'channels.telegram.dmPolicy')!.message).toContain('"pairing"');
    expect(issues.find((i) => i.path === 'channels.telegram')!.message).toContain('groupAllowfrom');
  });

  it('mention pattern and tool group problems are reported with the shape problems fixed', () => {
    const issues = issuesOf({
      messages: { groupChat: { mentionPatterns: ['ok', '(a+)+'] } },
      agents: { list: [{ id: 'main', groupChat: { mentionPatterns: ['['] } }] },
      tools: { deny: ['group:nope'] },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'messages.groupChat.mentionPatterns.1',
      'agents.list.0.groupChat.mentionPatterns.0',
      'tools.deny.0',
    ]);
    expect(issues[2]!.message).toContain('group:fs');
  });

  it('other top-level keys and other agent keys are left to their owners', () => {
    const cfg = createAccessConfig({
      bindings: [{ agentId: 'main' }],
      session: { dmScope: 'main' },
      agents: { list: [{ id: 'main', workspace: '/tmp', model: 'x' }], defaults: {} },
      messages: { queue: { mode: 'collect' } },
    });
    expect(cfg.defaultAgentId).toBe('main');
  });

  it('"allowall" is read as "open"', () => {
    expect(
      createAccessConfig({ channels: { slack: { groupPolicy: 'allowall' } } }).channel('slack').groupPolicy,
    ).toBe('open');
  });

  it('numbers in allowlists are read as strings', () => {
    const cfg = createAccessConfig({ channels: { telegram: { allowFrom: [123, ' 456 ', ''] } } });
    expect(cfg.channel('telegram').allowFrom.entries).toEqual(['123', '456']);
  });

  it('a group entry whose enabled and allow disagree is an error', () => {
    const issues = issuesOf({ channels: { slack: { groups: { C1: { enabled: true, allow: false } } } } });
    expect(issues.map((i) => i.path)).toEqual(['channels.slack.groups.C1.allow']);
  });
});

describe('access config resolution', () => {
  const config = {
    channels: {
      defaults: { groupPolicy: 'open', historyLimit: 20 },
      whatsapp: {
        dmPolicy: 'allowlist',
        allowFrom: ['+15551230000'],
        historyLimit: 10,
        accounts: { work: { dmPolicy: 'pairing', historyLimit: 0 }, home: {} },
      },
    },
    messages: { groupChat: { historyLimit: 30 } },
  } as const;

  it('an account setting wins, then the channel, then channels.defaults', () => {
    const cfg = createAccessConfig(config);
    expect(cfg.channel('whatsapp', 'work').dmPolicy).toBe('pairing');
    expect(cfg.channel('whatsapp', 'home').dmPolicy).toBe('allowlist');
    expect(cfg.channel('whatsapp', 'unknown').dmPolicy).toBe('allowlist');
    expect(cfg.channel('whatsapp', 'work').allowFrom.entries).toEqual(['+15551230000']);
    expect(cfg.channel('whatsapp', 'work').groupPolicy).toBe('open');
    expect(cfg.channel('whatsapp', 'work').groupPolicyFrom).toBe('channels.defaults.groupPolicy');
  });

  it('a channel with no config section gets "allowlist" groups, ignoring channels.defaults.groupPolicy', () => {
    const access = createAccessConfig(config).channel('telegram');
    expect(access.configured).toBe(false);
    expect(access.groupPolicy).toBe('allowlist');
  });

  it('the history limit resolves account → channel → agent → channels.defaults → messages.groupChat → 50', () => {
    const cfg = createAccessConfig({
      ...config,
      agents: { list: [{ id: 'a', groupChat: { historyLimit: 7 } }, { id: 'b' }] },
    });
    expect(cfg.historyLimit('whatsapp', 'work')).toBe(0);
    expect(cfg.historyLimit('whatsapp', 'home', 'a')).toBe(10);
    expect(cfg.historyLimit('telegram', 'default', 'a')).toBe(7);
    expect(cfg.historyLimit('telegram', 'default', 'b')).toBe(20);
    expect(createAccessConfig({ messages: { groupChat: { historyLimit: 30 } } }).historyLimit('x')).toBe(30);
    expect(createAccessConfig({ channels: { defaults: { historyLimit: 20 } } }).historyLimit('x')).toBe(20);
  });

  it('mention patterns: the agent key wins even when empty, then messages.groupChat, then the agent name', () => {
    const cfg = createAccessConfig({
      messages: { groupChat: { mentionPatterns: ['global'] } },
      agents: {
        list: [
          { id: 'quiet', name: 'Quiet', groupChat: { mentionPatterns: [] } },
          { id: 'named', name: 'Named' },
        ],
      },
    });
    expect(cfg.mentionPatterns('quiet').sources).toEqual([]);
    expect(cfg.mentionPatterns('named').sources).toEqual(['global']);
    const derived = createAccessConfig({ agents: { list: [{ id: 'n', name: 'Claw' }] } }).mentionPatterns(
      'n',
    );
    expect(derived.from).toBe('agent-name');
    expect(derived.sources).toEqual(['\\b@?Claw\\b']);
  });

  it('the default agent is the one marked default, else the first', () => {
    expect(
      createAccessConfig({ agents: { list: [{ id: 'a' }, { id: 'b', default: true }] } }).defaultAgentId,
    ).toBe('b');
    expect(createAccessConfig({ agents: { list: [{ id: 'a' }, { id: 'b' }] } }).defaultAgentId).toBe('a');
  });

  it('implicit-mention switches default to on and are merged per key', () => {
    const cfg = createAccessConfig({
      channels: {
        defaults: { implicitMentions: { threadParticipation: false } },
        slack: {
          implicitMentions: { replyToBot: false },
          accounts: { b: { implicitMentions: { replyToBot: true } } },
        },
      },
    });
    expect(cfg.channel('slack').implicitMentionKinds).toEqual(['native', 'quoted_bot']);
    expect(cfg.channel('slack', 'b').implicitMentionKinds).toEqual(['native', 'reply_to_bot', 'quoted_bot']);
  });

  it('entries that can never match on a known channel are warnings, not errors', () => {
    const cfg = createAccessConfig({
      channels: {
        telegram: { allowFrom: ['@alice', '-1001', '123'] },
        whatsapp: { groupAllowFrom: ['123@g.us', 'owner'] },
      },
    });
    const messages = cfg.warnings.map((w) => `${w.path}: ${w.message}`);
    expect(messages).toHaveLength(4);
    expect(messages.join('\n')).toContain('"@alice"');
    expect(messages.join('\n')).toContain('negative ids are groups');
    expect(messages.join('\n')).toContain('group JIDs go under "groups"');
  });

  it('the compiled config is frozen and recognised', () => {
    const cfg = createAccessConfig({});
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(isAccessConfig(cfg)).toBe(true);
    expect(isAccessConfig({})).toBe(false);
  });

  it('a raw config is compiled once and cached by identity', () => {
    const raw = { channels: { telegram: { allowFrom: ['1'] } } };
    expect(resolveAccessConfig(raw)).toBe(resolveAccessConfig(raw));
    const compiled = createAccessConfig(raw);
    expect(resolveAccessConfig(compiled)).toBe(compiled);
  });

  it('unknown control command names in options are a ConfigError', () => {
    expect(() => createAccessConfig({}, { controlCommands: ['ok', 'not a command'] })).toThrow(ConfigError);
  });
});
