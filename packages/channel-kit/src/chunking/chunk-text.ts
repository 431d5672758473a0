import type { ChunkMode } from '../capabilities/types.js';
import { type Break, findBreak, hardBreak } from './boundaries.js';
import { type FenceSpan, findFences } from './fences.js';

/** Options for {@link chunkText}. */
export interface ChunkTextOptions {
  /**
   * Longest chunk, in UTF-16 code units (JavaScript string length, which is also how Telegram
   * and Discord count). An integer of at least 2, so every code point fits; `Infinity` means
   * "no limit". Usually the channel's `capabilities.textChunkLimit`.
   */
  readonly limit: number;
  /** How to split; see {@link ChunkMode}. Default `length`. */
  readonly mode?: ChunkMode;
}

/**
 * One chunk with the text it adds around its slice of the input, so tests can check that the
 * chunks give back the input exactly. `prefix` is a reopened code fence line plus newline,
 * `suffix` a newline plus the closing fence; both are empty unless a fence was split.
 * @internal
 */
export interface ChunkPiece {
  readonly prefix: string;
  readonly body: string;
  readonly suffix: string;
}

const chunkModes: readonly ChunkMode[] = ['length', 'newline', 'markdown'];

/**
 * Split text into messages of at most `limit` characters, at the most natural boundaries.
 *
 * - `length` (OpenClaw `chunkText`): each chunk is filled as far as the limit allows and cut at,
 *   in order of preference, a paragraph break (if the chunk stays at least half full), the last
 *   line break, the last word boundary (whitespace; after CJK punctuation such as `。` or `，`;
 *   between two Han/kana characters), else hard at the limit. Candidates inside parentheses are
 *   used only when there is no other. Chunks are trimmed at the end and the next chunk at the
 *   start, so whitespace at a cut is dropped.
 * - `markdown` (OpenClaw `chunkMarkdownText`): as `length`, but never cuts inside a fenced code
 *   block (``` or ~~~) when a cut outside exists; when the only possible cut is inside one, the
 *   chunk is ended with the closing fence and the next chunk starts by reopening it (same marker
 *   and info string), preferring a line break inside the code. Indentation at the start of the
 *   next chunk is kept (it is meaningful in Markdown); only blank lines are dropped.
 * - `newline` (OpenClaw `chunkByParagraph`): one chunk per paragraph — even when the whole text
 *   would fit in one — where paragraphs are separated by blank lines outside code fences and
 *   trimmed at the end; paragraphs longer than the limit are split as in `markdown`. Text without
 *   a blank line is one chunk when it fits.
 *
 * Guarantees, for every mode: no chunk is longer than `limit`; no surrogate pair is split (and,
 * where possible, no emoji sequence or letter with combining marks); chunks keep the input's
 * order and content — apart from the whitespace dropped at cuts and the fence lines added when a
 * code block is split, concatenating the chunks gives back the input. Empty or whitespace-only
 * text gives `[]`.
 *
 * @throws {TypeError} when `text` is not a string, `limit` is not an integer of at least 2 (or
 *   `Infinity`), or `mode` is not one of `length`, `newline`, `markdown`.
 */
export function chunkText(text: string, options: ChunkTextOptions): string[] {
  return chunkTextPieces(text, options).map((piece) => piece.prefix + piece.body + piece.suffix);
}

/**
 * {@link chunkText} with each chunk's added fence lines kept apart from its slice of the input.
 * @internal Exported for the chunker's own property tests.
 */
export function chunkTextPieces(text: string, options: ChunkTextOptions): ChunkPiece[] {
  const { limit, mode } = validate(text, options);
  if (text.trim() === '') return [];
  if (mode === 'newline') {
    // Every paragraph is its own message, even when the whole text would fit in one.
    return splitParagraphs(text).flatMap((paragraph) =>
      paragraph.length <= limit
        ? [{ prefix: '', body: paragraph, suffix: '' }]
        : splitByLength(paragraph, limit, true),
    );
  }
  if (text.length <= limit) return [{ prefix: '', body: text, suffix: '' }];
  return splitByLength(text, limit, mode === 'markdown');
}

function validate(text: unknown, options: unknown): { limit: number; mode: ChunkMode } {
  if (typeof text !== 'string') throw new TypeError(`chunkText: text must be a string, got ${typeof text}`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('chunkText: options must be an object { limit, mode? }');
  }
  const { limit, mode = 'length' } = options as { limit?: unknown; mode?: unknown };
  if (
    typeof limit !== 'number' ||
    !(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 2))
  ) {
    throw new TypeError(
      `chunkText: limit must be an integer of at least 2 (UTF-16 code units, so any character fits) or Infinity, got ${String(limit)}`,
    );
  }
  if (!chunkModes.includes(mode as ChunkMode)) {
    throw new TypeError(`chunkText: mode must be one of ${chunkModes.join(', ')}, got ${String(mode)}`);
  }
  return { limit, mode: mode as ChunkMode };
}

