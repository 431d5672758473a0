import type { IdentityHooks, Sender } from '@claw/channel-kit';

/** An allowlist from config: its entries (trimmed, blanks dropped) and where it is written. */
export interface EntryList {
  /** The entries as strings (numbers converted), trimmed, blanks removed, order kept. */
  readonly entries: readonly string[];
  /** The config path of the list (`channels.telegram.allowFrom`), or a label (`pairing store`). */
  readonly path: string;
  /** True when the list contains `"*"` (everyone). */
  readonly wildcard: boolean;
  /** True when the key was written in config at all (even as an empty list). */
  readonly present: boolean;
}

/** A list normalised with one channel's identity rules. */
export interface NormalizedList {
  /** Normalised identity → the entry it came from. */
  readonly ids: ReadonlyMap<string, string>;
  /** True when the list contains `"*"`. */
  readonly wildcard: boolean;
  /** Number of entries (after trimming), `"*"` included. */
  readonly size: number;
  /** Entries that normalise to nothing (not a usable identity on this channel): they never match. */
  readonly ignored: readonly string[];
}

// Per-list cache of normalised forms, keyed by identity rules. A list is almost always used
// with one set of rules, so the last one is kept in front of the WeakMap.
interface ListCache {
  lastHooks: IdentityHooks | undefined;
  last: NormalizedList | undefined;
  readonly byHooks: WeakMap<IdentityHooks, NormalizedList>;
}
const caches = new WeakMap<EntryList, ListCache>();
// Lists built by `entryList` carry their cache under this symbol (invisible to JSON and `toEqual`).
const CACHE = Symbol('claw.access.listCache');

/** Build an {@link EntryList} from config values. `"*"` is kept as the wildcard. */
export function entryList(raw: readonly (string | number)[] | undefined, path: string): EntryList {
  const entries: string[] = [];
  let wildcard = false;
  for (const value of raw ?? []) {
    const s = String(value).trim();
    if (s.length === 0) continue;
    if (s === '*') wildcard = true;
    entries.push(s);
  }
  // The cache object stays mutable inside the frozen list; it only ever memoises normalisation.
  const cache: ListCache = { lastHooks: undefined, last: undefined, byHooks: new WeakMap() };
  return Object.freeze({
    entries: Object.freeze(entries),
    path,
    wildcard,
    present: raw !== undefined,
    [CACHE]: cache,
  });
}

/** Normalise a list with `hooks`, cached per (list, hooks) so the hot path never re-normalises. */
export function normalizeList(list: EntryList, hooks: IdentityHooks): NormalizedList {
  let cache = (list as { [CACHE]?: ListCache })[CACHE];
  if (cache === undefined) {
    cache = caches.get(list);
    if (cache === undefined) {
      cache = { lastHooks: undefined, last: undefined, byHooks: new WeakMap() };
      caches.set(list, cache);
    }
  }
  if (cache.lastHooks === hooks) return cache.last!;
  let norm = cache.byHooks.get(hooks);
  if (norm === undefined) {
    norm = normalizeEntries(list.entries, hooks);
    cache.byHooks.set(hooks, norm);
  }
  cache.lastHooks = hooks;
  cache.last = norm;
  return norm;
}

/** Normalise raw entries (uncached; used for the pairing store list, which changes per call). */
export function normalizeEntries(entries: readonly string[], hooks: IdentityHooks): NormalizedList {
  const ids = new Map<string, string>();
  const ignored: string[] = [];
  let wildcard = false;
  let size = 0;
  for (const raw of entries) {
    const e = String(raw).trim();
    if (e.length === 0) continue;
    size++;
    if (e === '*') {
      wildcard = true;
      continue;
    }
    let id: string | undefined;
    try {
      id = hooks.normalizeEntry(e);
    } catch {
      id = undefined; // a throwing normaliser must not open the list: the entry just never matches
    }
    if (id === undefined || id.length === 0) ignored.push(e);
    else if (!ids.has(id)) ids.set(id, e);
  }
  return Object.freeze({ ids, wildcard, size, ignored: Object.freeze(ignored) });
}

/** The sender's normalised identities under `hooks` (empty when the sender has none). */
export function senderIdsOf(sender: Sender, hooks: IdentityHooks): readonly string[] {
  let ids: readonly string[];
  try {
    ids = hooks.senderIds(sender);
  } catch {
    return [];
  }
  // Copy only when a hook returned something unusable (the common case allocates nothing).
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0)
      return ids.filter((x) => typeof x === 'string' && x.length > 0);
  }
  return ids;
}

/**
 * The entry that admits the sender, or `undefined`: `"*"` admits everyone (even a sender without
 * a usable id), otherwise an exact match of a normalised identity. An empty list admits no one
 * (callers that want "empty means everyone" say so themselves).
 */
export function matchList(list: NormalizedList, senderIds: readonly string[]): string | undefined {
  if (list.wildcard) return '*';
  for (const id of senderIds) {
    const hit = list.ids.get(id);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
