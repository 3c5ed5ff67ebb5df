import * as Comlink from 'comlink';
import type { RunsStore } from './state/runs.svelte';
import type { RunStatus } from '../workers/protocol';
import type { FaultApi } from '../workers/test-faults';
import type { BackendName, RunConfig } from '../engine/index';
import { diagnosticsOf, lrFinder } from './state/diagnostics.svelte';

/**
 * The browser tests' view into the app, and their fault injection: only in the test build
 * (`npm run build:test`, `vite build --mode test` into dist-test/), which Playwright and the bench
 * serve. The shipped build (dist/) has none of it: scripts/check-production-build.mjs checks.
 */

export type SummaryStatus = RunStatus | 'queued' | 'draft';
/** What the diagnostics hold for a run (browser tests of the LR finder and sharpness). */
export interface DiagnosticsSummary {
  /** Sharpness measurements so far, and how many carry a stability threshold (2/lr for SGD). */
  readonly sharpness: readonly {
    readonly step: number;
    readonly lambdaMax: number;
    readonly threshold: number | null;
  }[];
  readonly lrFinder: {
    readonly running: boolean;
    readonly points: number;
    readonly suggested: number | null;
    readonly wallMs: number | null;
  };
}

/** What the browser tests read from `window.__playground`; kept stable, later features extend it. */
export interface RunSummary {
  readonly id: string;
  readonly status: SummaryStatus;
  readonly label: string;
  readonly color: string;
  readonly hidden: boolean;
  readonly group: string | null;
  readonly parentId: string | null;
  readonly forkStep: number | null;
  /** What went wrong, for a diverged or failed run. */
  readonly failure: string | null;
  readonly failureKind: string | null;
  /** What the run says about itself, e.g. that it moved to another backend after a lost device. */
  readonly notice: string | null;
  /** Points in the train-loss series (what the charts draw). */
  readonly points: number;
  readonly step: number;
  readonly backend: BackendName | null;
  /** Loss on the whole training set at the latest evaluation (NaN before the first). */
  readonly loss: number;
  /** The first evaluated training loss, to compare progress against. */
  readonly firstLoss: number;
  readonly testLoss: number;
  /** Test accuracy at the latest evaluation (NaN for regression). */
  readonly accuracy: number;
  /** How many times the decision boundary has been drawn. */
  readonly boundaryFrames: number;
  readonly optimizer: string;
  /** The settings in force step by step: the first, then one per switch from the step it took effect. */
  readonly history: readonly { readonly fromStep: number; readonly config: RunConfig }[];
  /** For a draft, the id of the run it was made from. */
  readonly baseId: string | null;
  /** Steps at which a hot change (optimizer, batch size) took effect, with its label. */
  readonly switches: readonly { readonly step: number; readonly label: string }[];
  /** Names of the tensors in the per-layer view. */
  readonly layers: readonly string[];
  /** Kinds of the task views received (predictions, confusion, text-samples, expert-load, norm-gap). */
  readonly views: readonly string[];
  /** Weight tensors shown as quantized in the weights view. */
  readonly quantizedTensors: readonly string[];
}

export interface PlaygroundHook {
  runs(): RunSummary[];
  config(): RunConfig;
  /** The message shown to the user, if any (e.g. a bad link). */
  message(): string | null;
  /** The verdict of the paper preset last started from the gallery, once all its runs have ended. */
  verdict(): { preset: string; outcome: string; summary: string } | null;
  /** Ends a run's worker as a crash would, to exercise recovery. */
  crash(id: string): boolean;
  /** Has a run's worker lose its GPU device for real (WebGPU device destroyed, WebGL context lost); false without one. */
  loseDevice(id: string): Promise<boolean>;
  /** Has a run's worker allocate far more than its device holds; false when there is no such run. */
  exhaustMemory(id: string): Promise<boolean>;
  /** The diagnostics of a run; null when there is no such run. */
  diagnostics(id: string): DiagnosticsSummary | null;
}

/** What the hook can do to one run's worker (RunHandle.faults, test build only). */
export interface RunFaults {
  /** Ends the worker as a crash would. */
  crash(): void;
  /** Loses the worker's GPU device for real; false without one. */
  loseDevice(): Promise<boolean>;
  /** Has the worker allocate far more than its device holds. */
  exhaustMemory(): Promise<void>;
}

/**
 * Fault injection on `worker`, through the methods the test build's worker adds to its API
 * (workers/test-faults.ts). `crashed` marks the run failed, as a worker that dies would.
 */
export function runFaults(worker: Worker, crashed: (message: string) => void): RunFaults {
  // A second Comlink endpoint on the same worker: replies carry ids, so it and the run's coexist.
  const remote = Comlink.wrap<FaultApi>(worker);
  return {
    crash() {
      worker.terminate();
      crashed('the training worker stopped');
    },
    loseDevice: () => remote.loseDevice(),
    exhaustMemory: () => remote.exhaustMemory(),
  };
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
  }
}

export function installTestHook(
  store: RunsStore,
  config: () => RunConfig,
  message: () => string | null,
  verdict: () => { preset: string; outcome: string; summary: string } | null,
): void {
  const faultsOf = (id: string) => store.runs.find((r) => r.id === id)?.faults ?? null;
  window.__playground = {
    runs: () =>
      store.runs.map((r) => ({
        id: r.id,
        status: r.status,
        label: store.labelOf(r),
        color: r.color,
        hidden: r.hidden,
        group: r.group ?? null,
        parentId: r.parentId ?? null,
        forkStep: r.forkStep ?? null,
        failure: r.failure?.message ?? null,
        failureKind: r.failure?.kind ?? null,
        notice: r.notice,
        points: r.series.steps.length,
        step: r.step,
        backend: r.backend?.name ?? null,
        loss: r.series.latest(r.series.trainLoss),
        firstLoss: r.series.trainLoss[0] ?? Number.NaN,
        testLoss: r.series.latest(r.series.testLoss),
        accuracy: r.series.latest(r.series.testAccuracy),
        boundaryFrames: r.boundaryFrames,
        optimizer: r.config.optimizer.kind,
        switches: r.switches,
        history: r.history,
        baseId: r.base?.id ?? null,
        layers: r.layers?.names ?? [],
        views: r.views.map((v) => v.kind),
        quantizedTensors: (r.weights?.stats ?? []).filter((w) => w.quantized).map((w) => w.name),
      })),
    config,
    message,
    verdict,
    crash(id) {
      const faults = faultsOf(id);
      faults?.crash();
      return faults !== null;
    },
    async loseDevice(id) {
      const faults = faultsOf(id);
      return faults ? faults.loseDevice() : false;
    },
    diagnostics(id) {
      const run = store.runs.find((r) => r.id === id);
      if (!run) return null;
      const saved = lrFinder.resultFor(run.config);
      return {
        sharpness: diagnosticsOf(run).sharpness.map((p) => ({
          step: p.step,
          lambdaMax: p.lambdaMax,
          threshold: p.threshold,
        })),
        lrFinder: {
          running: lrFinder.running && lrFinder.runId === id,
          points: lrFinder.running ? lrFinder.points.length : (saved?.points.length ?? 0),
          suggested: saved && Number.isFinite(saved.suggested) ? saved.suggested : null,
          wallMs: saved?.wallMs ?? null,
        },
      };
    },
    async exhaustMemory(id) {
      const faults = faultsOf(id);
      if (!faults) return false;
      await faults.exhaustMemory();
      return true;
    },
  };
}
