import type { Sender } from '../envelope/types.js';
import { cleanSenderId, type IdentityOptions, pushUnique } from './options.js';
import type { IdentityHooks } from './types.js';

const NAME_PREFIX = /^name:/i;
const USERNAME_PREFIX = /^username:/i;

/**
 * The generic identity rules: an allowlist entry is compared with the sender's stable id
 * **exactly** (case preserved, entries trimmed). `"*"` is handled by the core.
 *
 * With `dangerouslyAllowNameMatching`, entries written `name:<display name>` and
 * `username:<handle>` also match, case-insensitively (a leading `@` on a username is ignored).
 * Without it they are ordinary ids, which no real sender has.
 */
export function createDefaultIdentity(options: IdentityOptions = {}): IdentityHooks {
  const names = options.dangerouslyAllowNameMatching === true;
  return Object.freeze({
    normalizeEntry(entry: string): string | undefined {
      const value = entry.trim();
      if (value.length === 0) return undefined;
      if (names) {
        if (NAME_PREFIX.test(value)) return typed('name', value.slice(5));
        if (USERNAME_PREFIX.test(value)) return typed('username', value.slice(9).trim().replace(/^@/, ''));
      }
      return value;
    },
    senderIds(sender: Sender): readonly string[] {
      const ids: string[] = [];
      pushUnique(ids, cleanSenderId(sender.id));
      if (names) {
        if (sender.username !== undefined)
          pushUnique(ids, typed('username', sender.username.replace(/^@/, '')));
        if (sender.name !== undefined) pushUnique(ids, typed('name', sender.name));
      }
      return ids;
    },
  });
}

function typed(kind: 'name' | 'username', value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return v.length === 0 ? undefined : `${kind}:${v}`;
}

/** Exact-id matching, no name matching: what the core uses when a channel supplies nothing. */
export const defaultIdentity: IdentityHooks = createDefaultIdentity();
