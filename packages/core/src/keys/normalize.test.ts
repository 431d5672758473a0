import { describe, expect, it } from 'vitest';
import {
  isValidAgentId,
  normalizeAccountId,
  normalizeAgentId,
  normalizeChannelId,
  normalizeChatType,
  normalizeIdValue,
  normalizeMainKey,
} from './normalize.js';

describe('agent id normalisation (routing.md §2)', () => {
  it('trims and lowercases an id that is already well formed', () => {
    expect(normalizeAgentId('  Ops-Team_2 ')).toBe('ops-team_2');
    expect(normalizeAgentId('defaultAcct')).toBe('defaultacct');
  });

  it('falls back to main for a blank or missing id', () => {
    expect(normalizeAgentId('')).toBe('main');
    expect(normalizeAgentId('   ')).toBe('main');
    expect(normalizeAgentId(undefined)).toBe('main');
  });

  it('replaces each run of characters outside [a-z0-9_-] with one dash and strips edge dashes', () => {
    expect(normalizeAgentId('My Agent!!')).toBe('my-agent');
    expect(normalizeAgentId('--a::b--')).toBe('a-b');
    expect(normalizeAgentId('a:b%c')).toBe('a-b-c');
  });

  it('keeps a leading underscore on the sanitising path', () => {
    expect(normalizeAgentId('_x')).toBe('_x');
  });

  it('truncates to 64 characters', () => {
    expect(normalizeAgentId(`${'a'.repeat(70)}!`)).toBe('a'.repeat(64));
    expect(normalizeAgentId('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('falls back to main when nothing survives sanitising', () => {
    expect(normalizeAgentId('!!!')).toBe('main');
    expect(normalizeAgentId('日本')).toBe('main');
  });

  it('recognises only ids matching the agent-id pattern as valid', () => {
    expect(isValidAgentId('Ops')).toBe(true);
    expect(isValidAgentId('a'.repeat(64))).toBe(true);
    expect(isValidAgentId('a'.repeat(65))).toBe(false);
    expect(isValidAgentId('_x')).toBe(false);
    expect(isValidAgentId('a b')).toBe(false);
    expect(isValidAgentId(3)).toBe(false);
  });
});

describe('account id normalisation (routing.md §2)', () => {
  it('uses the agent-id algorithm with default as the fallback', () => {
    expect(normalizeAccountId(' Work ')).toBe('work');
    expect(normalizeAccountId('')).toBe('default');
    expect(normalizeAccountId(undefined)).toBe('default');
    expect(normalizeAccountId('@@@')).toBe('default');
    expect(normalizeAccountId('Sales Team')).toBe('sales-team');
  });

  it('turns prototype-pollution keys into default', () => {
    expect(normalizeAccountId('__proto__')).toBe('default');
    expect(normalizeAccountId('constructor')).toBe('default');
    expect(normalizeAccountId('Prototype')).toBe('default');
  });
});

describe('channel, main key, chat type and id normalisation (routing.md §2)', () => {
  it('trims and lowercases channels without aliasing', () => {
    expect(normalizeChannelId(' Telegram ')).toBe('telegram');
    expect(normalizeChannelId('imsg')).toBe('imsg');
    expect(normalizeChannelId('   ')).toBe('');
  });

  it('trims and lowercases the main key, blank meaning main', () => {
    expect(normalizeMainKey(' Home ')).toBe('home');
    expect(normalizeMainKey('')).toBe('main');
    expect(normalizeMainKey(undefined)).toBe('main');
  });

  it('maps dm to direct and supergroup to group, and rejects other kinds', () => {
    expect(normalizeChatType(' DM ')).toBe('direct');
    expect(normalizeChatType('direct')).toBe('direct');
    expect(normalizeChatType('SuperGroup')).toBe('group');
    expect(normalizeChatType('channel')).toBe('channel');
    expect(normalizeChatType('thread')).toBeUndefined();
    expect(normalizeChatType(undefined)).toBeUndefined();
  });

  it('trims string ids, writes numbers and bigints in decimal and keeps case', () => {
    expect(normalizeIdValue('  AbC ')).toBe('AbC');
    expect(normalizeIdValue(-1001234567)).toBe('-1001234567');
    expect(normalizeIdValue(1100000000000000001n)).toBe('1100000000000000001');
    expect(normalizeIdValue({})).toBe('');
    expect(normalizeIdValue(null)).toBe('');
  });
});
