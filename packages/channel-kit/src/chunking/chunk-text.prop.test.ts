import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChunkMode } from '../capabilities/types.js';
import { type ChunkPiece, chunkTextPieces } from './chunk-text.js';

/** Text built from the pieces that make chunking hard: words, breaks, brackets, CJK, emoji, fences. */
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z]{1,12}$/) },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '  ', '\t', '\n', '\n\n', '\n \n', '\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('(', ')', ':(', '(x)') },
  { weight: 2, arbitrary: fc.stringMatching(/^[一-龥ぁ-んア-ン]{1,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('。', '，', '、', '！') },
  { weight: 2, arbitrary: fc.constantFrom('😀', '👍🏽', '👨‍👩‍👧‍👦', '🇯🇵', 'e\u0301', '𠜎') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('```', '```ts', '~~~', '````md x', '  ```'),
        fc.stringMatching(/^[a-z ();\n]{0,60}$/),
      )
      .map(([open, body]) => {
        const marker = open.trim().match(/^(`+|~+)/)![1]!;
        return `\n${open}\n${body}\n${open.startsWith('  ') ? '  ' : ''}${marker}\n`;
      }),
  },
);
const text = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));
const mode = fc.constantFrom<ChunkMode>('length', 'newline', 'markdown');
const limit = fc.oneof(fc.integer({ min: 2, max: 24 }), fc.integer({ min: 25, max: 200 }));

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Check that the bodies are the input in order, with only whitespace between them. */
function reconstructs(input: string, pieces: readonly ChunkPiece[]): boolean {
  let cursor = 0;
  for (const { body } of pieces) {
    let at = cursor;
    while (!input.startsWith(body, at)) {
      if (at >= input.length || !/\s/.test(input[at]!)) return false;
      at++;
    }
    cursor = at + body.length;
  }
  return input.slice(cursor).trim() === '';
}

const settings = { numRuns: 500 };

describe('chunkText properties', () => {
  it('never produces a chunk longer than the limit', () => {
    fc.assert(
      fc.property(text, limit, mode, (input, max, m) => {
        for (const p of chunkTextPieces(input, { limit: max, mode: m })) {
          expect((p.prefix + p.body + p.suffix).length).toBeLessThanOrEqual(max);
        }
      }),
      settings,
    );
  });

  it('never splits a surrogate pair', () => {
    fc.assert(
      fc.property(text, limit, mode, (input, max, m) => {
        for (const p of chunkTextPieces(input, { limit: max, mode: m })) {
          expect(loneSurrogate.test(p.prefix + p.body + p.suffix)).toBe(false);
        }
      }),
      settings,
    );
  });

  it('gives back the input: chunk bodies in order, only whitespace dropped between them', () => {
    fc.assert(
      fc.property(text, limit, mode, (input, max, m) => {
        const pieces = chunkTextPieces(input, { limit: max, mode: m });
        expect(reconstructs(input, pieces)).toBe(true);
        if (input.trim() !== '') expect(pieces.length).toBeGreaterThan(0);
      }),
      settings,
    );
  });

  it('adds only fence lines around a chunk, and only when splitting a code block', () => {
    fc.assert(
      fc.property(text, limit, mode, (input, max, m) => {
        for (const p of chunkTextPieces(input, { limit: max, mode: m })) {
          if (m === 'length') expect(p.prefix + p.suffix).toBe('');
          if (p.prefix !== '') expect(p.prefix).toMatch(/^ {0,3}(`{3,}|~{3,})[^\n]*\n$/);
          if (p.suffix !== '') expect(p.suffix).toMatch(/^\n {0,3}(`{3,}|~{3,})$/);
        }
      }),
      settings,
    );
  });

  it('never emits a blank chunk', () => {
    fc.assert(
      fc.property(text, limit, mode, (input, max, m) => {
        for (const p of chunkTextPieces(input, { limit: max, mode: m })) expect(p.body.trim()).not.toBe('');
      }),
      settings,
    );
  });

  it('leaves every code fence of a markdown chunk closed when the input closes them and the limit has room', () => {
    /** Fences left open at the end of `chunk`, by the CommonMark rule findFences also follows. */
    const openAtEnd = (chunk: string): boolean => {
      let open: string | undefined;
      for (const line of chunk.split('\n')) {
        const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line.replace(/\r$/, ''));
        if (!m) continue;
        if (open === undefined) open = m[1];
        else if (m[1]![0] === open[0] && m[1]!.length >= open.length && m[2]!.trim() === '') open = undefined;
      }
      return open !== undefined;
    };
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 24, max: 200 }),
        fc.constantFrom<ChunkMode>('markdown', 'newline'),
        (input, max, m) => {
          for (const p of chunkTextPieces(input, { limit: max, mode: m })) {
            expect(openAtEnd(p.prefix + p.body + p.suffix)).toBe(false);
          }
        },
      ),
      settings,
    );
  });
});
