/** Agent and account ids that are already canonical take this fast path (OpenClaw's rule). */
const VALID_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const INVALID_RUN = /[^a-z0-9_-]+/g;
const LEADING_DASHES = /^-+/;
const TRAILING_DASHES = /-+$/;

/**
 * Account ids that would reach `Object.prototype` if used as plain-object keys. They normalise to
 * `default` (as in OpenClaw) so that no lookup can ever touch an inherited property.
 */
const BLOCKED_ACCOUNT_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Shared sanitiser of agent and account ids (routing.md §2): never contains `:` or `%`. */
function sanitizeId(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  const trimmed = raw.trim();
  if (trimmed === '') return fallback;
  if (VALID_ID.test(trimmed)) return trimmed.toLowerCase();
  const sanitized = trimmed
    .toLowerCase()
    .replace(INVALID_RUN, '-')
    .replace(LEADING_DASHES, '')
    .replace(TRAILING_DASHES, '')
    .slice(0, 64);
  return sanitized === '' ? fallback : sanitized;
}

/**
 * True when `value` is a well-formed agent id as written: 1–64 characters of `[a-z0-9_-]`
 * (either case), starting with a letter or digit.
 */
export function isValidAgentId(value: unknown): boolean {
  return typeof value === 'string' && VALID_ID.test(value);
}

/**
 * Canonical agent id (OpenClaw's `normalizeAgentId`): trimmed and lowercased; characters outside
 * `[a-z0-9_-]` become `-` (one per run), leading and trailing dashes are dropped, the result is
 * cut to 64 characters. Blank or nothing left → `main`. The result never contains `:` or `%`, so
 * it can sit in a session key unescaped. Idempotent.
 */
export function normalizeAgentId(value: unknown): string {
  return sanitizeId(value, 'main');
}

/**
 * Canonical account id (OpenClaw's `normalizeAccountId`): the agent-id algorithm with `default` as
 * the fallback; `__proto__`, `constructor` and `prototype` also become `default`. Idempotent.
 */
export function normalizeAccountId(value: unknown): string {
  const id = sanitizeId(value, 'default');
  return BLOCKED_ACCOUNT_IDS.has(id) ? 'default' : id;
}

/**
 * Canonical channel id: trimmed and lowercased, nothing else (no alias mapping: `imsg` is not
 * `imessage`). Returns `''` for a blank or non-string value; session keys write that as `unknown`.
 */
export function normalizeChannelId(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Canonical main key: trimmed and lowercased; blank → `main`. */
export function normalizeMainKey(value: unknown): string {
  if (typeof value !== 'string') return 'main';
  const key = value.trim().toLowerCase();
  return key === '' ? 'main' : key;
}

/** Canonical conversation kind: the channel kit's `normalizeChatType`, re-exported for key code. */
export { normalizeChatType } from '@claw/channel-kit';

/**
 * A platform id as a trimmed string: strings are trimmed, numbers and bigints are written in
 * decimal (Telegram chat ids, Discord snowflakes), anything else → `''`. Case is kept.
 */
export function normalizeIdValue(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}
