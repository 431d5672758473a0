import { describe, expect, it } from 'vitest';
import { ModelError, modelErrorKinds } from './model-error.js';
import { toModelError } from './to-model-error.js';

describe('model errors', () => {
  it('derive retryable from the kind', () => {
    const retryable = modelErrorKinds.filter(
      (kind) => new ModelError('x', { kind, provider: 'p' }).retryable,
    );
    expect(retryable).toEqual(['rate_limited', 'overloaded', 'transport']);
  });

  it('are recognised across copies of the package by their marker, not by class identity', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('claw.error.ModelError')]: true });
    expect(ModelError.isInstance(foreign)).toBe(true);
    expect(ModelError.isInstance(new Error('x'))).toBe(false);
    expect(ModelError.isInstance(null)).toBe(false);
  });

  it('can be marked as having happened after the first part without losing anything', () => {
    const cause = new Error('root');
    const error = new ModelError('busy', {
      kind: 'rate_limited',
      provider: 'p',
      modelId: 'm',
      status: 429,
      retryAfterMs: 5,
      cause,
    });
    const marked = error.markAfterFirstPart();
    expect(marked).toMatchObject({
      kind: 'rate_limited',
      provider: 'p',
      modelId: 'm',
      status: 429,
      retryAfterMs: 5,
      afterFirstPart: true,
    });
    expect(marked.cause).toBe(cause);
    expect(error.afterFirstPart).toBe(false);
  });

  it('classify an AbortError as aborted and anything unknown as transport', () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    expect(toModelError(abort, { provider: 'p' }).kind).toBe('aborted');
    expect(toModelError(new TypeError('fetch failed'), { provider: 'p' })).toMatchObject({
      kind: 'transport',
      message: 'p call failed: fetch failed',
    });
  });
});
