/**
 * How much of a message mention patterns are tested against, in UTF-16 code units (after
 * invisible characters are removed). Bounding the input keeps even a slow pattern cheap; a
 * mention is expected near the start of a message. OpenClaw uses the same 2048-character window.
 */
export const MENTION_TEXT_LIMIT = 2048;

// Zero-width and bidi control characters: U+200B–U+200F (zero-width space/joiners, LRM, RLM),
// U+202A–U+202E (bidi embeddings and overrides), U+2060–U+206F (word joiner, invisible operators,
// bidi isolates), plus U+FEFF (zero-width no-break space) and U+061C (Arabic letter mark).
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\u061C]/g;
const HAS_INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\u061C]/;

/**
 * Remove zero-width and bidi control characters, so invisible characters can neither hide a
 * mention (`open\u200Bclaw`) nor forge one, then keep the first {@link MENTION_TEXT_LIMIT}
 * characters. Case is left alone: patterns are matched case-insensitively.
 */
export function normalizeMentionText(text: string): string {
  const visible = HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, '') : text;
  return visible.length > MENTION_TEXT_LIMIT ? visible.slice(0, MENTION_TEXT_LIMIT) : visible;
}

/** Remove zero-width and bidi control characters from the whole text (no length bound). */
export function stripInvisible(text: string): string {
  return HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, '') : text;
}
