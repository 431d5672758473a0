/** Options shared by the ready identity normalisers. */
export interface IdentityOptions {
  /**
   * Also match mutable identities: usernames and display names. **Dangerous**: a user can change
   * their name (or pick a free username) to impersonate someone on the allowlist. Off by default;
   * with it off, name and username entries never match anything.
   */
  readonly dangerouslyAllowNameMatching?: boolean;
}

/**
 * The raw sender id as a usable identity, or `undefined`. An id with surrounding whitespace is
 * treated as degenerate rather than trimmed: allowlist entries are trimmed, but silently trimming
 * only the sender side would let `" 123"` pass as `123` on one channel and not on another.
 */
export function cleanSenderId(id: string | undefined): string | undefined {
  if (id === undefined || id.length === 0 || id !== id.trim()) return undefined;
  return id;
}

/** Push `value` when it is defined and not already present (sender ids are tiny arrays). */
export function pushUnique(into: string[], value: string | undefined): void {
  if (value !== undefined && !into.includes(value)) into.push(value);
}
