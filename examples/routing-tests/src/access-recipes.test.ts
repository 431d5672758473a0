/**
 * Every row of the "If you want… set…" table in docs/access.md, as a test: the config in the
 * right-hand column really does what the left-hand column says.
 */
import { type AccessFacts, createAccessConfig, decideAccess } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { dmOn, groupOn } from './messages.js';

const bot: AccessFacts = { bot: { id: '999', username: 'claw_bot' } };
const tg = (telegram: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  createAccessConfig({ channels: { telegram }, ...rest });
const say = (
  config: ReturnType<typeof tg>,
  groupId: string,
  from: string,
  text: string,
  facts: AccessFacts = bot,
) => decideAccess(config, groupOn('telegram', groupId, from, text), facts);

describe('If you want… set…', () => {
  it('allow all groups, but reply only when @mentioned → groupPolicy "open"', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': { requireMention: true } } });
    expect(say(c, '-1', '7', '@claw_bot hi').action).toBe('dispatch');
    expect(say(c, '-2', '8', 'hi').action).toBe('skip');
  });

  it('disable all group replies → groupPolicy "disabled"', () => {
    const c = tg({ groupPolicy: 'disabled', groupAllowFrom: ['7'] });
    expect(say(c, '-1', '7', '@claw_bot hi').action).toBe('drop');
  });

  it('only specific groups → groups: { "<id>": {} } (no "*")', () => {
    const c = tg({ groups: { '-1': {} } });
    expect(say(c, '-1', '7', '@claw_bot hi').action).toBe('dispatch');
    expect(say(c, '-2', '7', '@claw_bot hi').reason).toBe('route_not_allowlisted');
  });

  it('only you can trigger it in groups → groupAllowFrom: ["<your id>"]', () => {
    const c = tg({ groupPolicy: 'allowlist', groupAllowFrom: ['111'] });
    expect(say(c, '-1', '111', '@claw_bot hi').action).toBe('dispatch');
    expect(say(c, '-1', '7', '@claw_bot hi').reason).toBe('not_allowlisted');
  });

  it('keep your DM allowlist out of groups → groupAllowFromFallbackToAllowFrom: false', () => {
    const leaks = tg({ allowFrom: ['111'], groups: { '-1': {} } });
    expect(say(leaks, '-1', '7', '@claw_bot hi').reason).toBe('not_allowlisted'); // allowFrom applied to the group
    const kept = tg({ allowFrom: ['111'], groups: { '-1': {} }, groupAllowFromFallbackToAllowFrom: false });
    expect(say(kept, '-1', '7', '@claw_bot hi').action).toBe('dispatch');
  });

  it('answer everything in one group → groups: { "<id>": { requireMention: false } }', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': {}, '-1': { requireMention: false } } });
    expect(say(c, '-1', '7', 'hi').reason).toBe('mention_not_required');
    expect(say(c, '-2', '7', 'hi').reason).toBe('no_mention');
  });

  it('only some people in one group → groups: { "<id>": { allowFrom: [...] } }', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': {}, '-1': { allowFrom: ['111'] } } });
    expect(say(c, '-1', '7', '@claw_bot hi').reason).toBe('not_allowlisted');
    expect(say(c, '-2', '7', '@claw_bot hi').action).toBe('dispatch');
  });

  it('mute one group → groups: { "<id>": { enabled: false } }', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': {}, '-1': { enabled: false } } });
    expect(say(c, '-1', '7', '@claw_bot hi').reason).toBe('route_disabled');
  });

  it('anyone may DM the bot → dmPolicy "open" with allowFrom ["*"]', () => {
    expect(decideAccess(tg({ dmPolicy: 'open', allowFrom: ['*'] }), dmOn('telegram', '7')).action).toBe(
      'dispatch',
    );
  });

  it('only listed people may DM, strangers get no reply → dmPolicy "allowlist"', () => {
    const c = tg({ dmPolicy: 'allowlist', allowFrom: ['111'] });
    expect(decideAccess(c, dmOn('telegram', '7')).action).toBe('drop');
  });

  it('approve new DM contacts with a code → dmPolicy "pairing" (the default)', () => {
    expect(decideAccess(tg({}), dmOn('telegram', '7')).action).toBe('pairing');
    expect(decideAccess(tg({}), dmOn('telegram', '7'), { pairingAllowFrom: ['7'] }).action).toBe('dispatch');
  });

  it('no DMs at all → dmPolicy "disabled"', () => {
    expect(
      decideAccess(tg({ dmPolicy: 'disabled', allowFrom: ['111'] }), dmOn('telegram', '111')).action,
    ).toBe('drop');
  });

  it('no shell in groups → groups: { "*": { tools: { deny: ["group:runtime"] } } }', () => {
    const c = tg({ groupPolicy: 'open', groups: { '*': { tools: { deny: ['group:runtime'] } } } });
    expect(say(c, '-1', '7', '@claw_bot ls').toolPolicy?.isAllowed('exec')).toBe(false);
  });

  it('more tools for one person in a group → toolsBySender: { "id:<id>": { alsoAllow: [...] } }', () => {
    const c = tg({
      groupPolicy: 'open',
      groups: { '-1': { tools: { deny: ['exec'] }, toolsBySender: { 'id:111': { alsoAllow: ['exec'] } } } },
    });
    expect(say(c, '-1', '111', '@claw_bot ls').toolPolicy?.isAllowed('exec')).toBe(true);
    expect(say(c, '-1', '7', '@claw_bot ls').toolPolicy?.isAllowed('exec')).toBe(false);
  });

  it('other words that count as a mention → messages.groupChat.mentionPatterns', () => {
    const c = tg(
      { groupPolicy: 'open' },
      { messages: { groupChat: { mentionPatterns: ['\\bhey claw\\b'] } } },
    );
    expect(say(c, '-1', '7', 'Hey Claw, a question').reason).toBe('mentioned');
  });

  it('replies to the bot should not count as a mention → implicitMentions: { replyToBot: false }', () => {
    const c = tg({ groupPolicy: 'open', implicitMentions: { replyToBot: false } });
    const reply = groupOn('telegram', '-1', '7', 'ok', { replyToBot: true });
    expect(decideAccess(c, reply, bot).reason).toBe('no_mention');
  });

  it('keep less context from skipped messages → historyLimit (0 turns it off)', () => {
    const c = tg({ groupPolicy: 'open', historyLimit: 0 });
    expect(say(c, '-1', '7', 'hi').historyLimit).toBe(0);
  });

  it('different rules for a second bot account → accounts: { "<id>": { … } }', () => {
    const c = tg({ dmPolicy: 'pairing', accounts: { shop: { dmPolicy: 'open', allowFrom: ['*'] } } });
    expect(decideAccess(c, dmOn('telegram', '7')).action).toBe('pairing');
    expect(decideAccess(c, dmOn('telegram', '7', 'hi', { accountId: 'shop' })).action).toBe('dispatch');
  });
});
