import { describe, expect, it } from 'vitest';
import type { Sender } from '../envelope/types.js';
import { createDefaultIdentity, defaultIdentity } from './default.js';
import { createDiscordIdentity, discordIdentity, discordSlug } from './discord.js';
import { createTelegramIdentity, telegramIdentity } from './telegram.js';
import type { IdentityHooks } from './types.js';
import { normalizeE164, whatsappIdentity } from './whatsapp.js';

const sender = (id: string, extra: Partial<Sender> = {}): Sender => ({ id, ...extra });

/** Whether an entry admits a sender under some identity rules (what the core does). */
function admits(hooks: IdentityHooks, entry: string, who: Sender): boolean {
  const e = hooks.normalizeEntry(entry);
  return e !== undefined && hooks.senderIds(who).includes(e);
}

describe('default identity (exact ids)', () => {
  it('matches the exact id, with the entry trimmed and case preserved', () => {
    expect(admits(defaultIdentity, '  alice ', sender('alice'))).toBe(true);
    expect(admits(defaultIdentity, 'Alice', sender('alice'))).toBe(false);
  });

  it('never trims only the sender side: a padded sender id has no identity', () => {
    expect(defaultIdentity.senderIds(sender('  alice  '))).toEqual([]);
    expect(admits(defaultIdentity, 'alice', sender('  alice  '))).toBe(false);
  });

  it('a blank entry is not an identity', () => {
    expect(defaultIdentity.normalizeEntry('   ')).toBeUndefined();
  });

  it('ignores names and usernames without the dangerous opt-in', () => {
    const who = sender('u1', { name: 'Alice', username: 'alice' });
    expect(defaultIdentity.senderIds(who)).toEqual(['u1']);
    expect(admits(defaultIdentity, 'name:Alice', who)).toBe(false);
    expect(admits(defaultIdentity, 'username:alice', who)).toBe(false);
  });

  it('matches typed name and username entries with the dangerous opt-in, case-insensitively', () => {
    const hooks = createDefaultIdentity({ dangerouslyAllowNameMatching: true });
    const who = sender('u1', { name: 'Alice Smith', username: '@Alice' });
    expect(admits(hooks, 'name: alice smith', who)).toBe(true);
    expect(admits(hooks, 'username:@ALICE', who)).toBe(true);
    expect(admits(hooks, 'Alice Smith', who)).toBe(false); // untyped entries are ids
  });

  it('normalising a normalised entry returns it unchanged', () => {
    const hooks = createDefaultIdentity({ dangerouslyAllowNameMatching: true });
    for (const e of ['abc', 'name:Bob', 'username:@bob']) {
      const once = hooks.normalizeEntry(e)!;
      expect(hooks.normalizeEntry(once)).toBe(once);
    }
  });
});

describe('telegram identity', () => {
  it('strips one telegram: or tg: prefix, case-insensitively', () => {
    expect(telegramIdentity.normalizeEntry('telegram:123')).toBe('123');
    expect(telegramIdentity.normalizeEntry('TG:123')).toBe('123');
    expect(telegramIdentity.normalizeEntry(' Telegram: 123 ')).toBe('123');
    expect(telegramIdentity.normalizeEntry('tg:tg:123')).toBeUndefined();
  });

  it('accepts only numeric user ids: usernames and negative group ids never match', () => {
    expect(telegramIdentity.normalizeEntry('@alice')).toBeUndefined();
    expect(telegramIdentity.normalizeEntry('alice')).toBeUndefined();
    expect(telegramIdentity.normalizeEntry('-1001234567890')).toBeUndefined();
    expect(admits(telegramIdentity, '@alice', sender('42', { username: 'alice' }))).toBe(false);
  });

  it('matches a prefixed entry against the bare sender id', () => {
    expect(admits(telegramIdentity, 'tg:42', sender('42'))).toBe(true);
  });

  it('matches usernames only with the dangerous opt-in', () => {
    const hooks = createTelegramIdentity({ dangerouslyAllowNameMatching: true });
    const who = sender('42', { username: 'Alice_Bot' });
    expect(admits(hooks, '@alice_bot', who)).toBe(true);
    expect(admits(hooks, 'alice_bot', who)).toBe(true);
    expect(admits(hooks, '@bob_bot', who)).toBe(false);
  });
});

describe('whatsapp identity', () => {
  it('normalises every spelling of a number to E.164', () => {
    for (const v of [
      '14155551234',
      '+1 415-555-1234',
      'whatsapp:+14155551234',
      'WhatsApp:+1 (415) 555-1234',
    ]) {
      expect(normalizeE164(v)).toBe('+14155551234');
    }
  });

  it('reads personal JIDs, with or without a device suffix', () => {
    expect(normalizeE164('14155551234@s.whatsapp.net')).toBe('+14155551234');
    expect(normalizeE164('14155551234:12@s.whatsapp.net')).toBe('+14155551234');
  });

  it('rejects degenerate values instead of turning them into "+"', () => {
    for (const v of [
      'owner',
      '+',
      '',
      'abc123',
      '1234',
      '123@g.us',
      '123@lid',
      '+1+2345678',
      '1234567890123456',
    ]) {
      expect(normalizeE164(v)).toBeUndefined();
    }
  });

  it('a typo entry and a non-phone sender do not match each other', () => {
    expect(admits(whatsappIdentity, 'owner', sender('someone'))).toBe(false);
  });

  it('identifies the sender by e164 first, then by a phone-shaped id', () => {
    expect(whatsappIdentity.senderIds(sender('123@lid', { e164: '+14155551234' }))).toEqual(['+14155551234']);
    expect(whatsappIdentity.senderIds(sender('14155551234@s.whatsapp.net'))).toEqual(['+14155551234']);
    expect(whatsappIdentity.senderIds(sender('group-user'))).toEqual([]);
  });
});

describe('discord identity', () => {
  it('reads mention forms, prefixes and bare snowflakes as ids', () => {
    for (const e of ['<@123>', '<@!123>', 'discord:123', 'user:123', 'pk:123', 'USER:123', '123']) {
      expect(discordIdentity.normalizeEntry(e)).toBe('123');
    }
  });

  it('names never match without the dangerous opt-in', () => {
    expect(discordIdentity.normalizeEntry('Alice')).toBeUndefined();
    expect(discordIdentity.senderIds(sender('123', { username: 'alice', name: 'Alice' }))).toEqual(['123']);
  });

  it('matches name slugs with the opt-in, in their own namespace', () => {
    const hooks = createDiscordIdentity({ dangerouslyAllowNameMatching: true });
    expect(hooks.normalizeEntry('#Alice Smith')).toBe('name:alice-smith');
    expect(admits(hooks, 'Alice Smith', sender('9', { name: 'alice   smith!' }))).toBe(true);
    // A display name made of a victim's id is still a name, never that id.
    expect(admits(hooks, '123', sender('9', { name: '123' }))).toBe(false);
  });

  it('slugs names the way OpenClaw does', () => {
    expect(discordSlug('#General Chat')).toBe('general-chat');
    expect(discordSlug('--Héllo__World--')).toBe('h-llo-world');
    expect(discordSlug('!!!')).toBe('');
  });
});
