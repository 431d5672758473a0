import { describe, expect, it } from 'vitest';
import { createAccessConfig } from './config.js';
import { decideAccess } from './decide.js';
import { group } from './test-messages.js';
import type { AccessFacts } from './types.js';

const tg = (telegram: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  createAccessConfig({ channels: { telegram }, ...extra });
const mentioned = { mentions: { self: true } } as const;

describe('group policy and group allowlist', () => {
  it('groupPolicy "disabled" drops every group message', () => {
    const d = decideAccess(tg({ groupPolicy: 'disabled', groups: { '*': {} } }), group('-1', '1', mentioned));
    expect(d).toMatchObject({ action: 'drop', reason: 'group_policy_disabled' });
  });

  it('the default "allowlist" with nothing configured blocks every group (empty allowlist)', () => {
    const d = decideAccess({}, group('-1', '1', mentioned));
    expect(d).toMatchObject({ action: 'drop', reason: 'empty_allowlist' });
  });

  it('a group not in a groups map that lists groups is dropped', () => {
    const d = decideAccess(tg({ groups: { '-2': {} } }), group('-1', '1', mentioned));
    expect(d).toMatchObject({ action: 'drop', reason: 'route_not_allowlisted' });
  });

  it('a listed group admits anyone when no sender list is configured', () => {
    const d = decideAccess(tg({ groups: { '-1': {} } }), group('-1', '999', mentioned));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'mentioned' });
  });

  it('a listed group still enforces a configured groupAllowFrom', () => {
    const c = tg({ groups: { '-1': {} }, groupAllowFrom: ['1'] });
    expect(decideAccess(c, group('-1', '999', mentioned)).reason).toBe('not_allowlisted');
    expect(decideAccess(c, group('-1', '1', mentioned)).action).toBe('dispatch');
  });

  it('with only "*" in groups, the sender list gates every group, and an empty one blocks', () => {
    expect(decideAccess(tg({ groups: { '*': {} } }), group('-1', '1', mentioned)).reason).toBe(
      'empty_allowlist',
    );
    const c = tg({ groups: { '*': {} }, groupAllowFrom: ['1'] });
    expect(decideAccess(c, group('-1', '1', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-1', '2', mentioned)).reason).toBe('not_allowlisted');
  });

  it('without groups, a sender list alone allowlists every group for those senders', () => {
    const c = tg({ groupAllowFrom: ['1'] });
    expect(decideAccess(c, group('-1', '1', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-7', '2', mentioned)).reason).toBe('not_allowlisted');
  });

  it('an empty groupAllowFrom falls back to allowFrom', () => {
    const c = tg({ allowFrom: ['1'] });
    expect(decideAccess(c, group('-1', '1', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-1', '2', mentioned)).reason).toBe('not_allowlisted');
  });

  it('the allowFrom fallback can be switched off', () => {
    const c = tg({ allowFrom: ['1'], groupAllowFromFallbackToAllowFrom: false });
    expect(decideAccess(c, group('-1', '1', mentioned)).reason).toBe('empty_allowlist');
  });

  it('groupPolicy "open" admits any group and sender, mention gating still applies', () => {
    const c = tg({ groupPolicy: 'open' });
    expect(decideAccess(c, group('-1', '2', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-1', '2')).reason).toBe('no_mention');
  });

  it('groupPolicy "open" ignores groupAllowFrom for messages', () => {
    expect(
      decideAccess(tg({ groupPolicy: 'open', groupAllowFrom: ['1'] }), group('-1', '2', mentioned)).action,
    ).toBe('dispatch');
  });

  it('groupPolicy "open" with a groups map only admits the listed groups', () => {
    const c = tg({ groupPolicy: 'open', groups: { '-1': {} } });
    expect(decideAccess(c, group('-1', '2', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-2', '2', mentioned)).reason).toBe('route_not_allowlisted');
  });

  it('a group entry with enabled: false is dropped', () => {
    const d = decideAccess(
      tg({ groupPolicy: 'open', groups: { '-1': { enabled: false } } }),
      group('-1', '1'),
    );
    expect(d).toMatchObject({ action: 'drop', reason: 'route_disabled' });
  });

  it("a group's own allowFrom replaces groupAllowFrom there", () => {
    const c = tg({ groupAllowFrom: ['1'], groups: { '-1': { allowFrom: ['2'] }, '-2': {} } });
    expect(decideAccess(c, group('-1', '2', mentioned)).action).toBe('dispatch');
    expect(decideAccess(c, group('-1', '1', mentioned)).reason).toBe('not_allowlisted');
    expect(decideAccess(c, group('-2', '1', mentioned)).action).toBe('dispatch');
  });

  it("a group's explicit empty allowFrom blocks everyone, even under open", () => {
    const d = decideAccess(
      tg({ groupPolicy: 'open', groups: { '-1': { allowFrom: [] } } }),
      group('-1', '1'),
    );
    expect(d).toMatchObject({ action: 'drop', reason: 'route_sender_empty' });
  });

  it('a topic or thread uses its parent group entry', () => {
    const c = tg({ groups: { '-100': { requireMention: false } } });
    const d = decideAccess(c, group('-100:topic:7', '1', { parentId: '-100' }));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'mention_not_required' });
  });

  it('a sender without a usable identity is dropped when a sender list applies', () => {
    const c = createAccessConfig({ channels: { whatsapp: { groupAllowFrom: ['+15550001111'] } } });
    const d = decideAccess(c, group('1@g.us', 'not-a-phone', { channel: 'whatsapp', ...mentioned }));
    expect(d).toMatchObject({ action: 'drop', reason: 'no_sender' });
  });

  it('"*" in the sender list admits even a sender without a usable identity', () => {
    const c = createAccessConfig({ channels: { whatsapp: { groupAllowFrom: ['*'] } } });
    expect(decideAccess(c, group('1@g.us', 'x', { channel: 'whatsapp', ...mentioned })).action).toBe(
      'dispatch',
    );
  });

  it('the pairing store is never used for groups', () => {
    const d = decideAccess(tg({ groups: { '*': {} } }), group('-1', '42', mentioned), {
      pairingAllowFrom: ['42'],
    });
    expect(d.reason).toBe('empty_allowlist');
  });

  it('bot senders are dropped unless allowBots', () => {
    const msg = group('-1', '7', { sender: { isBot: true }, ...mentioned });
    expect(decideAccess(tg({ groupPolicy: 'open' }), msg).reason).toBe('bot_message');
    expect(decideAccess(tg({ groupPolicy: 'open', allowBots: true }), msg).action).toBe('dispatch');
  });

  it("the bot's own messages are dropped first", () => {
    const d = decideAccess(tg({ groupPolicy: 'open' }), group('-1', '7', { sender: { isSelf: true } }));
    expect(d).toMatchObject({ action: 'drop', reason: 'own_message' });
    expect(d.explain()).toHaveLength(1);
  });
});

describe('control commands in groups', () => {
  const open = { groupPolicy: 'open', groups: { '*': { requireMention: true } } };

  it('an unauthorised control command is dropped', () => {
    const d = decideAccess(tg(open), group('-1', '5', { text: '/status' }));
    expect(d).toMatchObject({ action: 'drop', reason: 'control_command_unauthorized' });
  });

  it('an authorised control command bypasses mention gating', () => {
    const d = decideAccess(tg({ ...open, groupAllowFrom: ['5'] }), group('-1', '5', { text: '/status' }));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'command_mention_bypass', wasMentioned: true });
  });

  it('a command that mentions someone else does not bypass mention gating', () => {
    const d = decideAccess(
      tg({ ...open, groupAllowFrom: ['5'] }),
      group('-1', '5', { text: '/status', mentions: { users: ['77'] } }),
    );
    expect(d.reason).toBe('no_mention');
  });

  it('a command inside longer text is not a control command', () => {
    const d = decideAccess(tg(open), group('-1', '5', { text: 'hello /status' }));
    expect(d.reason).toBe('no_mention');
  });

  it('a command after a mention of the bot is a control command', () => {
    const c = tg({ ...open, groupAllowFrom: ['5'] });
    const d = decideAccess(c, group('-1', '5', { text: '@claw_bot /status' }), {
      bot: { username: 'claw_bot' },
    });
    expect(d.command?.name).toBe('status');
    expect(d.reason).toBe('mentioned');
  });

  it('/cmd@otherbot is not for this bot; /cmd@thisbot is', () => {
    const c = tg({ ...open, groupAllowFrom: ['5'] });
    const facts: AccessFacts = { bot: { username: 'ClawBot' } };
    expect(decideAccess(c, group('-1', '5', { text: '/status@otherbot' }), facts).reason).toBe('no_mention');
    expect(decideAccess(c, group('-1', '5', { text: '/status@clawbot' }), facts).reason).toBe(
      'command_mention_bypass',
    );
  });

  it('group command authorisation uses configured lists only, never the pairing store', () => {
    const d = decideAccess(tg(open), group('-1', '42', { text: '/status' }), { pairingAllowFrom: ['42'] });
    expect(d.reason).toBe('control_command_unauthorized');
  });

  it('a sender on allowFrom (the owner list) may run commands in an open group', () => {
    expect(
      decideAccess(tg({ ...open, allowFrom: ['5'] }), group('-1', '5', { text: '/status' })).action,
    ).toBe('dispatch');
  });

  it('owners from facts may run commands', () => {
    const d = decideAccess(tg(open), group('-1', '5', { text: '/status' }), { ownerIds: ['telegram:5'] });
    expect(d.explain().find((s) => s.gate === 'command')).toMatchObject({
      list: 'facts.ownerIds',
      entry: '5',
    });
  });

  it('a "*" in the owner list is ignored', () => {
    expect(decideAccess(tg(open), group('-1', '5', { text: '/status' }), { ownerIds: ['*'] }).action).toBe(
      'drop',
    );
  });

  it('commands not in the configured command list are ordinary text', () => {
    const c = createAccessConfig({ channels: { telegram: open } }, { controlCommands: ['ping'] });
    expect(decideAccess(c, group('-1', '5', { text: '/status' })).reason).toBe('no_mention');
    expect(decideAccess(c, group('-1', '5', { text: '/ping' })).reason).toBe('control_command_unauthorized');
  });
});

describe('/activation', () => {
  const base = { groupPolicy: 'open', allowFrom: ['1'], groupAllowFrom: ['1', '2'] };

  it('an owner may change activation; the decision carries the mode for the caller to store', () => {
    const d = decideAccess(tg(base), group('-1', '1', { text: '/activation always' }));
    expect(d).toMatchObject({ action: 'dispatch', activationCommand: { mode: 'always' } });
  });

  it("a non-owner's /activation is kept as context only", () => {
    const d = decideAccess(tg(base), group('-1', '2', { text: '/activation always' }));
    expect(d).toMatchObject({ action: 'skip', reason: 'activation_not_owner' });
    expect(d.activationCommand).toBeUndefined();
    expect(d.historyKey).toBe('telegram:default:group:-1');
  });

  it('an unknown activation mode is parsed with no mode', () => {
    const d = decideAccess(tg(base), group('-1', '1', { text: '/ACTIVATION: Sometimes' }));
    expect(d.activationCommand).toEqual({ mode: undefined });
  });

  it('without an owner list, the bot own number is the owner', () => {
    const c = createAccessConfig({ channels: { whatsapp: { groupPolicy: 'open' } } });
    const msg = group('1@g.us', '15550001111@s.whatsapp.net', {
      channel: 'whatsapp',
      text: '/activation mention',
    });
    expect(decideAccess(c, msg, { bot: { e164: '+15550001111' } }).activationCommand).toEqual({
      mode: 'mention',
    });
  });

  it('the session override "always" turns mention gating off; "mention" turns it on', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': { requireMention: false } } });
    expect(decideAccess(c, group('-1', '2'), { activation: 'mention' }).reason).toBe('no_mention');
    expect(
      decideAccess(tg({ groupPolicy: 'open' }), group('-1', '2'), { activation: 'always' }),
    ).toMatchObject({
      action: 'dispatch',
      reason: 'mention_not_required',
      requireMention: false,
    });
  });
});

describe('mention gating', () => {
  const open = tg({ groupPolicy: 'open' });

  it('requireMention resolves group entry, then "*", then true', () => {
    const c = tg({
      groupPolicy: 'open',
      groups: { '*': { requireMention: false }, '-1': { requireMention: true } },
    });
    expect(decideAccess(c, group('-1', '2')).reason).toBe('no_mention');
    expect(decideAccess(c, group('-2', '2')).reason).toBe('mention_not_required');
    expect(decideAccess(open, group('-2', '2')).requireMention).toBe(true);
  });

  it('a native mention of the bot dispatches', () => {
    expect(
      decideAccess(open, group('-1', '2', { mentions: { users: ['B'] } }), { bot: { id: 'B' } }).reason,
    ).toBe('mentioned');
  });

  it('a mention pattern dispatches; without one the message is skipped as context', () => {
    const c = tg({ groupPolicy: 'open' }, { messages: { groupChat: { mentionPatterns: ['\\bclaw\\b'] } } });
    expect(decideAccess(c, group('-1', '2', { text: 'hey Claw' })).reason).toBe('mentioned');
    const skipped = decideAccess(c, group('-1', '2', { text: 'hey all' }));
    expect(skipped).toMatchObject({ action: 'skip', reason: 'no_mention', historyLimit: 50 });
  });

  it('agent-specific patterns are used for the given agent', () => {
    const c = tg(
      { groupPolicy: 'open' },
      {
        agents: {
          list: [
            { id: 'a', groupChat: { mentionPatterns: ['alpha'] } },
            { id: 'b', name: 'Beta' },
          ],
        },
      },
    );
    expect(decideAccess(c, group('-1', '2', { text: 'alpha?' }), { agentId: 'a' }).reason).toBe('mentioned');
    expect(decideAccess(c, group('-1', '2', { text: 'alpha?' }), { agentId: 'b' }).reason).toBe('no_mention');
    expect(decideAccess(c, group('-1', '2', { text: 'hi beta' }), { agentId: 'b' }).reason).toBe('mentioned');
  });

  it('an explicit @-mention of someone else stops the pattern fallback', () => {
    const c = tg({ groupPolicy: 'open' }, { messages: { groupChat: { mentionPatterns: ['claw'] } } });
    const d = decideAccess(c, group('-1', '2', { text: '@alice ask claw', mentions: { users: ['alice'] } }));
    expect(d.reason).toBe('no_mention');
  });

  it('@username of the bot in the text counts as a mention', () => {
    const facts = { bot: { username: 'claw_bot' } };
    expect(decideAccess(open, group('-1', '2', { text: 'hi @Claw_Bot!' }), facts).reason).toBe('mentioned');
    expect(decideAccess(open, group('-1', '2', { text: 'hi @claw_bot2' }), facts).reason).toBe('no_mention');
  });

  it("the bot's phone number in the text counts as a mention", () => {
    const c = createAccessConfig({ channels: { whatsapp: { groupPolicy: 'open' } } });
    const msg = group('1@g.us', '15559990000@s.whatsapp.net', {
      channel: 'whatsapp',
      text: 'ping +1 555-000-1111',
    });
    expect(decideAccess(c, msg, { bot: { e164: '+15550001111' } }).reason).toBe('mentioned');
  });

  it('a reply to the bot is an implicit mention', () => {
    const d = decideAccess(open, group('-1', '2', { replyTo: { messageId: '9', fromSelf: true } }));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'implicit_mention', wasMentioned: true });
  });

  it('a reply to the bot is recognised by the bot id too', () => {
    const d = decideAccess(open, group('-1', '2', { replyTo: { messageId: '9', senderId: 'B' } }), {
      bot: { id: 'B' },
    });
    expect(d.reason).toBe('implicit_mention');
  });

  it('replyToBot: false turns the reply implicit mention off', () => {
    const c = tg({ groupPolicy: 'open', implicitMentions: { replyToBot: false } });
    expect(decideAccess(c, group('-1', '2', { replyTo: { messageId: '9', fromSelf: true } })).reason).toBe(
      'no_mention',
    );
  });

  it('a reply to the bot is not a mention when the bot account is the sender (self-chat)', () => {
    const c = createAccessConfig({ channels: { whatsapp: { groupPolicy: 'open' } } });
    const msg = group('1@g.us', '15550001111@s.whatsapp.net', {
      channel: 'whatsapp',
      replyTo: { messageId: '9', fromSelf: true },
    });
    expect(decideAccess(c, msg, { bot: { e164: '+15550001111' } }).reason).toBe('no_mention');
  });

  it("a forum topic message replying to the topic's root is not a reply to the bot", () => {
    const msg = group('-1', '2', { threadId: '55', replyTo: { messageId: '55', fromSelf: true } });
    expect(decideAccess(open, msg).reason).toBe('no_mention');
  });

  it('thread participation is an implicit mention unless switched off', () => {
    expect(decideAccess(open, group('-1', '2'), { botThreadParticipant: true }).reason).toBe(
      'implicit_mention',
    );
    const off = tg({ groupPolicy: 'open', implicitMentions: { threadParticipation: false } });
    expect(decideAccess(off, group('-1', '2'), { botThreadParticipant: true }).reason).toBe('no_mention');
  });

  it('without native mentions and without patterns, mention gating is not enforced', () => {
    expect(decideAccess(open, group('-1', '2'), { nativeMentions: false })).toMatchObject({
      action: 'dispatch',
      reason: 'mention_undetectable',
    });
  });

  it('without native mentions, patterns still gate', () => {
    const c = tg({ groupPolicy: 'open' }, { messages: { groupChat: { mentionPatterns: ['claw'] } } });
    expect(decideAccess(c, group('-1', '2'), { nativeMentions: false }).reason).toBe('no_mention');
  });

  it('zero-width characters cannot hide a pattern mention in a real decision', () => {
    const c = tg({ groupPolicy: 'open' }, { messages: { groupChat: { mentionPatterns: ['\\bclaw\\b'] } } });
    expect(decideAccess(c, group('-1', '2', { text: 'c\u200Blaw help' })).reason).toBe('mentioned');
  });
});

describe('group dispatch details', () => {
  it('carries the group tool policy layered on the global and agent policies', () => {
    const c = createAccessConfig({
      tools: { deny: ['gateway'] },
      channels: {
        telegram: {
          groupPolicy: 'open',
          groups: {
            '*': { tools: { deny: ['exec'] } },
            '-1': {
              tools: { deny: ['exec', 'read', 'write'] },
              toolsBySender: { 'id:42': { alsoAllow: ['exec'] } },
            },
          },
        },
      },
    });
    const p42 = decideAccess(c, group('-1', '42', mentioned)).toolPolicy!;
    expect(p42.isAllowed('exec')).toBe(true);
    expect(p42.isAllowed('gateway')).toBe(false);
    const p7 = decideAccess(c, group('-1', '7', mentioned)).toolPolicy!;
    expect(p7.isAllowed('read')).toBe(false);
    const other = decideAccess(c, group('-2', '7', mentioned)).toolPolicy!;
    expect([other.isAllowed('exec'), other.isAllowed('read')]).toEqual([false, true]);
  });

  it('skip and dispatch carry the history key and limit; drops carry neither', () => {
    const c = createAccessConfig({ channels: { telegram: { groupPolicy: 'open', historyLimit: 5 } } });
    const skip = decideAccess(c, group('-1', '2', { accountId: 'work' }));
    expect(skip).toMatchObject({ historyKey: 'telegram:work:group:-1', historyLimit: 5 });
    const drop = decideAccess({}, group('-1', '2'));
    expect(drop.historyKey).toBeUndefined();
  });
});
