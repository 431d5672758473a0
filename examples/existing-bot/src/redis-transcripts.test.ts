import { type ClawStores, createMemoryStores, StoreError } from '@claw/core';
import { storeConformance } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { createRedisTranscriptStore, type RedisListClient } from './redis-transcripts.js';

/** An in-memory stand-in for Redis lists, with Redis's index rules (inclusive, negative from the end). */
function createFakeRedis(): RedisListClient & { readonly lists: Map<string, string[]> } {
  const lists = new Map<string, string[]>();
  return {
    lists,
    async rPush(key, elements) {
      const list = lists.get(key) ?? [];
      list.push(...elements);
      lists.set(key, list);
      return list.length;
    },
    async lRange(key, start, stop) {
      const list = lists.get(key) ?? [];
      const from = Math.max(0, start < 0 ? list.length + start : start);
      const to = stop < 0 ? list.length + stop : Math.min(stop, list.length - 1);
      return list.slice(from, to + 1);
    },
    async del(key) {
      return lists.delete(key) ? 1 : 0;
    },
  };
}

// The stores under test: memory for everything but transcripts. A "restart" keeps the same Redis
// (and, for this check, the same memory stores) and builds a new transcript store over it.
const redisOf = new WeakMap<ClawStores, RedisListClient>();
storeConformance(
  () => {
    const redis = createFakeRedis();
    const stores: ClawStores = { ...createMemoryStores(), transcripts: createRedisTranscriptStore(redis) };
    redisOf.set(stores, redis);
    return stores;
  },
  {
    name: 'Redis transcripts (+ memory stores) conformance',
    reopen: (stores) => ({ ...stores, transcripts: createRedisTranscriptStore(redisOf.get(stores)!) }),
  },
);

describe('Redis transcript store', () => {
  it('keeps each session in its own list under the prefix', async () => {
    const redis = createFakeRedis();
    const store = createRedisTranscriptStore(redis, { prefix: 'bot:' });
    await store.append('agent:main:chirp:group:dev-team', { role: 'user', text: 'hi', at: 1 });
    expect([...redis.lists.keys()]).toEqual(['bot:agent:main:chirp:group:dev-team']);
  });

  it('reports a Redis failure as an io StoreError naming the session', async () => {
    const broken: RedisListClient = {
      rPush: () => Promise.reject(new Error('ECONNREFUSED')),
      lRange: () => Promise.reject(new Error('ECONNREFUSED')),
      del: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const error = await createRedisTranscriptStore(broken)
      .read('agent:main:main')
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'io',
      store: 'transcripts',
      operation: 'read',
      key: 'agent:main:main',
    });
  });

  it('reports an element it cannot parse as corrupt instead of guessing', async () => {
    const redis = createFakeRedis();
    redis.lists.set('claw:transcript:s', ['{"role":"user","text":"ok","at":1}', 'not json']);
    const error = await createRedisTranscriptStore(redis)
      .read('s')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'corrupt', operation: 'read' });
  });
});
