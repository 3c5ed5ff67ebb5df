import { exhaustDeviceMemory, loseDevice } from '../engine/testing';

/**
 * Fault injection for the browser tests, added to the worker's API only in the test build
 * (`vite build --mode test`, see trainer.worker.ts): the shipped worker has none of it.
 */
export interface FaultHost {
  pause(): void;
  /** Resolves once the training loop has stopped. */
  stopped(): Promise<void>;
  /** Reports an error as the run's failure, as the training loop does. */
  fail(err: unknown): Promise<void>;
}

export function faultApi(host: FaultHost) {
  return {
    /** Loses this worker's GPU device for real; false without one. */
    loseDevice(): boolean {
      return loseDevice();
    },
    /** Allocates far more than the device holds, as a run too big for it would. */
    async exhaustMemory(): Promise<void> {
      host.pause();
      await host.stopped();
      try {
        await exhaustDeviceMemory();
      } catch (err) {
        await host.fail(err);
      }
    },
  };
}

export type FaultApi = ReturnType<typeof faultApi>;