/** Blank-line separated paragraphs, not splitting inside code fences, trailing whitespace trimmed. */
function splitParagraphs(text: string): string[] {
  const fences = findFences(text);
  const paragraphs: string[] = [];
  let from = 0;
  for (const match of text.matchAll(/\n\s*\n/g)) {
    const at = match.index;
    if (fences.some((fence) => at >= fence.start && at < fence.end)) continue;
    paragraphs.push(text.slice(from, at));
    from = at + match[0].length;
  }
  paragraphs.push(text.slice(from));
  return paragraphs.map((p) => p.trimEnd()).filter((p) => p.trim() !== '');
}

/** Strip what may be dropped at the start of the next chunk after a cut. */
function trimRest(rest: string, brk: Break, markdown: boolean): string {
  if (!markdown) return rest.trimStart();
  // Markdown: drop spaces left on a cut line and whole blank lines, keep the next line's indent.
  const afterLine = brk.atLineStart ? rest : rest.replace(/^[^\S\n]+/, '');
  return afterLine.replace(/^(?:[^\S\n]*\n)+/, '');
}

function splitByLength(text: string, limit: number, markdown: boolean): ChunkPiece[] {
  const pieces: ChunkPiece[] = [];
  let remaining = text;
  // Length of the reopened fence line at the start of `remaining` that is not part of the input.
  let prefixLength = 0;
  const emit = (chunk: string, suffix = '') => {
    if (chunk.trim() === '' && suffix === '') return;
    pieces.push({ prefix: chunk.slice(0, prefixLength), body: chunk.slice(prefixLength), suffix });
    prefixLength = 0;
  };

  while (remaining.length > limit) {
    const fences = markdown ? findFences(remaining, limit + 1) : [];
    const brk = findBreak(remaining, limit, fences);
    if (brk !== undefined) {
      emit(remaining.slice(0, brk.end).trimEnd());
      remaining = trimRest(remaining.slice(brk.next), brk, markdown);
      continue;
    }
    const fence = fences.find((f) => f.start < limit && f.end > limit);
    const split = fence === undefined ? undefined : splitInsideFence(remaining, limit, fence);
    if (split !== undefined && fence !== undefined) {
      emit(remaining.slice(0, split.end), `\n${fence.closeLine}`);
      const reopen = `${fence.openLine}\n`;
      remaining = reopen + remaining.slice(split.next);
      prefixLength = reopen.length;
      continue;
    }
    const cut = hardBreak(remaining, limit);
    if (prefixLength > 0 && remaining.slice(prefixLength, cut).trim() === '') {
      // No visible code fits after the reopened fence line (say, a grapheme longer than the
      // room left): give up the reopening rather than send a chunk of fence lines.
      remaining = remaining.slice(prefixLength);
      prefixLength = 0;
      continue;
    }
    emit(remaining.slice(0, cut));
    remaining = remaining.slice(cut);
  }
  if (remaining.trim() !== '') emit(remaining);
  return pieces;
}

/**
 * Where to cut inside `fence` so that the chunk plus a closing fence line fits in `limit`: the
 * last line break inside the code that leaves room, else a hard cut. The chunk must hold at
 * least one visible character of code (a chunk of only fence lines is useless, and without
 * progress the loop would not end); `undefined` when that is impossible
 * (an opening line too long for the limit), and the caller cuts hard without fence handling.
 */
function splitInsideFence(
  text: string,
  limit: number,
  fence: FenceSpan,
): { end: number; next: number } | undefined {
  const maxEnd = limit - fence.closeLine.length - 1;
  const contentStart = fence.openLineEnd + 1;
  if (maxEnd <= contentStart) return undefined;
  // The chunk must carry some code, or it would be nothing but fence lines.
  const hasCode = (end: number) => text.slice(contentStart, end).trim() !== '';
  const newline = text.lastIndexOf('\n', maxEnd);
  if (newline > contentStart && newline < fence.end && hasCode(newline))
    return { end: newline, next: newline + 1 };
  const cut = hardBreak(text, maxEnd);
  return cut > contentStart && hasCode(cut) ? { end: cut, next: cut } : undefined;
}
