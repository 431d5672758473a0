import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { type DerivedMentionPattern, deriveMentionPattern } from './derive.js';
import { checkPatternSafety } from './safety.js';
import { normalizeMentionText, stripInvisible } from './text.js';

/** Where a set of mention patterns came from (for `explain()`). */
export type MentionPatternSource = 'agent' | 'global' | 'agent-name' | 'none';

/** Mention patterns compiled once: sources plus separate test and strip regexes. */
export interface CompiledMentionPatterns {
  /** The pattern sources, in configured order (blank ones removed). */
  readonly sources: readonly string[];
  /** Where they came from. */
  readonly from: MentionPatternSource;
  /** Config path of the list (empty for derived or no patterns). */
  readonly path: string;
  /** Case-insensitive, non-global regexes for testing (no `lastIndex` state). */
  readonly test: readonly RegExp[];
  /** Case-insensitive global copies used only for stripping mentions out of text. */
  readonly strip: readonly RegExp[];
}

/** Options for {@link compileMentionPatterns}. */
export interface CompileMentionPatternsOptions {
  /** Config path of the list, used in error messages (e.g. `messages.groupChat.mentionPatterns`). */
  readonly path?: string;
  /** Recorded as {@link CompiledMentionPatterns.from}. Default `global`. */
  readonly from?: MentionPatternSource;
}

/**
 * Compile mention patterns once. Patterns are case-insensitive regular expressions; a literal
 * backspace character (a JSON `"\b"` typo) is read as the word boundary `\b`; blank patterns are
 * ignored. A pattern that is invalid or can backtrack catastrophically is a {@link ConfigError}
 * (OpenClaw drops it with a warning; a silently missing pattern is harder to notice).
 *
 * @throws {ConfigError} listing every refused pattern by path.
 */
export function compileMentionPatterns(
  patterns: readonly string[],
  options: CompileMentionPatternsOptions = {},
): CompiledMentionPatterns {
  const issues: ConfigIssue[] = [];
  if (!Array.isArray(patterns)) {
    throw new ConfigError(
      [{ path: options.path ?? '', message: 'must be an array of regular expressions (strings)' }],
      {
        subject: 'mention patterns',
      },
    );
  }
  const compiled = collectMentionPatterns(patterns, options.path ?? 'mentionPatterns', issues);
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'mention patterns' });
  return build(compiled, options.from ?? 'global', options.path ?? '');
}

/**
 * Compile what can be compiled and record every problem in `issues` (used by the access
 * config, which reports all problems of a config at once).
 * @internal
 */
export function collectMentionPatterns(
  patterns: readonly string[],
  path: string,
  issues: ConfigIssue[],
): DerivedMentionPattern[] {
  const out: DerivedMentionPattern[] = [];
  patterns.forEach((raw, index) => {
    if (typeof raw !== 'string') {
      issues.push({ path: `${path}.${index}`, message: 'must be a string (a regular expression)' });
      return;
    }
    const source = raw.replace(/\u0008/g, '\\b');
    if (source.trim().length === 0) return;
    const verdict = checkPatternSafety(source);
    if (!verdict.safe) {
      issues.push({
        path: `${path}.${index}`,
        message: `mention pattern ${JSON.stringify(raw)} ${verdict.message}`,
      });
      return;
    }
    out.push({ source, flags: 'i' });
  });
  return out;
}

/** @internal Build the frozen compiled form. */
export function build(
  patterns: readonly DerivedMentionPattern[],
  from: MentionPatternSource,
  path: string,
): CompiledMentionPatterns {
  return Object.freeze({
    sources: Object.freeze(patterns.map((p) => p.source)),
    from,
    path,
    test: Object.freeze(patterns.map((p) => new RegExp(p.source, p.flags))),
    strip: Object.freeze(patterns.map((p) => new RegExp(p.source, `g${p.flags}`))),
  });
}

/** The patterns derived from an agent's name (§4.3), compiled. Empty for a blank name. */
export function mentionPatternsFromName(name: string): CompiledMentionPatterns {
  const derived = deriveMentionPattern(name);
  return build(derived === undefined ? [] : [derived], derived === undefined ? 'none' : 'agent-name', '');
}

/** No mention patterns at all. */
export const NO_MENTION_PATTERNS: CompiledMentionPatterns = build([], 'none', '');

/** The result of testing mention patterns against a message. */
export interface MentionPatternMatch {
  /** True when some pattern matched. */
  readonly matched: boolean;
  /** The source of the first pattern that matched. */
  readonly pattern?: string;
}

const NO_MATCH: MentionPatternMatch = Object.freeze({ matched: false });

/**
 * Test compiled patterns against a message text (invisible characters removed, length bounded
 * by {@link normalizeMentionText}). The regexes are non-global, so repeated calls are stable.
 */
export function matchMentionPatterns(patterns: CompiledMentionPatterns, text: string): MentionPatternMatch {
  if (patterns.test.length === 0 || text.length === 0) return NO_MATCH;
  const i = firstMatchingPattern(patterns, normalizeMentionText(text));
  return i === -1 ? NO_MATCH : { matched: true, pattern: patterns.sources[i]! };
}

/** Index of the first pattern matching text already passed through `normalizeMentionText`, or -1. @internal */
export function firstMatchingPattern(patterns: CompiledMentionPatterns, normalized: string): number {
  const tests = patterns.test;
  for (let i = 0; i < tests.length; i++) if (tests[i]!.test(normalized)) return i;
  return -1;
}

/**
 * Remove every pattern match from `text` (used to read a command written after a mention,
 * `"@claw /status"` → `"/status"`). Whitespace left behind is collapsed and trimmed.
 */
export function stripMentionPatterns(patterns: CompiledMentionPatterns, text: string): string {
  let out = stripInvisible(text);
  for (const re of patterns.strip) {
    re.lastIndex = 0;
    out = out.replace(re, ' ');
  }
  return out.replace(/\s+/g, ' ').trim();
}
