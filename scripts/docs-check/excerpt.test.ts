import { describe, expect, it } from 'vitest';
import { findExcerptMismatch, tokenize } from './excerpt.js';

const source = [
  "import { decideAccess } from '@claw/core';",
  '',
  '// The rules.',
  'const rules = createRules({',
  "  allowFrom: ['111'],",
  "  groups: { '*': { requireMention: true } },",
  '});',
  '',
  "it('a stranger is refused', () => {",
  "  expect(decideAccess(rules, dm('555')).action).toBe('pairing');",
  '});',
  '',
  "it('greets in a template', () => {",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text with a template literal
  '  const text = `hi ${name}, from ${place}`;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text with a template literal
  '  expect(text).toBe(`hi ${name}, from ${place}`);',
  '});',
].join('\n');

describe('findExcerptMismatch', () => {
  it('accepts a verbatim excerpt from anywhere in the file', () => {
    expect(findExcerptMismatch("it('a stranger is refused', () => {", source)).toBeUndefined();
  });

  it('ignores formatting, comments and trailing commas', () => {
    const excerpt = [
      'const rules = createRules({ // my rules',
      "  allowFrom: ['111',],",
      "  groups: { '*': { requireMention: true } }",
      '});',
    ].join('\n');
    expect(findExcerptMismatch(excerpt, source)).toBeUndefined();
  });

  it('lets … stand for omitted code, inline or as a // … line', () => {
    const inline = 'const rules = createRules({ … });';
    const lines = [
      "import { decideAccess } from '@claw/core';",
      '// …',
      "it('greets in a template', () => {",
    ];
    expect(findExcerptMismatch(inline, source)).toBeUndefined();
    expect(findExcerptMismatch(lines.join('\n'), source)).toBeUndefined();
  });

  it('reports a changed token with its line and what the source has', () => {
    const excerpt = [
      "it('a stranger is refused', () => {",
      "  expect(decideAccess(rules, dm('556')).action)",
    ].join('\n');
    expect(findExcerptMismatch(excerpt, source)).toEqual({
      line: 1,
      message: `"'556'" differs from the source, which has "'555'" there`,
    });
  });

  it('refuses code that skips lines without saying so', () => {
    const excerpt = [
      "import { decideAccess } from '@claw/core';",
      "it('a stranger is refused', () => {",
    ].join('\n');
    expect(findExcerptMismatch(excerpt, source)?.line).toBe(1);
  });

  it('refuses parts quoted out of order', () => {
    const excerpt = [
      "it('greets in a template', () => {",
      '// …',
      "it('a stranger is refused', () => {",
    ].join('\n');
    expect(findExcerptMismatch(excerpt, source)).toMatchObject({ line: 2 });
  });

  it('compares template literals by their text, not only by their expressions', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text with a template literal
    expect(findExcerptMismatch('const text = `hi ${name}, from ${place}`;', source)).toBeUndefined();
    // Between `}` and `${` is template text, where a space matters.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text with a template literal
    expect(findExcerptMismatch('const text = `hi ${name},from ${place}`;', source)).toBeDefined();
  });
});

describe('tokenize', () => {
  it('keeps significant tokens only', () => {
    expect(tokenize('f(a, /* b */ c,) // d').map((t) => t.text)).toEqual(['f', '(', 'a', ',', 'c', ')']);
  });
});
