import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import {
  compileMentionPatterns,
  matchMentionPatterns,
  mentionPatternsFromName,
  stripMentionPatterns,
} from './compile.js';
import { deriveMentionPattern } from './derive.js';
import { checkPatternSafety } from './safety.js';
import { MENTION_TEXT_LIMIT, normalizeMentionText } from './text.js';

const matches = (patterns: string[], text: string) =>
  matchMentionPatterns(compileMentionPatterns(patterns), text).matched;

describe('mention pattern safety', () => {
  it.each([
    ['(a+)+', 'nested_quantifier'],
    ['(a*)*', 'nested_quantifier'],
    ['(\\w+\\s?)+$', 'nested_quantifier'],
    ['(?:x{2,})+', 'nested_quantifier'],
    ['((ab)+c)*', 'nested_quantifier'],
    ['(?<n>a+)+', 'nested_quantifier'],
    ['(a|a)*', 'repeated_alternation'],
    ['(', 'invalid'],
    ['[a-', 'invalid'],
    ['   ', 'blank'],
  ])('refuses %s (%s)', (pattern, reason) => {
    const verdict = checkPatternSafety(pattern);
    expect(verdict.safe).toBe(false);
    if (!verdict.safe) expect(verdict.reason).toBe(reason);
  });

  it.each([
    '@claw',
    '\\bclaw\\b',
    '\\+15555550123',
    '(hey|hi) claw',
    '(?:claw)+',
    'a+b+',
    '[(a+)+]',
    '\\(a+\\)+',
    '(a?)+',
    'x{2}',
    '(ab){1,3}',
    '\\p{L}+',
  ])('accepts %s', (pattern) => {
    expect(checkPatternSafety(pattern)).toEqual({ safe: true });
  });

  it('patterns that are not an array of strings are a ConfigError', () => {
    expect(() => compileMentionPatterns('claw' as never)).toThrow(ConfigError);
    expect(() => compileMentionPatterns([5 as never])).toThrow(ConfigError);
  });

  it('compiling an unsafe or invalid pattern is a ConfigError naming each pattern by path', () => {
    try {
      compileMentionPatterns(['ok', '(a+)+', '('], { path: 'messages.groupChat.mentionPatterns' });
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      const paths = (error as ConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(['messages.groupChat.mentionPatterns.1', 'messages.groupChat.mentionPatterns.2']);
    }
  });
});

describe('mention pattern matching', () => {
  it('is case-insensitive', () => {
    expect(matches(['openclaw'], 'Hey OPENCLAW, what time is it?')).toBe(true);
  });

  it('gives the same answer every time (no global-flag lastIndex state)', () => {
    const compiled = compileMentionPatterns(['claw']);
    const results = Array.from({ length: 6 }, () => matchMentionPatterns(compiled, 'claw claw').matched);
    expect(results).toEqual([true, true, true, true, true, true]);
  });

  it('zero-width characters cannot hide a mention', () => {
    expect(matches(['\\bclaw\\b'], 'hey c\u200Bl\u200Daw')).toBe(true);
    expect(matches(['\\bclaw\\b'], 'hey cl\uFEFFaw')).toBe(true);
  });

  it('bidi controls cannot hide a mention', () => {
    expect(matches(['claw'], 'c\u202El\u202Caw \u2066x\u2069')).toBe(true);
  });

  it('invisible characters cannot forge a word boundary', () => {
    // Without stripping, "\u200B" would not be a word character and "\bclaw" would match.
    expect(matches(['\\bclaw\\b'], 'x\u200Bclaw')).toBe(false);
  });

  it('only the first MENTION_TEXT_LIMIT characters are tested', () => {
    const pad = 'x '.repeat(MENTION_TEXT_LIMIT);
    expect(matches(['claw'], `claw ${pad}`)).toBe(true);
    expect(matches(['claw'], `${pad} claw`)).toBe(false);
    expect(normalizeMentionText(pad).length).toBe(MENTION_TEXT_LIMIT);
  });

  it('reads a literal backspace (a JSON "\\b" typo) as a word boundary', () => {
    expect(matches(['\u0008claw\u0008'], 'hi claw!')).toBe(true);
    expect(matches(['\u0008claw\u0008'], 'clawed')).toBe(false);
  });

  it('ignores blank patterns', () => {
    expect(compileMentionPatterns(['', '  ', 'claw']).sources).toEqual(['claw']);
  });

  it('reports which pattern matched', () => {
    expect(matchMentionPatterns(compileMentionPatterns(['nope', 'c.aw']), 'claw').pattern).toBe('c.aw');
  });

  it('strips matches to read what follows a mention', () => {
    expect(stripMentionPatterns(compileMentionPatterns(['@?claw']), '@claw   /status')).toBe('/status');
  });
});

describe('patterns derived from the agent name', () => {
  it('matches the whole name, with or without @, across any whitespace', () => {
    const p = mentionPatternsFromName('Claw Bot');
    expect(matchMentionPatterns(p, 'hey claw   bot!').matched).toBe(true);
    expect(matchMentionPatterns(p, '@Claw Bot do it').matched).toBe(true);
    expect(matchMentionPatterns(p, 'clawbot').matched).toBe(false);
    expect(matchMentionPatterns(p, 'myclaw bot').matched).toBe(false);
  });

  it('escapes regex characters in the name', () => {
    expect(matchMentionPatterns(mentionPatternsFromName('C.3PO'), 'hi C.3PO!').matched).toBe(true);
    expect(matchMentionPatterns(mentionPatternsFromName('C.3PO'), 'hi CX3PO').matched).toBe(false);
  });

  it('bounds CJK names with lookarounds that treat CJK characters as word characters', () => {
    const p = mentionPatternsFromName('小助手');
    expect(p.test[0]!.flags).toContain('u');
    expect(matchMentionPatterns(p, '小助手 在吗').matched).toBe(true);
    expect(matchMentionPatterns(p, '@小助手').matched).toBe(true);
    expect(matchMentionPatterns(p, '你好，小助手！').matched).toBe(true);
    expect(matchMentionPatterns(p, '大小助手们').matched).toBe(false);
  });

  it('bounds accented names correctly', () => {
    const p = mentionPatternsFromName('Zoë');
    expect(matchMentionPatterns(p, 'zoë, help').matched).toBe(true);
    expect(matchMentionPatterns(p, 'zoëlle').matched).toBe(false);
  });

  it('a hyphenated non-ASCII name compiles (no invalid escapes under the u flag)', () => {
    expect(deriveMentionPattern('Jean-Loïc')?.flags).toBe('iu');
    expect(matchMentionPatterns(mentionPatternsFromName('Jean-Loïc'), 'salut jean-loïc').matched).toBe(true);
  });

  it('a blank name gives no pattern', () => {
    expect(deriveMentionPattern('   ')).toBeUndefined();
    expect(mentionPatternsFromName(' ').test).toHaveLength(0);
  });
});
