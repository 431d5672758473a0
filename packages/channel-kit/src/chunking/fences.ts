/** A fenced code block found in markdown text. Offsets are UTF-16 indices into the text. */
export interface FenceSpan {
  /** Index of the first character of the opening fence line. */
  readonly start: number;
  /** Index just past the closing fence line (its newline is outside), or the scan end when unclosed. */
  readonly end: number;
  /** Index of the newline that ends the opening line (content starts after it). */
  readonly openLineEnd: number;
  /** The opening line exactly as written (indent, marker, info string), used to reopen the fence. */
  readonly openLine: string;
  /** The line that closes this fence: the opening indent and marker (e.g. "```", "  ~~~~"). */
  readonly closeLine: string;
}

const openPattern = /^( {0,3})(`{3,}|~{3,})(.*?)\r?$/;
const closePattern = /^( {0,3})(`{3,}|~{3,})[ \t]*\r?$/;

/**
 * Find the fenced code blocks (``` or ~~~, three or more, indented at most three spaces, as in
 * CommonMark) whose opening line starts before `scanEnd`. A fence still open at `scanEnd` is
 * reported with `end = text.length`: callers only ask whether a position inside their window is
 * fenced, so the real close further on does not matter.
 */
export function findFences(text: string, scanEnd = text.length): FenceSpan[] {
  const spans: FenceSpan[] = [];
  let open:
    | { start: number; openLineEnd: number; openLine: string; indent: string; marker: string }
    | undefined;
  let lineStart = 0;
  while (lineStart <= text.length && lineStart < scanEnd + 1) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (open === undefined) {
      const match = openPattern.exec(line);
      // A backtick fence's info string may not contain backticks (CommonMark), or "```x```" would open one.
      if (match && lineStart < scanEnd && !(match[2]!.startsWith('`') && match[3]!.includes('`'))) {
        open = {
          start: lineStart,
          openLineEnd: lineEnd,
          openLine: line.replace(/\r$/, ''),
          indent: match[1]!,
          marker: match[2]!,
        };
      }
    } else {
      const match = closePattern.exec(line);
      if (match && match[2]![0] === open.marker[0] && match[2]!.length >= open.marker.length) {
        spans.push({
          start: open.start,
          end: lineEnd,
          openLineEnd: open.openLineEnd,
          openLine: open.openLine,
          closeLine: `${open.indent}${open.marker}`,
        });
        open = undefined;
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  if (open !== undefined) {
    spans.push({
      start: open.start,
      end: text.length,
      openLineEnd: open.openLineEnd,
      openLine: open.openLine,
      closeLine: `${open.indent}${open.marker}`,
    });
  }
  return spans;
}
