import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { normalizeChannelId } from './normalize.js';
import type { IdentityLinks } from './types.js';

/**
 * Identity links compiled for O(1) lookups. Build with {@link compileIdentityLinks}; the key
 * builders also accept the raw map and compile it once per object.
 */
export interface CompiledIdentityLinks {
  /** `<channel>:<id>` (channel lowercased, id as written) → canonical name, for case-sensitive channels. */
  readonly exact: ReadonlyMap<string, string>;
  /** `<channel>:<lowercased id>` → canonical name, for channels whose ids are case-insensitive. */
  readonly folded: ReadonlyMap<string, string>;
  /** True when no link is configured. */
  readonly empty: boolean;
}

const compiled = new WeakMap<object, CompiledIdentityLinks>();

/**
 * Every problem in an identityLinks map, by path. Rules: canonical names are non-blank and distinct
 * after trimming and lowercasing; each value is an array of `<channel>:<id>` strings with a
 * non-blank channel and id; an entry is linked to one name only. An unprefixed entry (`"111"`) is
 * an error: OpenClaw matched it on every channel, which let a peer on one channel impersonate a
 * linked person from another.
 */
export function identityLinkIssues(links: unknown, path = 'session.identityLinks'): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (typeof links !== 'object' || links === null || Array.isArray(links)) {
    return [
      { path, message: 'must be an object mapping a canonical name to a list of "<channel>:<id>" ids' },
    ];
  }
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const [name, ids] of Object.entries(links)) {
    const at = `${path}.${name}`;
    const canonical = name.trim().toLowerCase();
    if (canonical === '') issues.push({ path: at, message: 'the canonical name must not be blank' });
    else if (names.has(canonical)) {
      issues.push({
        path: at,
        message: `the canonical name collides with "${names.get(canonical)}" (names are compared trimmed and lowercased)`,
      });
    } else names.set(canonical, name);
    if (!Array.isArray(ids)) {
      issues.push({ path: at, message: 'must be an array of "<channel>:<id>" strings' });
      continue;
    }
    ids.forEach((entry: unknown, i) => {
      const parsed = parseLinkEntry(entry);
      if (typeof parsed === 'string') {
        issues.push({ path: `${at}.${i}`, message: parsed });
        return;
      }
      const owner = owners.get(parsed.exactKey);
      if (owner !== undefined && owner !== canonical) {
        issues.push({ path: `${at}.${i}`, message: `"${String(entry)}" is already linked to "${owner}"` });
      } else owners.set(parsed.exactKey, canonical);
    });
  }
  return issues;
}

/** Split one `<channel>:<id>` entry, or return what is wrong with it. */
function parseLinkEntry(entry: unknown): { exactKey: string; foldedKey: string } | string {
  if (typeof entry !== 'string') return 'must be a "<channel>:<id>" string';
  const trimmed = entry.trim();
  const colon = trimmed.indexOf(':');
  const channel = colon === -1 ? '' : normalizeChannelId(trimmed.slice(0, colon));
  const id = colon === -1 ? '' : trimmed.slice(colon + 1).trim();
  if (channel === '' || id === '') {
    return `"${entry}" must be written "<channel>:<id>" (e.g. "telegram:${trimmed || '123'}"); unprefixed ids would match on every channel`;
  }
  return { exactKey: `${channel}:${id}`, foldedKey: `${channel}:${id.toLowerCase()}` };
}

/**
 * Validate and compile identity links (see {@link identityLinkIssues} for the rules). The result
 * is cached per links object, so passing the same map on every call costs one lookup.
 *
 * @throws {ConfigError} listing every invalid entry.
 */
export function compileIdentityLinks(
  links: IdentityLinks,
  path = 'session.identityLinks',
): CompiledIdentityLinks {
  const cached = compiled.get(links);
  if (cached !== undefined) return cached;
  const issues = identityLinkIssues(links, path);
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'identity links' });
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const [name, ids] of Object.entries(links)) {
    const canonical = name.trim().toLowerCase();
    for (const entry of ids) {
      const parsed = parseLinkEntry(entry);
      if (typeof parsed === 'string') continue;
      if (!exact.has(parsed.exactKey)) exact.set(parsed.exactKey, canonical);
      // First link wins among ids that differ only in case (insertion order, as in OpenClaw).
      if (!folded.has(parsed.foldedKey)) folded.set(parsed.foldedKey, canonical);
    }
  }
  const result: CompiledIdentityLinks = Object.freeze({ exact, folded, empty: exact.size === 0 });
  compiled.set(links, result);
  return result;
}

/**
 * The canonical name a DM peer is linked to, or `undefined`. Only `<channel>:<id>` entries for
 * this exact channel match. The id is compared exactly, or case-insensitively when the channel's
 * ids are case-insensitive. Canonical names are returned trimmed and lowercased.
 *
 * @param channel canonical channel id (see `normalizeChannelId`)
 * @param peerId trimmed peer id
 */
export function resolveIdentityLink(
  links: CompiledIdentityLinks,
  channel: string,
  peerId: string,
  caseInsensitiveIds = false,
): string | undefined {
  if (links.empty) return undefined;
  return caseInsensitiveIds
    ? links.folded.get(`${channel}:${peerId.toLowerCase()}`)
    : links.exact.get(`${channel}:${peerId}`);
}
