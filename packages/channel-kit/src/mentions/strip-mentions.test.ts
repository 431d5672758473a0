import { describe, expect, it } from 'vitest';
import { stripMentions } from './strip-mentions.js';

describe('stripMentions', () => {
  it("removes the bot's @username case-insensitively and a leading ':' left behind", () => {
    expect(stripMentions('@MyBot: what is the weather', { botUsername: 'mybot' })).toBe(
      'what is the weather',
    );
    expect(stripMentions('what is @mybot up to', { botUsername: '@mybot' })).toBe('what is up to');
  });

  it('leaves other handles alone, including ones that start with the bot name', () => {
    expect(stripMentions('@mybotty and @alice, hi @mybot', { botUsername: 'mybot' })).toBe(
      '@mybotty and @alice, hi',
    );
    expect(stripMentions('mail me@mybot.example', { botUsername: 'mybot' })).toBe('mail me@mybot.example');
  });

  it('removes Discord and Slack id tokens and @id phone mentions for botId', () => {
    expect(stripMentions('<@123> hi <@!123> and <@U1|bot> <@456>', { botId: '123' })).toBe(
      'hi and <@U1|bot> <@456>',
    );
    expect(stripMentions('<@U1|claw> ping', { botId: 'U1' })).toBe('ping');
    expect(stripMentions('@15550100 status?', { botId: '15550100' })).toBe('status?');
  });

  it('removes extra patterns: strings literally (special characters included), RegExps as written', () => {
    expect(stripMentions('Hey Claw (beta), go', { patterns: ['hey claw (beta),'] })).toBe('go');
    expect(stripMentions('claw! do it, CLAW!', { patterns: [/claw!/i] })).toBe('do it,');
  });

  it('keeps line breaks and indentation away from the mention untouched', () => {
    expect(stripMentions('@bot look:\n    code  here\n', { botUsername: 'bot' })).toBe(
      'look:\n    code  here',
    );
  });

  it('returns the text trimmed when nothing matches, and rejects empty bot names', () => {
    expect(stripMentions('  plain  ', { botUsername: 'bot' })).toBe('plain');
    expect(() => stripMentions('x', { botUsername: ' ' })).toThrow(/botUsername must be a non-empty string/);
    expect(() => stripMentions('x', { patterns: [3 as never] })).toThrow(
      /patterns\.0 must be a string or a RegExp/,
    );
  });
});
