// `-` and `/` are left alone: they are literal outside a class, and `\-` is a syntax error with the `u` flag.
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
const NON_ASCII = /[^\x00-\x7F]/;

/** Escape `value` for literal use inside a regular expression. */
export function escapeRegExp(value: string): string {
  return value.replace(REGEX_SPECIAL, '\\$&');
}

/** A mention pattern derived from an agent's identity, with the flags it must be compiled with. */
export interface DerivedMentionPattern {
  /** The regular-expression source. */
  readonly source: string;
  /** `i` for ASCII names; `iu` for names with other scripts (the lookarounds use `\p{…}`). */
  readonly flags: 'i' | 'iu';
}

/**
 * The mention pattern OpenClaw derives from an agent's name when no patterns are configured:
 * the name split on whitespace, each word escaped, joined by `\s+`, optionally preceded by `@`,
 * and bounded as a whole word — `"Claw Bot"` gives `\b@?Claw\s+Bot\b`.
 *
 * `\b` only knows ASCII word characters, so for names in other scripts (CJK, accented Latin …)
 * the boundaries are lookarounds that treat every Unicode letter and digit as a word character:
 * `"小助手"` matches in `"小助手 在吗"` and `"@小助手"`. Returns `undefined` for a blank name.
 */
export function deriveMentionPattern(name: string): DerivedMentionPattern | undefined {
  const words = name.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (words.length === 0) return undefined;
  const body = `@?${words.join('\\s+')}`;
  if (NON_ASCII.test(name)) {
    return { source: `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, flags: 'iu' };
  }
  return { source: `\\b${body}\\b`, flags: 'i' };
}
