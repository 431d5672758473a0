/** Where to cut: the chunk is `text.slice(0, end)`, the rest starts at `next` (before trimming). */
export interface Break {
  readonly end: number;
  readonly next: number;
  /** The cut is at a line break, so the rest starts at the beginning of a line. */
  readonly atLineStart: boolean;
}

/** Half-open ranges `[start, end)` of the text in which no break may be made (code fences). */
export interface Protected {
  readonly start: number;
  readonly end: number;
}

const whitespace = /\s/;
/** Han ideographs and kana: scripts written without spaces, where any character boundary is a word boundary. */
const spacelessScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** CJK punctuation after which a line may end (commas, full stops, closing brackets). */
const cjkBreakAfter =
  /[\u3001\u3002\u3009\u300B\u300D\u300F\u3011\u3015\u3017\u3019\u301B\uFF01\uFF09\uFF0C\uFF0E\uFF1A\uFF1B\uFF1F\uFF3D\uFF5D]/;

interface Tier {
  paragraph: Break | undefined;
  newline: Break | undefined;
  word: Break | undefined;
}

function pick(tier: Tier, limit: number): Break | undefined {
  // A paragraph break wins only when it keeps the chunk at least half full; otherwise the last
  // line break (as OpenClaw does), then the last word boundary.
  if (tier.paragraph !== undefined && tier.paragraph.end * 2 >= limit) return tier.paragraph;
  return tier.newline ?? tier.word;
}

/**
 * Find the best place to cut `text` so the first chunk holds at most `limit` UTF-16 units:
 * a paragraph break (when the chunk stays at least half full), else the last line break, else the
 * last word boundary (whitespace, after CJK punctuation, or between two Han/kana characters).
 * Positions inside parentheses are avoided when any other candidate exists (OpenClaw's rule);
 * positions inside `protectedRanges` are never used. Returns `undefined` when there is no
 * candidate and the caller has to cut hard.
 */
export function findBreak(
  text: string,
  limit: number,
  protectedRanges: readonly Protected[] = [],
): Break | undefined {
  const strict: Tier = { paragraph: undefined, newline: undefined, word: undefined };
  const relaxed: Tier = { paragraph: undefined, newline: undefined, word: undefined };
  let depth = 0;
  let range = 0;
  let lastNewline = -1;
  let lineBlank = false;
  let previousSpaceless = false;
  const scanEnd = Math.min(limit, text.length - 1);

  const record = (kind: keyof Tier, brk: Break) => {
    if (depth === 0) strict[kind] = brk;
    relaxed[kind] = brk;
  };

  for (let i = 0; i <= scanEnd; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    while (range < protectedRanges.length && protectedRanges[range]!.end <= i) range++;
    const fenced = range < protectedRanges.length && protectedRanges[range]!.start <= i;
    if (fenced) {
      // Nothing inside a fence is a break, and its brackets do not count.
      lastNewline = -1;
      previousSpaceless = false;
      i += width;
      continue;
    }
    const spaceless = spacelessScript.test(ch);
    if (ch === '\n') {
      if (i > 0) {
        record('newline', { end: i, next: i + 1, atLineStart: true });
        if (lineBlank && lastNewline > 0)
          record('paragraph', { end: lastNewline, next: lastNewline + 1, atLineStart: true });
      }
      lastNewline = i;
      lineBlank = true;
    } else if (whitespace.test(ch)) {
      if (i > 0) record('word', { end: i, next: i + 1, atLineStart: false });
    } else {
      lineBlank = false;
      if (spaceless && previousSpaceless && i > 0) record('word', { end: i, next: i, atLineStart: false });
      if (cjkBreakAfter.test(ch) && i + width <= limit)
        record('word', { end: i + width, next: i + width, atLineStart: false });
      if (ch === '(') depth++;
      else if (ch === ')' && depth > 0) depth--;
    }
    previousSpaceless = spaceless;
    i += width;
  }
  return pick(strict, limit) ?? pick(relaxed, limit);
}

const segmenter =
  typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : undefined;

/**
 * The largest cut position `<= limit` (and `>= 1`) that does not split a user-perceived character:
 * never a surrogate pair, and where possible not an emoji sequence or a letter from its combining
 * marks. Grapheme clusters longer than 32 units are cut between code points rather than not at all.
 */
export function hardBreak(text: string, limit: number): number {
  let cut = Math.min(limit, text.length);
  if (cut >= text.length) return cut;
  if (segmenter !== undefined) {
    // Segment with context on both sides: whether `cut` is a boundary depends on what follows it.
    const from = Math.max(0, cut - 32);
    let best = -1;
    for (const { index } of segmenter.segment(text.slice(from, cut + 32))) {
      // Index 0 of the slice is only a boundary of the slice, not necessarily of the text.
      if (index > 0 && from + index <= cut) best = from + index;
    }
    if (best > 0) return best;
  }
  const code = text.charCodeAt(cut - 1);
  const nextCode = text.charCodeAt(cut);
  if (code >= 0xd800 && code <= 0xdbff && nextCode >= 0xdc00 && nextCode <= 0xdfff && cut > 1) cut -= 1;
  return cut;
}
