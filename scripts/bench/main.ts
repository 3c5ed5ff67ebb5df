import * as Comlink from 'comlink';
import type { BenchWorkerApi, MeasureRequest, MeasureResult } from './bench.worker';
import type { WorkloadId } from './workloads';
import type { BackendChoice } from '../../engine/tf-free';

/** The page scripts/bench.mjs drives: each call gets a fresh worker, so backends never share one. */
async function withWorker<T>(fn: (api: Comlink.Remote<BenchWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await fn(Comlink.wrap<BenchWorkerApi>(worker));
  } finally {
    worker.terminate();
  }
}

const bench = {
  measure: (req: MeasureRequest): Promise<MeasureResult> => withWorker((api) => api.measure(req)),
  choose: (workload: WorkloadId) => withWorker((api) => api.choose(workload)),
  profile: (backend: Exclude<BackendChoice, 'auto'>, workload: WorkloadId, k: number) =>
    withWorker((api) => api.profile(backend, workload, k)),
};

declare global {
  interface Window {
    __bench?: typeof bench;
  }
}
window.__bench = bench;
document.body.dataset.ready = 'true';
