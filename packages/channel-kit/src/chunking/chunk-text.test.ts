import { describe, expect, it } from 'vitest';
import { chunkText, chunkTextPieces } from './chunk-text.js';

describe('chunkText in length mode', () => {
  it('returns nothing for empty or whitespace-only text, so nothing blank is ever sent', () => {
    expect(chunkText('', { limit: 10 })).toEqual([]);
    expect(chunkText(' \n\t ', { limit: 10 })).toEqual([]);
  });

  it('returns text that fits unchanged, whitespace included', () => {
    expect(chunkText('  hi there \n', { limit: 12 })).toEqual(['  hi there \n']);
    expect(chunkText('x'.repeat(50), { limit: Number.POSITIVE_INFINITY })).toEqual(['x'.repeat(50)]);
  });

  it('cuts at the last line break in the window before any later space, as OpenClaw does', () => {
    expect(chunkText('aaa\nbbb ccc', { limit: 9 })).toEqual(['aaa', 'bbb ccc']);
  });

  it('prefers a paragraph break over a later line break when the chunk stays at least half full', () => {
    expect(chunkText('first para\n\nsecond\nthird line', { limit: 20 })).toEqual([
      'first para',
      'second\nthird line',
    ]);
  });

  it('ignores a paragraph break that would leave a nearly empty chunk', () => {
    expect(chunkText('a\n\nbcd efg\nhij klm nop', { limit: 16 })).toEqual(['a\n\nbcd efg', 'hij klm nop']);
  });

  it('cuts at the last word boundary and drops the whitespace at the cut', () => {
    expect(chunkText('hello world this is a test', { limit: 10 })).toEqual([
      'hello',
      'world this',
      'is a test',
    ]);
  });

  it('uses a space right after a word that exactly fills the limit', () => {
    expect(chunkText('abcde fgh', { limit: 5 })).toEqual(['abcde', 'fgh']);
  });

  it('does not cut inside parentheses when a cut outside them exists', () => {
    expect(chunkText('see (this is in parens) ok', { limit: 12 })).toEqual([
      'see',
      '(this is in',
      'parens) ok',
    ]);
  });

  it('cuts inside parentheses rather than mid-word when there is no other boundary', () => {
    expect(chunkText('(an unclosed smiley :( keeps going on', { limit: 16 })).toEqual([
      '(an unclosed',
      'smiley',
      ':( keeps going',
      'on',
    ]);
  });

  it('cuts a word longer than the limit hard at the limit', () => {
    expect(chunkText('abcdefghij klm', { limit: 4 })).toEqual(['abcd', 'efgh', 'ij', 'klm']);
  });

  it('never splits a surrogate pair, even when the limit falls inside one', () => {
    const chunks = chunkText('😀😀😀😀😀', { limit: 5 });
    expect(chunks).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('keeps an emoji ZWJ sequence together when it fits in a chunk', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(chunkText(family + family, { limit: family.length + 3 })).toEqual([family, family]);
  });

  it('keeps a letter with its combining mark', () => {
    expect(chunkText('abe\u0301cd', { limit: 3 })).toEqual(['ab', 'e\u0301c', 'd']);
  });

  it('cuts CJK text after sentence punctuation or between ideographs, never before a full stop', () => {
    const text = '中文文本没有空格所以需要在字符之间断开。这是第二句话，还有更多内容。';
    const chunks = chunkText(text, { limit: 10 });
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((c) => c.length <= 10)).toBe(true);
    expect(chunks.some((c) => c.startsWith('。') || c.startsWith('，'))).toBe(false);
    expect(chunkText('你好。世界和平万岁', { limit: 5 })).toEqual(['你好。世界', '和平万岁']);
    // The full stop stays with its sentence rather than starting the next chunk.
    expect(chunkText('你好世界。和平', { limit: 5 })).toEqual(['你好世界。', '和平']);
  });

  it('prefers the space in mixed CJK and Latin text only when it is the last boundary', () => {
    expect(chunkText('hi 你好世界和平', { limit: 6 })).toEqual(['hi 你好世', '界和平']);
  });

  it('is not fence-aware: a code block may be cut like any other text', () => {
    const chunks = chunkText('```\nline one\nline two\n```', { limit: 14 });
    expect(chunks).toEqual(['```\nline one', 'line two\n```']);
  });
});

