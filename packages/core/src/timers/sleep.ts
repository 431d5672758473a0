/**
 * `setTimeout` as a promise that rejects with `signal.reason` when `signal` aborts (at once if it
 * already has). The timer is unref'd, so a pending wait never keeps the process alive. The default
 * `sleep` of every part that waits (send retries, block streaming, announce retries, the stop
 * timeout); tests inject their own.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
