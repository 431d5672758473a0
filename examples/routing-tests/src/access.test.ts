/**
 * Unit tests for access rules: who may talk to the bot, when it answers in a group, and which
 * tools a turn gets. No network, no runtime — `decideAccess` is a pure function of your config,
 * a message and a few facts. `docs/guides/unit-testing-rules.md` walks through this file.
 */
import { createDefaultIdentity } from '@claw/channel-kit';
import { type AccessFacts, ConfigError, createAccessConfig, decideAccess } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { dmOn, groupOn } from './messages.js';

// 1. Your rules, exactly as in your app's config file. Validate them once, like the app does:
//    a typo or an unsafe pattern fails here, with every problem listed by path.
const rules = createAccessConfig({
  channels: {
    telegram: {
      dmPolicy: 'pairing',
      allowFrom: ['tg:111'], // me
      groupAllowFrom: ['111', '222'], // me and my partner may trigger the bot in groups
      groups: {
        '*': { requireMention: true, tools: { deny: ['group:runtime'] } },
        '-1001': { requireMention: false }, // the family group: answer everything
      },
    },
    whatsapp: {
      dmPolicy: 'allowlist',
      allowFrom: ['+1 555 010 0001'],
    },
  },
  messages: { groupChat: { mentionPatterns: ['\\bclaw\\b'] } },
  tools: { deny: ['gateway'] },
});

// 2. Facts: what the gateway knows at run time (the bot's identity, pairing approvals …).
const telegramBot: AccessFacts = { bot: { id: '999', username: 'claw_bot' } };

describe('DMs', () => {
  it('I can DM the bot', () => {
    expect(decideAccess(rules, dmOn('telegram', '111')).action).toBe('dispatch');
  });

  it('a stranger gets a pairing code, nothing else', () => {
    const decision = decideAccess(rules, dmOn('telegram', '555'));
    expect(decision.action).toBe('pairing');
    expect(decision.reason).toBe('dm_policy_pairing_required');
  });

  it('once approved, the stranger can DM the bot', () => {
    const approved: AccessFacts = { ...telegramBot, pairingAllowFrom: ['555'] };
    expect(decideAccess(rules, dmOn('telegram', '555'), approved).action).toBe('dispatch');
  });

  it('on WhatsApp, strangers are ignored silently (allowlist: no pairing)', () => {
    expect(decideAccess(rules, dmOn('whatsapp', '15550100002@s.whatsapp.net')).reason).toBe(
      'dm_policy_not_allowlisted',
    );
  });

  it('on WhatsApp, my number matches however it is written', () => {
    const me = dmOn('whatsapp', '15550100001@s.whatsapp.net', 'hi', { sender: { e164: '+15550100001' } });
    expect(decideAccess(rules, me).action).toBe('dispatch');
  });
});

