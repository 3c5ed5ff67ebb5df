/** Why a call to a worker gave up: the worker ended, or it did not answer in time. */
export class WorkerCallError extends Error {
  constructor(
    message: string,
    readonly reason: 'ended' | 'timeout',
  ) {
    super(message);
    this.name = 'WorkerCallError';
  }
}

/**
 * Settles `call` as it settles, or rejects with a WorkerCallError once `ended` aborts (the worker
 * was terminated or crashed: a Comlink call to it would never settle) or after `timeoutMs`
 * (omitted: no time limit). The one guard for every call to a worker that may be dead.
 */
export function settleWithin<T>(
  call: Promise<T>,
  what: string,
  ended?: AbortSignal,
  timeoutMs?: number,
): Promise<T> {
  if (ended?.aborted) {
    call.catch(() => {});
    return Promise.reject(new WorkerCallError(`${what}: the worker has ended`, 'ended'));
  }
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onEnd = (): void => {
      done();
      reject(new WorkerCallError(`${what}: the worker has ended`, 'ended'));
    };
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      ended?.removeEventListener('abort', onEnd);
    };
    ended?.addEventListener('abort', onEnd, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        done();
        reject(new WorkerCallError(`${what}: no answer within ${timeoutMs} ms`, 'timeout'));
      }, timeoutMs);
    }
    call.then(
      (value) => {
        done();
        resolve(value);
      },
      (err: unknown) => {
        done();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
