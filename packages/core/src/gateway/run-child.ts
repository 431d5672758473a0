import type { RunChild, RunChildResult } from '../background/types.js';
import type { SessionQueues } from '../queue/types.js';
import { ClawStoppedError } from './errors.js';
import type { TurnPayload } from './payload.js';

/**
 * The gateway's side of the background runs contract: run a child on the `background` lane of
 * the session queues (so the lane's concurrency limit holds), in the child's own session. The
 * turn runner gives it a child context; this settles when the child's handler is done, or at once
 * when the run is cancelled or times out while it still waits for a slot. @internal
 */
export function createRunChild(queues: SessionQueues<TurnPayload>, isStopping: () => boolean): RunChild {
  return (input) =>
    new Promise<RunChildResult>((resolve, reject) => {
      const onAbort = (): void => reject(input.signal.reason);
      if (input.signal.aborted) {
        onAbort();
        return;
      }
      input.signal.addEventListener('abort', onAbort, { once: true });
      const settle = {
        resolve: (result: RunChildResult) => {
          input.signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error: unknown) => {
          input.signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      try {
        queues.enqueue(
          {
            sessionKey: input.childSessionKey,
            // Queue bookkeeping only: a child turn has no target, and nothing delivers to this one.
            target: {
              channel: 'background',
              accountId: 'default',
              peer: { kind: 'direct', id: input.childSessionKey },
            },
            payload: { kind: 'child', input, ...settle },
            id: input.runId,
            lane: 'background',
          },
          // A child session holds one task; never let `interrupt` or `collect` touch it.
          { mode: 'followup' },
        );
      } catch (error) {
        settle.reject(isStopping() ? new ClawStoppedError() : error);
      }
    });
}
