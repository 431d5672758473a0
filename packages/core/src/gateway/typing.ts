import type { ChannelAdapter, ReplyTarget } from '@claw/channel-kit';
import type { ClawLogger } from './logger.js';

/** The typing indicator of one turn. Lives and dies with the turn: no per-session state. @internal */
export interface TurnTyping {
  /** Turn it on (refreshed every interval) or off. Never rejects. */
  set(on: boolean): Promise<void>;
  /** Turn it off if it is on, and stop refreshing (at the end of the turn). */
  stop(): Promise<void>;
}

const NO_TYPING: TurnTyping = Object.freeze({
  set: async () => {},
  stop: async () => {},
});

/**
 * The typing indicator for `target`, or a no-op when the channel has none. While on, it is
 * refreshed every `intervalMs` (platform indicators expire by themselves: Telegram after 5 s), by
 * an unref'd timer so it never keeps the process alive. Failures are logged, never thrown:
 * typing is cosmetic.
 */
export function createTurnTyping(
  adapter: ChannelAdapter | undefined,
  target: ReplyTarget | undefined,
  intervalMs: number,
  logger: ClawLogger,
): TurnTyping {
  const setTyping = adapter?.capabilities.typing ? adapter.setTyping : undefined;
  if (setTyping === undefined || target === undefined) return NO_TYPING;
  let on = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const call = async (value: boolean): Promise<void> => {
    try {
      await setTyping(target, value);
    } catch (error) {
      logger.warn('setTyping failed (ignored: typing is cosmetic)', { typing: value, error });
    }
  };
  const set = async (value: boolean): Promise<void> => {
    if (typeof value !== 'boolean') throw new TypeError('TurnContext.setTyping(on): on must be a boolean');
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    on = value;
    if (value && intervalMs > 0) {
      timer = setInterval(() => void call(true), intervalMs);
      timer.unref?.();
    }
    await call(value);
  };
  return {
    set,
    stop: async () => {
      if (on) await set(false);
    },
  };
}
