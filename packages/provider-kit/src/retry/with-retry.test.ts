import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError } from '../errors/model-error.js';
import { generate } from '../generate/generate.js';
import type { ModelRequest } from '../spec/request.js';
import { createMockModel } from '../testing/mock-model.js';
import { type RetryEvent, type RetryPolicy, retryDelay, withRetry } from './with-retry.js';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'hi' }] };

/** A policy whose sleeps are recorded, never waited. */
function recorded(policy: RetryPolicy = {}) {
  const sleeps: number[] = [];
  const events: RetryEvent[] = [];
  return {
    sleeps,
    events,
    policy: {
      random: () => 0.5,
      ...policy,
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      onRetry: (event: RetryEvent) => events.push(event),
    } satisfies RetryPolicy,
  };
}

describe('retrying a model', () => {
  it('retries a rate limit after the provider-given retry-after, then succeeds', async () => {
    const model = createMockModel([{ error: 'rate_limited', retryAfterMs: 7000 }, { text: 'ok' }]);
    const { sleeps, policy } = recorded();
    const result = await generate(withRetry(model, policy), ask);
    expect(result.text).toBe('ok');
    expect(sleeps).toEqual([7000]);
    expect(model.calls).toHaveLength(2);
  });

  it('backs off exponentially with jitter between half and all of the delay', async () => {
    const model = createMockModel([
      { error: 'overloaded' },
      { error: 'transport' },
      { error: 'overloaded' },
      { text: 'ok' },
    ]);
    const { sleeps, events, policy } = recorded({ maxRetries: 3, initialDelayMs: 100, random: () => 0.5 });
    await generate(withRetry(model, policy), ask);
    expect(sleeps).toEqual([75, 150, 300]);
    expect(events.map((e) => [e.attempt, e.error.kind])).toEqual([
      [1, 'overloaded'],
      [2, 'transport'],
      [3, 'overloaded'],
    ]);
  });

  it('gives up after maxRetries and passes the last error on', async () => {
    const model = createMockModel(() => ({ error: 'overloaded' }));
    const { policy } = recorded({ maxRetries: 2 });
    const error = await generate(withRetry(model, policy), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'overloaded' });
    expect(model.calls).toHaveLength(3);
  });

  it.each(['auth', 'context_overflow', 'invalid_request'] as const)(
    'never retries a %s failure',
    async (kind) => {
      const model = createMockModel(() => ({ error: kind }));
      const { sleeps, policy } = recorded();
      await expect(generate(withRetry(model, policy), ask)).rejects.toMatchObject({ kind });
      expect(sleeps).toEqual([]);
      expect(model.calls).toHaveLength(1);
    },
  );

  it('does not retry once a part was streamed (the retry would repeat output)', async () => {
    const model = createMockModel(() => ({ text: 'partial', error: 'overloaded' }));
    const { policy } = recorded();
    const error = await generate(withRetry(model, policy), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'overloaded', afterFirstPart: true });
    expect(model.calls).toHaveLength(1);
  });

  it('passes a retry-after longer than maxRetryAfterMs on at once (so a fallback can take over)', async () => {
    const model = createMockModel(() => ({ error: 'rate_limited', retryAfterMs: 3_600_000 }));
    const { sleeps, policy } = recorded({ maxRetryAfterMs: 60_000 });
    await expect(generate(withRetry(model, policy), ask)).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it('stops waiting and reports "aborted" when the call is aborted during the backoff', async () => {
    const model = createMockModel([{ error: 'overloaded' }, { text: 'never' }]);
    const controller = new AbortController();
    const retried = withRetry(model, {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort();
        }),
    });
    const error = await generate(retried, ask, { signal: controller.signal }).catch((e: unknown) => e);
    expect(ModelError.isInstance(error) && error.kind).toBe('aborted');
    expect(model.calls).toHaveLength(1);
  });

  it('retries only the kinds listed in retryOn', async () => {
    const model = createMockModel(() => ({ error: 'transport' }));
    const { policy } = recorded({ retryOn: ['rate_limited'] });
    await expect(generate(withRetry(model, policy), ask)).rejects.toMatchObject({ kind: 'transport' });
    expect(model.calls).toHaveLength(1);
  });

  it('keeps the wrapped model identity', () => {
    const model = createMockModel([], { provider: 'acme', modelId: 'x-1' });
    const retried = withRetry(model);
    expect([retried.provider, retried.modelId, retried.capabilities]).toEqual([
      'acme',
      'x-1',
      model.capabilities,
    ]);
  });

  it('rejects an invalid policy naming the field', () => {
    const model = createMockModel([]);
    expect(() => withRetry(model, { maxRetries: -1 })).toThrow(/policy\.maxRetries/);
    expect(() => withRetry(model, { factor: 0.5 })).toThrow(/policy\.factor/);
    expect(() => withRetry(model, { retryOn: ['aborted'] })).toThrow(InvalidArgumentError);
    expect(() => withRetry({} as never)).toThrow(/model/);
  });
});

describe('the retry delay', () => {
  it('is capped by maxDelayMs and uses retry-after exactly when given', () => {
    expect(retryDelay(10, {}, { initialDelayMs: 1000, maxDelayMs: 5000, random: () => 1 })).toBe(5000);
    expect(retryDelay(1, { retryAfterMs: 1234 }, { random: () => 0 })).toBe(1234);
    expect(retryDelay(1, {}, { initialDelayMs: 1000, random: () => 0 })).toBe(500);
  });
});
