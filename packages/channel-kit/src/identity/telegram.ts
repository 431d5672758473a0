import type { Sender } from '../envelope/types.js';
import { cleanSenderId, type IdentityOptions, pushUnique } from './options.js';
import type { IdentityHooks } from './types.js';

const PREFIX = /^(?:telegram|tg):/i;
const USER_ID = /^\d+$/;
// Telegram usernames: 5–32 characters of letters, digits and underscores, starting with a letter.
const USERNAME = /^@?([a-z][a-z0-9_]{3,31})$/i;

/** Strip one anchored `telegram:` / `tg:` prefix (any case), then trim. */
function stripPrefix(value: string): string {
  const trimmed = value.trim();
  return PREFIX.test(trimmed) ? trimmed.replace(PREFIX, '').trim() : trimmed;
}

/**
 * Telegram identity rules. Entries are numeric user ids, written `123`, `tg:123` or
 * `telegram:123` (prefix case-insensitive, stripped once). Anything else — `@username`, a
 * negative group id such as `-1001234567890` — is not a user id and never matches (OpenClaw
 * reports these as invalid entries).
 *
 * With `dangerouslyAllowNameMatching`, `@username` / `username` entries match the sender's
 * username case-insensitively (usernames can be released and taken by someone else).
 */
export function createTelegramIdentity(options: IdentityOptions = {}): IdentityHooks {
  const names = options.dangerouslyAllowNameMatching === true;
  const normalizeEntry = (entry: string): string | undefined => {
    const value = stripPrefix(entry);
    if (USER_ID.test(value)) return value;
    if (names) {
      const bare = value.replace(/^username:/i, '');
      const m = USERNAME.exec(bare);
      if (m?.[1] !== undefined) return `username:${m[1].toLowerCase()}`;
    }
    return undefined;
  };
  return Object.freeze({
    normalizeEntry,
    senderIds(sender: Sender): readonly string[] {
      const ids: string[] = [];
      const id = cleanSenderId(sender.id);
      if (id !== undefined) {
        const value = stripPrefix(id);
        if (USER_ID.test(value)) ids.push(value);
      }
      if (names && sender.username !== undefined) {
        const m = USERNAME.exec(sender.username.trim());
        if (m?.[1] !== undefined) pushUnique(ids, `username:${m[1].toLowerCase()}`);
      }
      return ids;
    },
  });
}

/** Telegram identity rules, numeric ids only (see {@link createTelegramIdentity}). */
export const telegramIdentity: IdentityHooks = createTelegramIdentity();
