import { describe, expect, it } from 'vitest';
import { settleWithin, WorkerCallError } from './worker-call';

const never = new Promise<number>(() => {});

describe('settleWithin', () => {
  it('passes an answer through', async () => {
    await expect(
      settleWithin(Promise.resolve(7), 'snapshot', new AbortController().signal, 1000),
    ).resolves.toBe(7);
  });

  it('passes a failure through', async () => {
    await expect(settleWithin(Promise.reject(new Error('boom')), 'snapshot')).rejects.toThrow(
      'boom',
    );
  });

  it('rejects a call that never settles once the worker ends', async () => {
    const ended = new AbortController();
    const call = settleWithin(never, 'snapshot', ended.signal);
    ended.abort();
    const err: unknown = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerCallError);
    expect((err as WorkerCallError).reason).toBe('ended');
  });

  it('rejects at once when the worker has already ended', async () => {
    const ended = new AbortController();
    ended.abort();
    await expect(settleWithin(never, 'snapshot', ended.signal, 60_000)).rejects.toThrow(
      'the worker has ended',
    );
  });

  it('rejects a call that never settles after its timeout', async () => {
    const started = Date.now();
    const err: unknown = await settleWithin(never, 'snapshot', undefined, 30).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkerCallError);
    expect((err as WorkerCallError).reason).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('an answer before the end wins; a later end changes nothing', async () => {
    const ended = new AbortController();
    const call = settleWithin(Promise.resolve('ok'), 'snapshot', ended.signal, 50);
    await expect(call).resolves.toBe('ok');
    ended.abort();
    await new Promise((r) => setTimeout(r, 80)); // the timer was cleared: no late rejection
  });
});
