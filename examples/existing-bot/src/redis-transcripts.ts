/**
 * Keep transcripts in the Redis your bot already runs: a `TranscriptStore` on Redis lists, one
 * list per session key. The other stores can stay in memory or on disk
 * (`{ ...createFileStores({ dir }), transcripts: createRedisTranscriptStore(redis) }`).
 * `redis-transcripts.test.ts` runs the shared store conformance suite against it.
 */
import { StoreError, type TranscriptEntry, type TranscriptStore } from '@claw/core';

/** The three list commands used here, as node-redis v4 names them (ioredis: `rpush`, `lrange`, `del`). */
export interface RedisListClient {
  rPush(key: string, elements: string[]): Promise<number>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
  del(key: string): Promise<number>;
}

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'tool', 'system']);
const OPTIONAL_STRINGS = ['turnId', 'messageId', 'senderId'] as const;

/** Why an entry cannot be stored, or `undefined` when it can. */
function problemOf(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'an entry must be an object';
  const e = entry as Record<string, unknown>;
  if (typeof e['role'] !== 'string' || !ROLES.has(e['role'])) {
    return `role must be one of ${[...ROLES].join(', ')}, got ${JSON.stringify(e['role'])}`;
  }
  if (typeof e['text'] !== 'string') return 'text must be a string';
  if (typeof e['at'] !== 'number' || !Number.isFinite(e['at'])) return 'at must be a finite number (ms)';
  for (const field of OPTIONAL_STRINGS) {
    if (e[field] !== undefined && typeof e[field] !== 'string') return `${field} must be a string when given`;
  }
  return undefined;
}

/**
 * A {@link TranscriptStore} on Redis lists under `<prefix><sessionKey>`.
 *
 * - `append` validates the whole batch first and pushes it with one `RPUSH`, so a batch is never
 *   split by a concurrent append and a bad entry stores nothing.
 * - `read` with a `limit` asks Redis for the tail only (`LRANGE key -limit -1`).
 * - Failures are `StoreError`s: `invalid_argument` for bad input, `corrupt` for an unreadable
 *   element, `io` when Redis fails.
 */
export function createRedisTranscriptStore(
  redis: RedisListClient,
  options: { readonly prefix?: string } = {},
): TranscriptStore {
  const prefix = options.prefix ?? 'claw:transcript:';
  const fail = (operation: string, code: StoreError['code'], detail: string, key?: string, cause?: unknown) =>
    new StoreError(detail, {
      code,
      store: 'transcripts',
      operation,
      ...(key === undefined ? {} : { key }),
      ...(cause === undefined ? {} : { cause }),
    });
  const keyOf = (operation: string, sessionKey: unknown): string => {
    if (typeof sessionKey !== 'string' || sessionKey === '') {
      throw fail(operation, 'invalid_argument', 'sessionKey must be a non-empty string');
    }
    return prefix + sessionKey;
  };
  const io = async <T>(operation: string, sessionKey: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw fail(operation, 'io', `Redis failed: ${String(error)}`, sessionKey, error);
    }
  };

  return {
    async append(sessionKey, entries) {
      const key = keyOf('append', sessionKey);
      const batch: readonly TranscriptEntry[] = Array.isArray(entries)
        ? entries
        : [entries as TranscriptEntry];
      const lines: string[] = [];
      for (const [index, entry] of batch.entries()) {
        const problem = problemOf(entry);
        if (problem !== undefined)
          throw fail('append', 'invalid_argument', `entry ${index}: ${problem}`, sessionKey);
        let line: string;
        try {
          line = JSON.stringify(entry);
        } catch (error) {
          throw fail('append', 'invalid_argument', `entry ${index}: data must be JSON`, sessionKey, error);
        }
        lines.push(line);
      }
      if (lines.length > 0) await io('append', sessionKey, () => redis.rPush(key, lines));
    },

    async read(sessionKey, readOptions = {}) {
      const key = keyOf('read', sessionKey);
      const limit = readOptions.limit;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
        throw fail('read', 'invalid_argument', 'limit must be a whole number ≥ 1', sessionKey);
      }
      const lines = await io('read', sessionKey, () =>
        redis.lRange(key, limit === undefined ? 0 : -limit, -1),
      );
      return lines.map((line, index) => {
        try {
          return JSON.parse(line) as TranscriptEntry;
        } catch (error) {
          throw fail('read', 'corrupt', `element ${index} of ${key} is not JSON`, sessionKey, error);
        }
      });
    },

    async delete(sessionKey) {
      const key = keyOf('delete', sessionKey);
      return (await io('delete', sessionKey, () => redis.del(key))) > 0;
    },
  };
}
