import type { InboundMessage } from '@claw/channel-kit';
import type { RunChildInput, RunChildResult } from '../background/types.js';
import type { GroupHistoryEntry } from '../group-history/index.js';
import type { ToolPolicy } from '../tool-policy/index.js';

/** A queued inbound message: everything its turn needs, decided at admission. @internal */
export interface InboundPayload {
  readonly kind: 'inbound';
  /** The admitted message. */
  readonly message: InboundMessage;
  /** The agent that answers it. */
  readonly agentId: string;
  /** Group messages skipped before it (taken from the pending history at admission). */
  readonly history: readonly GroupHistoryEntry[];
  /** The turn's tool policy for this message's sender. */
  readonly toolPolicy: ToolPolicy;
  /** The dedupe key claimed for it (released if it never runs). */
  readonly dedupeKey: string;
}

/** A queued background run (a child turn on the `background` lane). @internal */
export interface ChildPayload {
  readonly kind: 'child';
  /** What the background runs manager asked for. */
  readonly input: RunChildInput;
  /** Settles the manager's `runChild` promise. */
  readonly resolve: (result: RunChildResult) => void;
  readonly reject: (error: unknown) => void;
}

/** What the session queues carry. @internal */
export type TurnPayload = InboundPayload | ChildPayload;

/** The text a queue summary line is made from (`summarize` drop policy). @internal */
export function payloadText(payload: TurnPayload): string {
  return payload.kind === 'inbound' ? payload.message.text : payload.input.task;
}
