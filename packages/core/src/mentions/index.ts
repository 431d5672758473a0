export {
  type CompiledMentionPatterns,
  type CompileMentionPatternsOptions,
  compileMentionPatterns,
  type MentionPatternMatch,
  type MentionPatternSource,
  matchMentionPatterns,
  mentionPatternsFromName,
  NO_MENTION_PATTERNS,
  stripMentionPatterns,
} from './compile.js';
export { type DerivedMentionPattern, deriveMentionPattern, escapeRegExp } from './derive.js';
export { checkPatternSafety, type PatternSafety, type UnsafePatternReason } from './safety.js';
export { MENTION_TEXT_LIMIT, normalizeMentionText, stripInvisible } from './text.js';
