/** Why a mention pattern was refused. */
export type UnsafePatternReason = 'blank' | 'invalid' | 'nested_quantifier' | 'repeated_alternation';

/** The verdict on one mention pattern: usable, or refused with a reason in plain words. */
export type PatternSafety =
  | { readonly safe: true }
  | { readonly safe: false; readonly reason: UnsafePatternReason; readonly message: string };

interface Frame {
  /** The group contains a repeating quantifier (directly or in a nested group). */
  repeats: boolean;
  /** Source of each top-level alternative inside the group, to spot `(a|a)*`. */
  branches: string[];
  branchStart: number;
}

/**
 * Check that a mention pattern can be compiled and cannot backtrack catastrophically.
 *
 * Refused: blank patterns, patterns JavaScript cannot compile, a repeated group that itself
 * contains a repetition (`(a+)+`, `(\w*\s?)*`, `(?:x{2,})+` — exponential backtracking on a
 * near-miss), and a repeated group with two identical alternatives (`(a|a)*`). This is a
 * conservative structural check, not a proof: together with the bounded text length
 * ({@link MENTION_TEXT_LIMIT}) it keeps one message from stalling the event loop.
 */
export function checkPatternSafety(pattern: string): PatternSafety {
  if (pattern.trim().length === 0) {
    return { safe: false, reason: 'blank', message: 'is blank; a mention pattern must match something' };
  }
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { safe: false, reason: 'invalid', message: `is not a valid regular expression (${why})` };
  }
  return structuralCheck(pattern);
}

function structuralCheck(p: string): PatternSafety {
  const stack: Frame[] = [{ repeats: false, branches: [], branchStart: 0 }];
  // What the previous atom was, so a following quantifier knows what it applies to.
  let lastGroup: { repeats: boolean; duplicateBranch: boolean } | undefined;
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      i += escapeLength(p, i);
      lastGroup = undefined;
      continue;
    }
    if (c === '[') {
      i = skipClass(p, i);
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      let start = i + 1;
      if (p[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        if (p[i + 2] === '<' && p[i + 3] !== '=' && p[i + 3] !== '!') start = p.indexOf('>', i) + 1;
        else start = i + (p[i + 2] === '<' ? 4 : 3);
      }
      stack.push({ repeats: false, branches: [], branchStart: start });
      i = start;
      lastGroup = undefined;
      continue;
    }
    if (c === '|') {
      const top = stack[stack.length - 1]!;
      top.branches.push(p.slice(top.branchStart, i));
      top.branchStart = i + 1;
      i++;
      lastGroup = undefined;
      continue;
    }
    if (c === ')') {
      const frame = stack.pop();
      if (frame === undefined || stack.length === 0) break; // unbalanced: RegExp already accepted it, stop
      frame.branches.push(p.slice(frame.branchStart, i));
      const seen = new Set<string>();
      let duplicateBranch = false;
      for (const b of frame.branches) {
        if (seen.has(b)) duplicateBranch = true;
        seen.add(b);
      }
      lastGroup = { repeats: frame.repeats, duplicateBranch };
      // A nested group's repetition counts for every enclosing group.
      if (frame.repeats) stack[stack.length - 1]!.repeats = true;
      i++;
      continue;
    }
    const q = quantifierAt(p, i);
    if (q !== undefined) {
      if (q.repeating) {
        if (lastGroup?.repeats) {
          return {
            safe: false,
            reason: 'nested_quantifier',
            message:
              'repeats a group that already contains a repetition (like "(a+)+"), which can backtrack ' +
              'catastrophically; rewrite it without the nested quantifier (e.g. "a+")',
          };
        }
        if (lastGroup?.duplicateBranch) {
          return {
            safe: false,
            reason: 'repeated_alternation',
            message:
              'repeats a group with two identical alternatives (like "(a|a)*"), which can backtrack ' +
              'catastrophically; remove the duplicate alternative',
          };
        }
        stack[stack.length - 1]!.repeats = true;
      }
      i = q.end;
      lastGroup = undefined;
      continue;
    }
    i++;
    lastGroup = undefined;
  }
  return { safe: true };
}

/** Length of the escape sequence starting at `i` (a backslash). */
function escapeLength(p: string, i: number): number {
  const n = p[i + 1];
  if ((n === 'p' || n === 'P' || n === 'u') && p[i + 2] === '{') {
    const end = p.indexOf('}', i);
    return end === -1 ? 2 : end - i + 1;
  }
  if (n === 'k' && p[i + 2] === '<') {
    const end = p.indexOf('>', i);
    return end === -1 ? 2 : end - i + 1;
  }
  return 2;
}

/** Index just past the character class starting at `i` (a `[`). */
function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++; // a literal `]` first in the class
  while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The quantifier at `i`, if any: whether it can repeat more than once, and where it ends. */
function quantifierAt(p: string, i: number): { repeating: boolean; end: number } | undefined {
  const c = p[i];
  let end: number;
  let repeating: boolean;
  if (c === '*' || c === '+') {
    end = i + 1;
    repeating = true;
  } else if (c === '?') {
    end = i + 1;
    repeating = false;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (m === null) return undefined; // a literal `{`
    end = i + m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    repeating = max > 1;
  } else {
    return undefined;
  }
  if (p[end] === '?') end++; // lazy form
  return { repeating, end };
}
