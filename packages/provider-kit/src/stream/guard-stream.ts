import { abortedError, toModelError } from '../errors/to-model-error.js';
import type { StreamPart } from '../spec/stream.js';

/** Options of {@link guardStream}. */
export interface GuardStreamOptions {
  /** Provider name, for errors. */
  readonly provider: string;
  /** Model id, for errors. */
  readonly modelId: string;
  /** The caller's signal: when it fires, the stream ends at once with an `aborted` error part. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Wrap a provider's raw part generator so that it keeps the `LanguageModel.stream` contract
 * whatever happens inside it:
 * - anything thrown becomes a final `error` part (classified by `toModelError`);
 * - `afterFirstPart` is set on errors that follow other parts;
 * - an abort ends the stream promptly with an `aborted` error, even while the source is blocked
 *   on the network (the source is then closed in the background);
 * - a source that ends without `finish` or `error` gets a `transport` error ("ended early");
 * - nothing the source yields after its `finish`/`error` is passed on.
 *
 * Providers written on top of it only have to translate vendor events into parts.
 */
export async function* guardStream(
  source: (signal: AbortSignal) => AsyncIterable<StreamPart>,
  options: GuardStreamOptions,
): AsyncGenerator<StreamPart, void, undefined> {
  const context = { provider: options.provider, modelId: options.modelId };
  const outer = options.signal;
  if (outer?.aborted) {
    yield { type: 'error', error: abortedError({ ...context, reason: outer.reason }) };
    return;
  }
  // An inner controller lets us cancel the source when the consumer stops early, too.
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const aborted = new Promise<'aborted'>((resolve) => {
    if (controller.signal.aborted) resolve('aborted');
    controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  let emitted = 0;
  let iterator: AsyncIterator<StreamPart> | undefined;
  let done = false;
  try {
    iterator = source(controller.signal)[Symbol.asyncIterator]();
    while (true) {
      let next: IteratorResult<StreamPart> | 'aborted';
      try {
        const pending = iterator.next();
        // If the abort wins the race, a later rejection of `pending` must not go unhandled.
        pending.catch(() => {});
        next = await Promise.race([pending, aborted]);
      } catch (error) {
        done = true;
        if (controller.signal.aborted) {
          yield {
            type: 'error',
            error: abortedError({ ...context, afterFirstPart: emitted > 0, reason: outer?.reason }),
          };
        } else {
          yield { type: 'error', error: toModelError(error, { ...context, afterFirstPart: emitted > 0 }) };
        }
        return;
      }
      if (next === 'aborted') {
        yield {
          type: 'error',
          error: abortedError({ ...context, afterFirstPart: emitted > 0, reason: outer?.reason }),
        };
        return;
      }
      if (next.done) {
        done = true;
        if (controller.signal.aborted) {
          // Some sources (the Anthropic SDK's stream) end quietly when their request is aborted.
          yield {
            type: 'error',
            error: abortedError({ ...context, afterFirstPart: emitted > 0, reason: outer?.reason }),
          };
          return;
        }
        yield {
          type: 'error',
          error: toModelError(new Error('the response stream ended before the model finished'), {
            ...context,
            afterFirstPart: emitted > 0,
          }),
        };
        return;
      }
      const part = next.value;
      if (part.type === 'error') {
        yield { type: 'error', error: emitted > 0 ? part.error.markAfterFirstPart() : part.error };
        return;
      }
      emitted += 1;
      yield part;
      if (part.type === 'finish') return;
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort();
    if (iterator && !done) {
      // Close the source without waiting: it may be blocked on a read that only the abort above unblocks.
      iterator.return?.()?.then(undefined, () => {});
    }
  }
}
