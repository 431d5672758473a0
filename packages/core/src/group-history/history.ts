import type { InboundMessage } from '@claw/channel-kit';
import { ConfigError } from '../errors/index.js';
import { GroupHistoryError } from './errors.js';

/** One skipped group message kept as context. Plain data. */
export interface GroupHistoryEntry {
  /** Who wrote it, as shown to the model (`Alice (+15551234567)`). */
  readonly sender: string;
  /** The message text. */
  readonly body: string;
  /** When it was sent (ms since the epoch). */
  readonly timestamp?: number;
  /** The platform message id. */
  readonly messageId?: string;
}

/** Options of {@link createGroupHistory}. */
export interface GroupHistoryOptions {
  /** Entries kept per group (oldest dropped first). Default 50; 0 disables recording. */
  readonly limit?: number;
  /** Groups kept at most; the least recently touched group is forgotten first. Default 1000. */
  readonly maxGroups?: number;
}

/** Pending group history: skipped messages per group, handed to the next dispatched turn. */
export interface GroupHistory {
  /**
   * Keep a skipped message. `limit` overrides the default for this call (pass
   * `decision.historyLimit`); with a limit of 0 or less nothing is kept.
   */
  record(key: string, entry: GroupHistoryEntry, options?: { readonly limit?: number | undefined }): void;
  /** The pending entries of a group, oldest first, and clear them (call when a turn is dispatched). */
  take(key: string): readonly GroupHistoryEntry[];
  /** The pending entries of a group without clearing them. */
  peek(key: string): readonly GroupHistoryEntry[];
  /** Forget a group's entries. */
  clear(key: string): void;
  /** Number of groups with pending entries. */
  readonly size: number;
}

const EMPTY: readonly GroupHistoryEntry[] = Object.freeze([]);

/**
 * An in-memory pending group history (§5): messages skipped for lack of a mention are kept per
 * group, bounded per group (`limit`, oldest dropped) and in number of groups (`maxGroups`,
 * least recently touched evicted), then taken — and cleared — by the next dispatched turn.
 *
 * @throws {ConfigError} when `limit` or `maxGroups` is not a whole number ≥ 0 (≥ 1 for `maxGroups`).
 *   The methods throw a {@link GroupHistoryError} for a blank key or a malformed entry.
 */
export function createGroupHistory(options: GroupHistoryOptions = {}): GroupHistory {
  const limit = options.limit ?? 50;
  const maxGroups = options.maxGroups ?? 1000;
  const issues = [];
  if (!Number.isInteger(limit) || limit < 0)
    issues.push({ path: 'limit', message: 'must be a whole number ≥ 0' });
  if (!Number.isInteger(maxGroups) || maxGroups < 1) {
    issues.push({ path: 'maxGroups', message: 'must be a whole number ≥ 1' });
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'group history options' });

  // Map iteration order is insertion order: re-inserting a key on every touch makes the first
  // key the least recently used one.
  const groups = new Map<string, GroupHistoryEntry[]>();

  return {
    record(key, entry, opts) {
      checkKey(key);
      if (
        typeof entry !== 'object' ||
        entry === null ||
        typeof entry.sender !== 'string' ||
        typeof entry.body !== 'string'
      ) {
        throw new GroupHistoryError('A history entry must be an object with string "sender" and "body".');
      }
      if (opts?.limit !== undefined && !Number.isFinite(opts.limit)) {
        throw new GroupHistoryError(
          `The history limit must be a number (0 disables recording), got ${String(opts.limit)}.`,
        );
      }
      const max = opts?.limit ?? limit;
      if (!(max > 0)) return;
      let entries = groups.get(key);
      if (entries === undefined) entries = [];
      else groups.delete(key);
      entries.push(Object.freeze({ ...entry }));
      if (entries.length > max) entries.splice(0, entries.length - max);
      groups.set(key, entries);
      while (groups.size > maxGroups) {
        const oldest = groups.keys().next().value;
        if (oldest === undefined) break;
        groups.delete(oldest);
      }
    },
    take(key) {
      checkKey(key);
      const entries = groups.get(key);
      if (entries === undefined) return EMPTY;
      groups.delete(key);
      return Object.freeze(entries);
    },
    peek(key) {
      checkKey(key);
      const entries = groups.get(key);
      return entries === undefined ? EMPTY : Object.freeze([...entries]);
    },
    clear(key) {
      checkKey(key);
      groups.delete(key);
    },
    get size() {
      return groups.size;
    },
  };
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new GroupHistoryError(
      'A history key must be a non-empty string (use decision.historyKey or groupHistoryKey()).',
    );
  }
}

/**
 * A history entry for a message. The sender label is `Name (+E164)` when both are known, else
 * the name, the number, the username or the id, in that order.
 */
export function historyEntryFromMessage(message: InboundMessage): GroupHistoryEntry {
  const { name, e164, username, id } = message.sender;
  const label = name && e164 ? `${name} (${e164})` : name || e164 || username || id || 'Unknown';
  return { sender: label, body: message.text, timestamp: message.timestamp, messageId: message.messageId };
}

/** The header OpenClaw puts before pending history. */
export const HISTORY_HEADER = '[Chat messages since your last reply - for context]';
/** The header OpenClaw puts before the message to answer. */
export const CURRENT_MESSAGE_HEADER = '[Current message - respond to this]';

/**
 * The prompt body of a dispatched group turn (§5.3): pending entries, one per line, under
 * {@link HISTORY_HEADER}, then the current message under {@link CURRENT_MESSAGE_HEADER}. With no
 * pending entries (or only blank ones) the body is just the current message.
 */
export function formatGroupHistory(
  entries: readonly GroupHistoryEntry[],
  current: string,
  formatEntry: (entry: GroupHistoryEntry) => string = (e) => `${e.sender}: ${e.body}`,
): string {
  const lines = entries.map(formatEntry).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return current;
  return `${HISTORY_HEADER}\n${lines.join('\n')}\n\n${CURRENT_MESSAGE_HEADER}\n${current}`;
}
