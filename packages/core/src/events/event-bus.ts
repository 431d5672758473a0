import { EventEmitter } from 'eventemitter3';
import type { ClawEventMap } from './types.js';

/** A listener for the payload of one event. */
export type Listener<Payload> = (payload: Payload) => void;

/**
 * A typed event emitter: `on`/`once`/`off`/`emit` only accept the events of `Events`, with their
 * payload types. Listeners run synchronously in registration order. A listener that throws does
 * not stop the other listeners nor the code that emitted: its error goes to `onListenerError`.
 */
export interface EventBus<Events extends object = ClawEventMap> {
  /** Listen to `event`. Returns a function that removes the listener. */
  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void;
  /** Listen to the next `event` only. Returns a function that removes the listener. */
  once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void;
  /** Remove a listener added with `on` or `once` (one registration of it). */
  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void;
  /**
   * Call the listeners of `event` with `payload`. Returns `true` when there was at least one.
   * A bound function: `createReplyDispatcher({ onEvent: bus.emit })` works.
   */
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): boolean;
  /** How many listeners `event` has. */
  listenerCount(event: keyof Events & string): number;
  /** Remove every listener of `event`, or of every event. */
  removeAllListeners(event?: keyof Events & string): void;
}

/** Options of {@link createEventBus}. */
export interface EventBusOptions {
  /**
   * Receives what a listener threw. Default: emit it as an `error` event
   * (`{ error, source: 'listener' }`) when the bus has `error` listeners and the failing event
   * was not `error` itself; otherwise report it with `process.emitWarning`, so it is visible but
   * never crashes the gateway.
   */
  readonly onListenerError?: (error: unknown, event: string) => void;
}

type Wrapped = (payload: unknown) => void;
type AnyListener = Listener<never>;

/**
 * Create a typed event bus on eventemitter3. Used by the gateway for {@link ClawEventMap}; any
 * event map works (`createEventBus<MyEvents>()`).
 *
 * @example
 * const bus = createEventBus();
 * const off = bus.on('reply:failed', (e) => log.warn(e.reason, e.sessionKey, e.turnId));
 */
export function createEventBus<Events extends object = ClawEventMap>(
  options: EventBusOptions = {},
): EventBus<Events> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createEventBus(options): options must be an object when given.');
  }
  if (options.onListenerError !== undefined && typeof options.onListenerError !== 'function') {
    throw new TypeError('createEventBus(options): onListenerError must be a function when given.');
  }
  const emitter = new EventEmitter();
  // listener → its wrappers per event, so `off(event, listener)` finds what `on` registered.
  const wrappers = new Map<string, Map<AnyListener, Wrapped[]>>();

  const reportListenerError = (error: unknown, event: string): void => {
    if (options.onListenerError !== undefined) {
      try {
        options.onListenerError(error, event);
      } catch {
        // The error handler itself failed; nothing sensible is left to report to.
      }
      return;
    }
    if (event !== 'error' && emitter.listenerCount('error') > 0) {
      emitter.emit('error', { error, source: 'listener' });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`A listener of "${event}" threw: ${message}`, { code: 'CLAW_LISTENER_ERROR' });
  };

  const checkArgs = (method: string, event: unknown, listener: unknown): void => {
    if (typeof event !== 'string' || event === '') {
      throw new TypeError(`EventBus.${method}: the event name must be a non-empty string.`);
    }
    if (typeof listener !== 'function') {
      throw new TypeError(`EventBus.${method}("${event}"): the listener must be a function.`);
    }
  };

  const remember = (event: string, listener: AnyListener, wrapped: Wrapped): void => {
    let byListener = wrappers.get(event);
    if (byListener === undefined) {
      byListener = new Map();
      wrappers.set(event, byListener);
    }
    const list = byListener.get(listener);
    if (list === undefined) byListener.set(listener, [wrapped]);
    else list.push(wrapped);
  };

  const forget = (event: string, listener: AnyListener, wrapped?: Wrapped): Wrapped | undefined => {
    const byListener = wrappers.get(event);
    const list = byListener?.get(listener);
    if (byListener === undefined || list === undefined) return undefined;
    const index = wrapped === undefined ? 0 : list.indexOf(wrapped);
    if (index < 0) return undefined;
    const [removed] = list.splice(index, 1);
    if (list.length === 0) byListener.delete(listener);
    if (byListener.size === 0) wrappers.delete(event);
    return removed;
  };

  const add = (method: 'on' | 'once', event: string, listener: Listener<never>): (() => void) => {
    checkArgs(method, event, listener);
    const wrapped: Wrapped = (payload) => {
      if (method === 'once') forget(event, listener, wrapped);
      try {
        (listener as Listener<unknown>)(payload);
      } catch (error) {
        reportListenerError(error, event);
      }
    };
    remember(event, listener, wrapped);
    if (method === 'once') emitter.once(event, wrapped);
    else emitter.on(event, wrapped);
    return () => {
      if (forget(event, listener, wrapped) !== undefined) emitter.off(event, wrapped);
    };
  };

  return {
    on: (event, listener) => add('on', event, listener as Listener<never>),
    once: (event, listener) => add('once', event, listener as Listener<never>),
    off: (event, listener) => {
      checkArgs('off', event, listener);
      const wrapped = forget(event, listener);
      if (wrapped !== undefined) emitter.off(event, wrapped);
    },
    emit: (event, payload) => {
      if (typeof event !== 'string' || event === '') {
        throw new TypeError('EventBus.emit: the event name must be a non-empty string.');
      }
      return emitter.emit(event, payload);
    },
    listenerCount: (event) => emitter.listenerCount(event),
    removeAllListeners: (event) => {
      if (event === undefined) {
        wrappers.clear();
        emitter.removeAllListeners();
      } else {
        wrappers.delete(event);
        emitter.removeAllListeners(event);
      }
    },
  };
}
