const stoppedMarker = Symbol.for('claw.error.ClawStoppedError');
const unknownChannelMarker = Symbol.for('claw.error.UnknownChannelError');
const turnEndedMarker = Symbol.for('claw.error.TurnEndedError');

/**
 * Thrown (as a rejection) by `Claw.receive` once `stop()` was called, and by `start()` after a
 * stop: a stopped gateway accepts no new work. The message was not claimed, so a platform
 * redelivery to a restarted gateway still runs it.
 */
export class ClawStoppedError extends Error {
  readonly [stoppedMarker] = true;
  override readonly name = 'ClawStoppedError';

  constructor(message = 'The gateway is stopped (or stopping) and accepts no new messages.') {
    super(message);
  }

  /** True for a `ClawStoppedError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ClawStoppedError {
    return typeof error === 'object' && error !== null && stoppedMarker in error;
  }
}

/**
 * Thrown (as a rejection) by `Claw.receive` for a message from a channel the gateway has no
 * adapter for: without one it could never answer. Nothing else happens to the message.
 */
export class UnknownChannelError extends Error {
  readonly [unknownChannelMarker] = true;
  override readonly name = 'UnknownChannelError';
  /** The channel of the message. */
  readonly channel: string;

  constructor(channel: string, known: readonly string[]) {
    super(
      `No channel adapter for channel "${channel}": pass one in createClaw({ channels }) ` +
        `(adapters given: ${known.length === 0 ? 'none' : known.map((c) => `"${c}"`).join(', ')}).`,
    );
    this.channel = channel;
  }

  /** True for an `UnknownChannelError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is UnknownChannelError {
    return typeof error === 'object' && error !== null && unknownChannelMarker in error;
  }
}

/**
 * Thrown by a `TurnContext` method called after its turn ended (a handler that kept a reference
 * and replied later): the turn's replies are over, and a late one could overtake the next turn's.
 */
export class TurnEndedError extends Error {
  readonly [turnEndedMarker] = true;
  override readonly name = 'TurnEndedError';
  /** The turn that had ended. */
  readonly turnId: string;

  constructor(turnId: string, method: string) {
    super(
      `TurnContext.${method}() was called after turn "${turnId}" ended. Await replies inside the handler ` +
        '(or return the text); to answer later, start a background run with ctx.spawn().',
    );
    this.turnId = turnId;
  }

  /** True for a `TurnEndedError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is TurnEndedError {
    return typeof error === 'object' && error !== null && turnEndedMarker in error;
  }
}
