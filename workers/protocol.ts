import type { BackendReport, MetricChunk, SizeReport, TaskView, WeightStats } from '../engine/index';

/** What a worker reports about its run. Failures travel as data, never as thrown errors. */
export type RunStatus = 'starting' | 'running' | 'paused' | 'finished' | 'diverged' | 'failed';

export interface RunFailure {
  readonly kind: 'config' | 'backend' | 'diverged' | 'oom' | 'internal' | 'crashed';
  readonly message: string;
}

export type WorkerEvent =
  | { readonly type: 'ready'; readonly runId: string; readonly backend: BackendReport; readonly paramCount: number; readonly task: 'classification' | 'regression' | 'language' }
  | { readonly type: 'metrics'; readonly runId: string; readonly version: number; readonly chunk: MetricChunk }
  | { readonly type: 'boundary'; readonly runId: string; readonly step: number; readonly resolution: number; readonly values: Float32Array }
  | { readonly type: 'weights'; readonly runId: string; readonly step: number; readonly stats: readonly WeightStats[]; readonly size: SizeReport }
  | { readonly type: 'views'; readonly runId: string; readonly step: number; readonly views: readonly TaskView[] }
  | { readonly type: 'status'; readonly runId: string; readonly status: RunStatus; readonly step: number; readonly failure?: RunFailure };

export type WorkerListener = (event: WorkerEvent) => void;
