import type { Sender } from '../envelope/types.js';
import { cleanSenderId, type IdentityOptions, pushUnique } from './options.js';
import type { IdentityHooks } from './types.js';

const MENTION = /^<@!?(\d+)>$/;
const PREFIX = /^(?:discord|user|pk):/i;
const SNOWFLAKE = /^\d+$/;

/**
 * A Discord name as a comparable slug: lowercased, a leading `#` removed, every run of characters
 * other than `a-z0-9` turned into `-`, and leading/trailing `-` trimmed (`"#General Chat"` →
 * `"general-chat"`). Empty when nothing is left.
 */
export function discordSlug(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^#/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Discord identity rules. Entries are user ids (snowflakes), written `123`, `<@123>`, `<@!123>`,
 * `discord:123`, `user:123` or `pk:123` (prefix case-insensitive, stripped once).
 *
 * Anything else is a name. Names match only with `dangerouslyAllowNameMatching`, as slugs (see
 * {@link discordSlug}) of the sender's username or display name; the result is kept in its own
 * `name:` namespace so a name can never equal an id.
 */
export function createDiscordIdentity(options: IdentityOptions = {}): IdentityHooks {
  const names = options.dangerouslyAllowNameMatching === true;
  const idOf = (raw: string): string | undefined => {
    const value = raw.trim();
    const mention = MENTION.exec(value);
    if (mention?.[1] !== undefined) return mention[1];
    const bare = PREFIX.test(value) ? value.replace(PREFIX, '').trim() : value;
    return SNOWFLAKE.test(bare) ? bare : undefined;
  };
  const nameOf = (raw: string): string | undefined => {
    const slug = discordSlug(raw.replace(/^name:/i, ''));
    return slug.length === 0 ? undefined : `name:${slug}`;
  };
  return Object.freeze({
    normalizeEntry(entry: string): string | undefined {
      const id = idOf(entry);
      if (id !== undefined) return id;
      return names ? nameOf(entry) : undefined;
    },
    senderIds(sender: Sender): readonly string[] {
      const ids: string[] = [];
      const raw = cleanSenderId(sender.id);
      if (raw !== undefined) pushUnique(ids, idOf(raw));
      if (names) {
        if (sender.username !== undefined) pushUnique(ids, nameOf(sender.username));
        if (sender.name !== undefined) pushUnique(ids, nameOf(sender.name));
      }
      return ids;
    },
  });
}

/** Discord identity rules, ids only (see {@link createDiscordIdentity}). */
export const discordIdentity: IdentityHooks = createDiscordIdentity();