describe('chunkText in markdown mode', () => {
  it('cuts outside a code fence when it can, even if that leaves a short chunk', () => {
    const text = 'Intro text:\n```\ncode 1\ncode 2\n```';
    expect(chunkText(text, { limit: 26, mode: 'markdown' })).toEqual([
      'Intro text:',
      '```\ncode 1\ncode 2\n```',
    ]);
  });

  it('closes and reopens a fence it has to split, keeping the marker and info string', () => {
    const text = '~~~~ts title="x"\nconst a = 1;\nconst b = 2;\n~~~~';
    expect(chunkText(text, { limit: 40, mode: 'markdown' })).toEqual([
      '~~~~ts title="x"\nconst a = 1;\n~~~~',
      '~~~~ts title="x"\nconst b = 2;\n~~~~',
    ]);
  });

  it('keeps the indentation of code lines at the start of a continued chunk', () => {
    const text = '```py\ndef f():\n    return 1\n    pass\n```';
    const chunks = chunkText(text, { limit: 28, mode: 'markdown' });
    expect(chunks).toEqual(['```py\ndef f():\n```', '```py\n    return 1\n```', '```py\n    pass\n```']);
  });

  it('cuts a code line longer than the limit hard, still closing and reopening the fence', () => {
    const chunks = chunkText(`\`\`\`\n${'x'.repeat(30)}\n\`\`\``, { limit: 20, mode: 'markdown' });
    expect(chunks.every((c) => c.length <= 20)).toBe(true);
    expect(chunks.every((c) => c.startsWith('```\n') && c.endsWith('\n```'))).toBe(true);
    expect(chunks.map((c) => c.slice(4, -4)).join('')).toBe(`${'x'.repeat(30)}`);
  });

  it('keeps the indentation of the next line after a cut outside fences (it matters in Markdown)', () => {
    const text = '- item one is long\n  - nested item';
    expect(chunkText(text, { limit: 20, mode: 'markdown' })).toEqual([
      '- item one is long',
      '  - nested item',
    ]);
    expect(chunkText(text, { limit: 20, mode: 'length' })).toEqual(['- item one is long', '- nested item']);
  });

  it('still makes progress when the fence opening line alone does not fit', () => {
    const text = `\`\`\`${'a'.repeat(20)}\ncode\n\`\`\``;
    const chunks = chunkText(text, { limit: 10, mode: 'markdown' });
    expect(chunks.every((c) => c.length <= 10)).toBe(true);
    expect(chunks.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('splits an unclosed fence and leaves the last chunk open, as the input was', () => {
    const chunks = chunkText('```\naaaa\nbbbb\ncccc', { limit: 14, mode: 'markdown' });
    expect(chunks).toEqual(['```\naaaa\n```', '```\nbbbb\ncccc']);
  });
});

describe('chunkText in newline mode', () => {
  it('sends one chunk per paragraph even when the whole text would fit', () => {
    expect(chunkText('first\n\n  \nsecond  \n\nthird', { limit: 100, mode: 'newline' })).toEqual([
      'first',
      'second',
      'third',
    ]);
  });

  it('does not split a code block at a blank line inside it', () => {
    const text = 'p1\n\n```\ncode\n\nmore\n```\n\np2';
    expect(chunkText(text, { limit: 100, mode: 'newline' })).toEqual(['p1', '```\ncode\n\nmore\n```', 'p2']);
  });

  it('splits a paragraph longer than the limit, fence-aware', () => {
    expect(chunkText('short\n\none two three four', { limit: 9, mode: 'newline' })).toEqual([
      'short',
      'one two',
      'three',
      'four',
    ]);
  });

  it('keeps text without blank lines in one chunk when it fits', () => {
    expect(chunkText('line 1\nline 2', { limit: 20, mode: 'newline' })).toEqual(['line 1\nline 2']);
  });
});

describe('chunkText input validation', () => {
  it.each([0, 1, -5, 2.5, Number.NaN, '10'])('rejects the limit %s with a clear error', (limit) => {
    expect(() => chunkText('text', { limit: limit as number })).toThrow(
      /limit must be an integer of at least 2/,
    );
  });

  it('rejects an unknown mode and a non-string text', () => {
    expect(() => chunkText('text', { limit: 10, mode: 'words' as never })).toThrow(
      /mode must be one of length, newline, markdown/,
    );
    expect(() => chunkText(42 as never, { limit: 10 })).toThrow(/text must be a string/);
    expect(() => chunkText('text', undefined as never)).toThrow(/options must be an object/);
  });
});

describe('chunkText edge cases found by the property tests', () => {
  it.each([
    ['\n````md x\n\n````\n(👨‍👩‍👧‍👦', 11],
    ['\n````md x\n(\n````\na\n \n👨‍👩‍👧‍👦', 12],
  ])('never adds a reopened fence to a chunk without code (%j, limit %i)', (text, limit) => {
    const pieces = chunkTextPieces(text, { limit, mode: 'markdown' });
    expect(pieces.filter((p) => p.body.trim() === '')).toEqual([]);
    expect(pieces.every((p) => (p.prefix + p.body + p.suffix).length <= limit)).toBe(true);
  });
});
