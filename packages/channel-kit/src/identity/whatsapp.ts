import type { Sender } from '../envelope/types.js';
import { cleanSenderId, pushUnique } from './options.js';
import type { IdentityHooks } from './types.js';

/** Fewest digits a normalised phone number may have; shorter values are typos, not numbers. */
export const MIN_E164_DIGITS = 5;
/** Most digits an E.164 number has. */
export const MAX_E164_DIGITS = 15;

const PREFIX = /^whatsapp:/i;
// A personal JID: `<digits>[:<device>]@s.whatsapp.net`.
const USER_JID = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/i;
// What a written phone number may contain: digits, one leading `+`, spaces and `-().` separators.
const PHONE = /^\+?[\d\s\-().]+$/;

/**
 * Normalise a phone number (or a personal WhatsApp JID) to E.164: `+` followed by digits only.
 * `"14155551234"`, `"+1 415-555-1234"`, `"whatsapp:+14155551234"` and
 * `"14155551234@s.whatsapp.net"` all give `"+14155551234"`.
 *
 * Returns `undefined` for anything that is not a phone number: letters (`"owner"`), group JIDs
 * (`…@g.us`), `@lid` JIDs, a `+` anywhere but the start, or fewer than {@link MIN_E164_DIGITS}
 * / more than {@link MAX_E164_DIGITS} digits. OpenClaw turns such values into a bare `"+"`, so a
 * typo'd entry and a non-phone sender would match each other; here neither matches anything.
 */
export function normalizeE164(value: string): string | undefined {
  let v = value.trim();
  if (PREFIX.test(v)) v = v.replace(PREFIX, '').trim();
  const jid = USER_JID.exec(v);
  const digits = jid?.[1] ?? (PHONE.test(v) ? v.replace(/\D/g, '') : undefined);
  if (digits === undefined || digits.length < MIN_E164_DIGITS || digits.length > MAX_E164_DIGITS) {
    return undefined;
  }
  return `+${digits}`;
}

/**
 * WhatsApp identity rules: entries and senders are phone numbers, compared in E.164 form (see
 * {@link normalizeE164}). The sender is identified by `sender.e164` when the adapter knows it,
 * else by a phone-shaped `sender.id` (a number or a personal JID). WhatsApp has no usernames, so
 * there is no name matching.
 */
export const whatsappIdentity: IdentityHooks = Object.freeze({
  normalizeEntry: normalizeE164,
  senderIds(sender: Sender): readonly string[] {
    const ids: string[] = [];
    if (sender.e164 !== undefined) pushUnique(ids, normalizeE164(sender.e164));
    const id = cleanSenderId(sender.id);
    if (id !== undefined) pushUnique(ids, normalizeE164(id));
    return ids;
  },
});
