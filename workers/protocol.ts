import type {
  BackendReport,
  DeviceLoss,
  MetricChunk,
  RunSnapshot,
  SizeReport,
  TaskView,
  WeightStats,
} from '../engine/index';

/**
 * The share of its training time an app run may spend evaluating (engine/eval-budget.ts): at most
 * ~10%, so evaluation never slows a run the user watches by more than that. A gallery preset's arm
 * evaluates every chunk instead (`evaluateEveryChunk`), as the claims runner does: its verdict
 * reads the metrics there.
 */
export const APP_EVAL_BUDGET = 0.1;

/** What a worker reports about its run. Failures travel as data, never as thrown errors. */
export type RunStatus = 'starting' | 'running' | 'paused' | 'finished' | 'diverged' | 'failed';

export interface RunFailure {
  readonly kind: 'config' | 'backend' | 'diverged' | 'oom' | 'internal' | 'crashed' | 'device-lost';
  readonly message: string;
}

/** What a starting worker is doing, in order: choosing (and maybe timing) a backend, building the run, first views. */
export type PreparePhase = 'backend' | 'build' | 'views';

export type WorkerEvent =
  | { readonly type: 'preparing'; readonly runId: string; readonly phase: PreparePhase }
  | {
      readonly type: 'ready';
      readonly runId: string;
      readonly backend: BackendReport;
      readonly paramCount: number;
      readonly trainCount: number;
      readonly task: 'classification' | 'regression' | 'language';
    }
  | {
      readonly type: 'metrics';
      readonly runId: string;
      readonly version: number;
      readonly chunk: MetricChunk;
    }
  | {
      readonly type: 'boundary';
      readonly runId: string;
      readonly step: number;
      readonly resolution: number;
      readonly values: Float32Array;
    }
  | {
      readonly type: 'weights';
      readonly runId: string;
      readonly step: number;
      readonly stats: readonly WeightStats[];
      readonly size: SizeReport;
    }
  | {
      readonly type: 'views';
      readonly runId: string;
      readonly step: number;
      readonly views: readonly TaskView[];
    }
  | {
      readonly type: 'status';
      readonly runId: string;
      readonly status: RunStatus;
      readonly step: number;
      readonly failure?: RunFailure;
    }
  /** The GPU device or context is gone; `snapshot` is the last finite state, to go on from on another backend. */
  | {
      readonly type: 'device-lost';
      readonly runId: string;
      readonly loss: DeviceLoss;
      readonly step: number;
      readonly snapshot: RunSnapshot | null;
    };

export type WorkerListener = (event: WorkerEvent) => void;
