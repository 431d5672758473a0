import { describe, expect, it } from 'vitest';
import { ChannelSendError, channelSendErrorReasons, isChannelSendErrorReason } from './channel-send-error.js';
import { InvalidAdapterError } from './invalid-adapter-error.js';

describe('ChannelSendError', () => {
  it('is retryable only for rate limits and network failures, unless told otherwise', () => {
    const retryable = channelSendErrorReasons.filter(
      (reason) => new ChannelSendError('x', { reason }).retryable,
    );
    expect(retryable).toEqual(['rate_limited', 'network']);
    const forced = new ChannelSendError('x', { reason: 'forbidden', retryable: true });
    expect([forced.retryable, forced.permanent]).toEqual([true, false]);
  });

  it('keeps a usable retryAfterMs and drops a negative or non-finite one', () => {
    expect(new ChannelSendError('x', { reason: 'rate_limited', retryAfterMs: 3000 }).retryAfterMs).toBe(3000);
    expect(
      new ChannelSendError('x', { reason: 'rate_limited', retryAfterMs: -1 }).retryAfterMs,
    ).toBeUndefined();
    expect(
      new ChannelSendError('x', { reason: 'rate_limited', retryAfterMs: Number.NaN }).retryAfterMs,
    ).toBeUndefined();
  });

  it('is recognised across package copies by its marker, and other errors are not', () => {
    const error = new ChannelSendError('x', { reason: 'auth', cause: new Error('401') });
    expect(ChannelSendError.isInstance(error)).toBe(true);
    expect(ChannelSendError.isInstance(new Error('x'))).toBe(false);
    expect(ChannelSendError.isInstance({ [Symbol.for('claw.error.ChannelSendError')]: true })).toBe(true);
    expect(InvalidAdapterError.isInstance(error)).toBe(false);
    expect(isChannelSendErrorReason('too_long')).toBe(true);
    expect(isChannelSendErrorReason('timeout')).toBe(false);
  });
});
