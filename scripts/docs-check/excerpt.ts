/** Checking that a quoted code block really is an excerpt of its source file. */
import ts from 'typescript';

/** In an excerpt, `…` stands for omitted code. */
export const ELLIPSIS = '…';

/** A significant token. Comments and whitespace are trivia and never compared. */
interface Token {
  readonly text: string;
  /** Offset in the scanned text. */
  readonly pos: number;
}

const closers = new Set([')', ']', '}']);

/**
 * The significant tokens of a piece of TypeScript. A comma right before a closing bracket is
 * dropped: it is formatting (formatters add one when a list breaks over several lines).
 */
export function tokenize(text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  // Which opening each `}` closes: after a template's `${ … }` the scan goes on as template text.
  const braces: ('block' | 'template')[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) braces.push('block');
    else if (kind === ts.SyntaxKind.TemplateHead) braces.push('template');
    else if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop() === 'template') {
      if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateMiddle) braces.push('template');
    }
    tokens.push({ text: scanner.getTokenText(), pos: scanner.getTokenStart() });
  }
  return tokens.filter((token, i) => token.text !== ',' || !closers.has(tokens[i + 1]?.text ?? ''));
}

/** Where an excerpt stops matching its source. */
export interface ExcerptMismatch {
  /** 0-based line in the excerpt. */
  readonly line: number;
  readonly message: string;
}

/**
 * Checks that an excerpt's code appears in `source` token for token, in order. `…` matches any
 * run of source tokens, and so does a line that is only `// …`. Without a leading `…` the
 * excerpt may start anywhere in the source; without a trailing one it may end anywhere.
 *
 * @returns `undefined` when the excerpt matches, else where and how it differs.
 */
export function findExcerptMismatch(excerpt: string, source: string): ExcerptMismatch | undefined {
  // A `// …` line is trivia to the scanner: turn it into a `…` token.
  const code = excerpt.replace(/^([ \t]*)\/\/[ \t]*…[ \t]*$/gm, `$1${ELLIPSIS}`);
  const sourceTokens = tokenize(source);
  const segments: Token[][] = [[]];
  for (const token of tokenize(code)) {
    if (token.text === ELLIPSIS) segments.push([]);
    else segments.at(-1)?.push(token);
  }
  let from = 0;
  for (const segment of segments) {
    if (segment.length === 0) continue;
    // The earliest occurrence leaves the most room for the segments after it.
    const match = findSegment(sourceTokens, segment, from);
    if (match.found !== undefined) {
      from = match.found + segment.length;
      continue;
    }
    const failed = segment[match.matched] ?? segment[0];
    const line = code.slice(0, failed?.pos ?? 0).split('\n').length - 1;
    const actual = sourceTokens[match.closest + match.matched]?.text;
    const expected = actual === undefined ? 'the end of the file' : `"${actual}"`;
    return { line, message: `"${failed?.text}" differs from the source, which has ${expected} there` };
  }
  return undefined;
}

/** The first index at or after `from` where `segment` occurs, else the closest attempt. */
function findSegment(tokens: readonly Token[], segment: readonly Token[], from: number) {
  let closest = from;
  let best = 0;
  for (let start = from; start < tokens.length; start++) {
    let matched = 0;
    while (matched < segment.length && tokens[start + matched]?.text === segment[matched]?.text) matched++;
    if (matched === segment.length) return { found: start, closest: start, matched };
    if (matched > best) [closest, best] = [start, matched];
  }
  return { found: undefined, closest, matched: best };
}
