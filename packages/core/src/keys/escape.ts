/**
 * The literal words that give a session key its structure. An id segment equal to one of them is
 * escaped (its first character percent-encoded), so that a marker can only ever be read as a
 * marker: a channel named `cron` or a peer named `thread` cannot forge another key's shape.
 */
export const SESSION_KEY_MARKERS: readonly string[] = Object.freeze([
  'direct',
  'group',
  'channel',
  'thread',
  'topic',
  'subagent',
  'acp',
  'plugin',
  'cron',
  'run',
]);

const MARKERS: ReadonlySet<string> = new Set(SESSION_KEY_MARKERS);
const RESERVED = /[%:]/g;
const ESCAPE_SEQUENCE = /%([0-9A-F]{2})/g;

function encodeReserved(char: string): string {
  return char === '%' ? '%25' : '%3A';
}

/**
 * Escape one id segment of a session key. `%` → `%25`, `:` → `%3A` (uppercase hex), and a segment
 * that is exactly a marker word gets its first character encoded (`thread` → `%74hread`). An id
 * without reserved characters that is not a marker comes back unchanged, so keys stay
 * byte-identical to OpenClaw's for ordinary ids.
 */
export function escapeKeySegment(segment: string): string {
  if (segment.indexOf('%') === -1 && segment.indexOf(':') === -1) {
    if (!MARKERS.has(segment)) return segment;
    const code = segment.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    return `%${code}${segment.slice(1)}`;
  }
  return segment.replace(RESERVED, encodeReserved);
}

/**
 * Undo {@link escapeKeySegment}. Returns `undefined` when the segment is not in canonical escaped
 * form (a stray `%`, lowercase hex, a needlessly escaped character, an unescaped marker), so a key
 * has exactly one spelling.
 */
export function unescapeKeySegment(segment: string): string | undefined {
  if (segment === '' || segment.indexOf(':') !== -1) return undefined;
  const decoded =
    segment.indexOf('%') === -1
      ? segment
      : segment.replace(ESCAPE_SEQUENCE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return escapeKeySegment(decoded) === segment ? decoded : undefined;
}
