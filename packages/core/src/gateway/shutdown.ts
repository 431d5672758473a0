import type { ChannelAdapter } from '@claw/channel-kit';
import type { BackgroundRuns } from '../background/types.js';
import type { ReplyDispatcher } from '../dispatch/types.js';
import type { EventSink } from '../events/types.js';
import type { SessionQueues } from '../queue/types.js';
import type { ClawStores } from '../stores/types.js';
import { ClawStoppedError } from './errors.js';
import type { ClawLogger } from './logger.js';
import type { TurnPayload } from './payload.js';
import type { DeferredTurn } from './pipeline.js';
import type { ClawStopReport, UnprocessedMessage } from './types.js';

/** What stopping needs from the gateway. @internal */
export interface ShutdownDeps {
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  readonly queues: SessionQueues<TurnPayload>;
  readonly background: Pick<BackgroundRuns, 'stop'>;
  readonly dispatcher: Pick<ReplyDispatcher, 'idle'>;
  readonly stores: Pick<ClawStores, 'dedupe'>;
  /** Sequential broadcast turns not yet queued. */
  readonly deferred: Set<DeferredTurn>;
  /** Aborts the adapters' `start` context. */
  readonly startSignal: AbortController;
  /** Abandons sends still in flight (they stay pending in the outbox). */
  readonly deliveryStop: AbortController;
  readonly emit: EventSink;
  readonly logger: ClawLogger;
}

/**
 * Stop the gateway (the caller has already refused new messages): stop the adapters, let running
 * turns and background runs finish for up to `timeoutMs` then abort them, abandon the sends still
 * in flight (kept pending for `recover()`), and report — and free for a redelivery — every queued
 * message that never ran. @internal
 */
export async function shutdown(deps: ShutdownDeps, timeoutMs: number): Promise<ClawStopReport> {
  const { queues, emit } = deps;
  deps.startSignal.abort(new ClawStoppedError());
  await Promise.all(
    [...deps.channels.values()].map(async (adapter) => {
      try {
        await adapter.stop?.();
      } catch (error) {
        emit('error', { error, source: 'channel' });
      }
    }),
  );
  // A sequential broadcast turn that never got queued: reported, but its claim is kept (the
  // agents before it did answer the message, a redelivery must not run them again).
  const unprocessed: (UnprocessedMessage & { readonly dedupeKey?: string })[] = [...deps.deferred].map(
    ({ dedupeKey: _kept, ...message }) => message,
  );
  deps.deferred.clear();
  const backgroundStop = deps.background.stop({ timeoutMs });
  const report = await queues.stop({ timeoutMs });
  for (const item of report.pending) {
    const payload = item.payload;
    if (payload.kind === 'child') {
      payload.reject(
        new ClawStoppedError(`The gateway stopped before background run ${payload.input.runId} started.`),
      );
    } else {
      unprocessed.push({
        message: payload.message,
        sessionKey: item.sessionKey,
        agentId: payload.agentId,
        turnId: item.id,
        dedupeKey: payload.dedupeKey,
      });
    }
  }
  await backgroundStop.catch((error: unknown) => emit('error', { error, source: 'background' }));
  deps.deliveryStop.abort(new ClawStoppedError());
  await deps.dispatcher.idle();

  const released = new Set<string>();
  const reported: UnprocessedMessage[] = [];
  for (const { dedupeKey, ...message } of unprocessed) {
    // Never ran: forget its claim, so the platform's redelivery after a restart runs it.
    if (dedupeKey !== undefined && !released.has(dedupeKey)) {
      released.add(dedupeKey);
      await deps.stores.dedupe
        .release(dedupeKey)
        .catch((error: unknown) => emit('error', { error, source: 'store' }));
    }
    reported.push(message);
    emit('message:unprocessed', {
      sessionKey: message.sessionKey,
      agentId: message.agentId,
      turnId: message.turnId,
      messageId: message.message.messageId,
      message: message.message,
      reason: 'stopped',
    });
  }
  deps.logger.info('gateway stopped', { unprocessed: reported.length, aborted: report.aborted.length });
  return { unprocessed: reported, aborted: report.aborted };
}
