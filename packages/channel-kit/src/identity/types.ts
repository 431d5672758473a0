import type { Sender } from '../envelope/types.js';

/**
 * How a channel turns allowlist entries and senders into comparable identities. The access rules
 * compare `normalizeEntry(entry)` with `senderIds(sender)`; a channel supplies these so that
 * `tg:123`, `telegram:123` and `123` mean the same Telegram user, or `+1 (555) 010-0000` and
 * `+15550100000` the same WhatsApp number.
 *
 * Both functions must be pure, stable and idempotent (normalising a normalised value returns it
 * unchanged). Returning `undefined` means "not a usable identity": such an entry never matches
 * anything (an empty or degenerate value must never match another empty or degenerate value).
 */
export interface IdentityHooks {
  /** Normalise one allowlist entry (never called with `"*"`, which the core handles itself). */
  normalizeEntry(entry: string): string | undefined;
  /** The normalised identities of a sender, strongest first (usually just the stable id). */
  senderIds(sender: Sender): readonly string[];
}
