import { describe, expect, it } from 'vitest';
import { errorKindFromStatus } from './classify.js';
import { parseRetryAfter } from './retry-after.js';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('retry-after', () => {
  it('prefers retry-after-ms, then reads retry-after as seconds or an HTTP date', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after': '2.5' }))).toBe(2500);
    const now = Date.parse('2025-11-21T19:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Fri, 21 Nov 2025 19:00:30 GMT' }), now)).toBe(30_000);
  });

  it('is undefined when absent or unreadable, and never negative', () => {
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-4' }))).toBeUndefined();
    const now = Date.parse('2025-11-21T19:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Fri, 21 Nov 2025 18:00:00 GMT' }), now)).toBe(0);
  });
});

describe('classifying HTTP failures', () => {
  it.each([
    [429, undefined, 'rate_limited'],
    [529, undefined, 'overloaded'],
    [503, undefined, 'overloaded'],
    [401, undefined, 'auth'],
    [403, undefined, 'auth'],
    [413, undefined, 'context_overflow'],
    [400, 'prompt is too long: 215439 tokens > 200000 maximum', 'context_overflow'],
    [400, "This model's maximum context length is 8192 tokens", 'context_overflow'],
    [400, 'temperature: must be <= 1', 'invalid_request'],
    [404, 'model not found', 'invalid_request'],
    [500, undefined, 'transport'],
    [502, undefined, 'transport'],
    [408, undefined, 'transport'],
  ] as const)('status %i (%s) is %s', (status, message, kind) => {
    expect(errorKindFromStatus(status, message)).toBe(kind);
  });
});
