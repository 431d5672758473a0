import type { AccessDecision } from '../access/types.js';
import type { EnqueueResult, MessageOutcome } from '../queue/types.js';
import type { ReceiptStatus, ReceiveReceipt, TurnOutcome, TurnRef } from './types.js';

const NO_OUTCOMES: Promise<readonly TurnOutcome[]> = Promise.resolve(Object.freeze([]));
const NO_TURNS: readonly TurnRef[] = Object.freeze([]);

/** The ids a message carries from the start. @internal */
export interface MessageIds {
  readonly messageId: string;
  readonly channel: string;
  readonly accountId: string;
}

/** What a receipt may add to the status and the reason. @internal */
export interface ReceiptFields {
  readonly decision?: AccessDecision | undefined;
  readonly sessionKey?: string | undefined;
  readonly agentId?: string | undefined;
  readonly bindingId?: string | undefined;
  readonly turns?: readonly TurnRef[] | undefined;
  /** The outcomes, or a function making them (only called when someone reads `done`). */
  readonly outcomes?: readonly Promise<TurnOutcome>[] | (() => readonly Promise<TurnOutcome>[]) | undefined;
  /**
   * One queued turn (the common case): its outcome is made from the queue's result on first read
   * of `done`, without a closure per message. Takes the place of `outcomes`.
   */
  readonly queued?: { readonly ref: TurnRef; readonly result: EnqueueResult } | undefined;
}

/** The outcome of a queued turn as a receipt reports it. @internal */
export function outcomeOf(ref: TurnRef, outcome: MessageOutcome): TurnOutcome {
  const result: { -readonly [K in keyof TurnOutcome]: TurnOutcome[K] } = { ...ref, status: outcome.status };
  if (outcome.turnId !== undefined) result.handledBy = outcome.turnId;
  if (outcome.reason !== undefined) result.reason = outcome.reason;
  return result;
}

/**
 * A {@link ReceiveReceipt}. A class only so that one is cheap to make (one object per message,
 * absent fields left out) and `done` is built on first read: most callers never await it.
 * @internal
 */
export class Receipt implements ReceiveReceipt {
  readonly status: ReceiptStatus;
  readonly reason: string;
  readonly messageId: string;
  readonly channel: string;
  readonly accountId: string;
  declare readonly decision?: AccessDecision;
  declare readonly sessionKey?: string;
  declare readonly agentId?: string;
  declare readonly turnId?: string;
  declare readonly bindingId?: string;
  readonly turns: readonly TurnRef[];
  #outcomes: ReceiptFields['outcomes'];
  #queued: ReceiptFields['queued'];
  #done: Promise<readonly TurnOutcome[]> | undefined;

  constructor(status: ReceiptStatus, reason: string, ids: MessageIds, fields: ReceiptFields) {
    this.status = status;
    this.reason = reason;
    this.messageId = ids.messageId;
    this.channel = ids.channel;
    this.accountId = ids.accountId;
    const self = this as { -readonly [K in keyof ReceiveReceipt]: ReceiveReceipt[K] };
    const first = fields.turns?.[0];
    if (fields.decision !== undefined) self.decision = fields.decision;
    const sessionKey = first?.sessionKey ?? fields.sessionKey;
    if (sessionKey !== undefined) self.sessionKey = sessionKey;
    const agentId = first?.agentId ?? fields.agentId;
    if (agentId !== undefined) self.agentId = agentId;
    if (first !== undefined) self.turnId = first.turnId;
    if (fields.bindingId !== undefined) self.bindingId = fields.bindingId;
    this.turns = fields.turns ?? NO_TURNS;
    this.#outcomes = fields.outcomes;
    this.#queued = fields.queued;
  }

  get done(): Promise<readonly TurnOutcome[]> {
    if (this.#done === undefined) {
      const queued = this.#queued;
      if (queued !== undefined) {
        const { ref, result } = queued;
        this.#done = Promise.all([result.settled.then((o) => outcomeOf(ref, o))]);
      } else {
        const outcomes = this.#outcomes;
        const list = typeof outcomes === 'function' ? outcomes() : outcomes;
        this.#done = list === undefined || list.length === 0 ? NO_OUTCOMES : Promise.all(list);
      }
      this.#outcomes = undefined;
      this.#queued = undefined;
    }
    return this.#done;
  }
}