describe('groups', () => {
  it('the bot answers my mention in any group', () => {
    const d = decideAccess(
      rules,
      groupOn('telegram', '-1002', '111', 'claw, what is for dinner?'),
      telegramBot,
    );
    expect(d).toMatchObject({ action: 'dispatch', reason: 'mentioned' });
  });

  it('without a mention, the message is kept as context for the next answer', () => {
    const d = decideAccess(rules, groupOn('telegram', '-1002', '111', 'anyone around?'), telegramBot);
    expect(d).toMatchObject({
      action: 'skip',
      reason: 'no_mention',
      historyKey: 'telegram:default:group:-1002',
    });
  });

  it('in the family group it answers without a mention', () => {
    expect(decideAccess(rules, groupOn('telegram', '-1001', '222', 'hi all'), telegramBot).reason).toBe(
      'mention_not_required',
    );
  });

  it('a reply to the bot counts as a mention', () => {
    const reply = groupOn('telegram', '-1002', '222', 'and tomorrow?', { replyToBot: true });
    expect(decideAccess(rules, reply, telegramBot).reason).toBe('implicit_mention');
  });

  it('strangers cannot trigger the bot, even by mentioning it', () => {
    const d = decideAccess(
      rules,
      groupOn('telegram', '-1002', '333', '@claw_bot hi', { mentionsBot: true }),
      telegramBot,
    );
    expect(d).toMatchObject({ action: 'drop', reason: 'not_allowlisted' });
  });

  it('DM pairing never opens groups', () => {
    const approved: AccessFacts = { ...telegramBot, pairingAllowFrom: ['333'] };
    const d = decideAccess(rules, groupOn('telegram', '-1002', '333', 'claw?'), approved);
    expect(d.action).toBe('drop');
  });

  it('"@alice ask claw" is for Alice, not for the bot', () => {
    const d = decideAccess(
      rules,
      groupOn('telegram', '-1002', '111', '@alice ask claw', { mentions: ['444'] }),
      telegramBot,
    );
    expect(d.action).toBe('skip');
  });

  it('my /status works without a mention; a stranger’s is dropped', () => {
    expect(decideAccess(rules, groupOn('telegram', '-1002', '111', '/status'), telegramBot).reason).toBe(
      'command_mention_bypass',
    );
    expect(decideAccess(rules, groupOn('telegram', '-1002', '333', '/status'), telegramBot).reason).toBe(
      'not_allowlisted',
    );
  });

  it('after "/activation always" (stored by the app), the group needs no mention', () => {
    const always: AccessFacts = { ...telegramBot, activation: 'always' };
    expect(decideAccess(rules, groupOn('telegram', '-1002', '222', 'hi'), always).action).toBe('dispatch');
  });
});

describe('tools', () => {
  it('groups get no shell, and nobody gets the gateway tool', () => {
    const policy = decideAccess(rules, groupOn('telegram', '-1002', '111', 'claw run ls'), telegramBot)
      .toolPolicy!;
    expect(policy.isAllowed('exec')).toBe(false);
    expect(policy.isAllowed('read')).toBe(true);
    expect(policy.explain('bash')).toMatchObject({
      allowed: false,
      decidedBy: 'channels.telegram.groups.*.tools',
    });
    const dmPolicy = decideAccess(rules, dmOn('telegram', '111')).toolPolicy!;
    expect([dmPolicy.isAllowed('exec'), dmPolicy.isAllowed('gateway')]).toEqual([true, false]);
  });
});

describe('explanations', () => {
  it('explain() says which gate decided and which entry matched', () => {
    const trace = decideAccess(rules, groupOn('telegram', '-1002', '222', 'claw?'), telegramBot).explain();
    expect(trace.map((step) => step.gate)).toEqual([
      'group_policy',
      'group_route',
      'group_sender',
      'mention',
    ]);
    expect(trace[2]).toMatchObject({ list: 'channels.telegram.groupAllowFrom', entry: '222' });
  });
});

describe('config mistakes fail the test suite, not production', () => {
  it('"open" without "*" is refused with the path and the fix', () => {
    expect(() =>
      createAccessConfig({ channels: { telegram: { dmPolicy: 'open', allowFrom: ['111'] } } }),
    ).toThrow(ConfigError);
  });

  it('an entry that can never match is a warning you can assert on', () => {
    const cfg = createAccessConfig({ channels: { telegram: { allowFrom: ['@me'] } } });
    expect(cfg.warnings.map((w) => w.path)).toEqual(['channels.telegram.allowFrom']);
    expect(rules.warnings).toEqual([]); // keep your real rules warning-free
  });

  it('custom identity rules can be tested too', () => {
    const custom = createAccessConfig({
      channels: { matrix: { dmPolicy: 'allowlist', allowFrom: ['@me:example.org'] } },
    });
    const facts: AccessFacts = { identity: createDefaultIdentity() };
    expect(decideAccess(custom, dmOn('matrix', '@me:example.org'), facts).action).toBe('dispatch');
  });
});
