import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createEventBus } from './event-bus.js';
import type { ClawEventMap, EventSink, ReplyFailedEvent } from './types.js';

const target = { channel: 'test', accountId: 'default', peer: { kind: 'group' as const, id: 'g1' } };
const failed: ReplyFailedEvent = {
  turnId: 't1',
  sessionKey: 'agent:main:test:group:g1',
  target,
  idempotencyKey: 't1:0',
  partIndex: 0,
  chunkIndex: 0,
  reason: 'permanent',
  attempts: 1,
};

describe('event bus', () => {
  it('delivers a payload to every listener of its event, in registration order', () => {
    const bus = createEventBus();
    const calls: string[] = [];
    bus.on('reply:failed', (e) => calls.push(`a:${e.turnId}`));
    bus.on('reply:failed', (e) => calls.push(`b:${e.reason}`));
    bus.on('reply:sent', () => calls.push('wrong event'));
    expect(bus.emit('reply:failed', failed)).toBe(true);
    expect(calls).toEqual(['a:t1', 'b:permanent']);
  });

  it('reports whether anyone listened', () => {
    const bus = createEventBus();
    expect(bus.emit('reply:failed', failed)).toBe(false);
  });

  it('stops calling a listener once it is removed, by off or by the returned function', () => {
    const bus = createEventBus();
    const listener = vi.fn();
    const other = vi.fn();
    bus.on('reply:failed', listener);
    const stop = bus.on('reply:failed', other);
    bus.off('reply:failed', listener);
    stop();
    bus.emit('reply:failed', failed);
    expect(listener).not.toHaveBeenCalled();
    expect(other).not.toHaveBeenCalled();
    expect(bus.listenerCount('reply:failed')).toBe(0);
  });

  it('calls a once listener a single time', () => {
    const bus = createEventBus();
    const listener = vi.fn();
    bus.once('reply:failed', listener);
    bus.emit('reply:failed', failed);
    bus.emit('reply:failed', failed);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount('reply:failed')).toBe(0);
  });

  it('keeps calling other listeners when one throws, and reports the error as an error event', () => {
    const bus = createEventBus();
    const after = vi.fn();
    const errors: ClawEventMap['error'][] = [];
    bus.on('error', (e) => errors.push(e));
    bus.on('reply:failed', () => {
      throw new Error('listener bug');
    });
    bus.on('reply:failed', after);
    expect(() => bus.emit('reply:failed', failed)).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'listener' });
    expect((errors[0]!.error as Error).message).toBe('listener bug');
  });

  it('hands listener errors to onListenerError when given', () => {
    const onListenerError = vi.fn();
    const bus = createEventBus({ onListenerError });
    bus.on('inbound', () => {
      throw new Error('boom');
    });
    bus.emit('inbound', {
      messageId: 'm1',
      channel: 'test',
      accountId: 'default',
      message: {
        channel: 'test',
        messageId: 'm1',
        peer: { kind: 'direct', id: 'u1' },
        sender: { id: 'u1' },
        text: 'hi',
        timestamp: 1,
      },
    });
    expect(onListenerError).toHaveBeenCalledWith(expect.any(Error), 'inbound');
  });

  it('can be handed to a part as its event sink', () => {
    const bus = createEventBus();
    const sink: EventSink<'reply:sent' | 'reply:failed'> = bus.emit;
    const listener = vi.fn();
    bus.on('reply:failed', listener);
    sink('reply:failed', failed);
    expect(listener).toHaveBeenCalledWith(failed);
  });

  it('rejects a listener that is not a function', () => {
    const bus = createEventBus();
    expect(() => bus.on('inbound', 'nope' as never)).toThrow(/listener must be a function/);
  });

  it('types payloads by event name', () => {
    const bus = createEventBus();
    bus.on('turn:end', (e) => {
      expectTypeOf(e.status).toEqualTypeOf<'completed' | 'failed' | 'aborted'>();
    });
    // @ts-expect-error an unknown event is a type error
    expect(() => bus.on('nope', () => {})).not.toThrow();
  });
});
