/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import {
  autoFuses,
  chunkBuffers,
  classifyFault,
  concatChunks,
  type MetricChunk,
  createRun,
  hotFields,
  kernelsFor,
  findDivergence,
  watchDeviceLoss,
  parseDatasetContent,
  parseHotPatch,
  parseRunConfig,
  selectBackend,
  type BackendName,
  type DatasetContent,
  type DeviceLoss,
  type Run,
  type RunSnapshot,
  type WidthEvaluation,
} from '../engine/index';
import { createDiagnostics } from './diagnostics';
import { Paced } from './paced';
import { computeSlots, type SlotRunner } from './compute-slot';
import { faultApi } from './test-faults';
import { APP_EVAL_BUDGET, type RunStatus, type WorkerEvent, type WorkerListener } from './protocol';

/** Trains one run. Thin: wiring, scheduling and transfers; the training logic is in engine/. */

const BOUNDARY_RESOLUTION = 40;
// Side views of the model, paced so they take at most a fifth of the worker's time.
const boundaryPace = new Paced(120);
const weightsPace = new Paced(1000);
const viewsPace = new Paced(500);

let run: Run | null = null;
/** Runs a training chunk in a compute slot, so the page keeps a core (set by `start`). */
let slot: SlotRunner = (job) => job();
/** The width fraction the decision boundary is drawn at (the sorted-training width slider). */
let boundaryWidth = 1;

/** Dataset files are served beside the app (they are precached for offline use). */
async function loadAsset(path: string): Promise<ArrayBuffer> {
  // Not a module import: keep the bundler from globbing the template into the worker chunk.
  const response = await fetch(new URL(/* @vite-ignore */ `../${path}`, import.meta.url));
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}
let runId = '';
let version = 0;
let listener: WorkerListener = () => {};
let status: RunStatus = 'starting';
let loop: Promise<void> | null = null;
let backendName: BackendName | null = null;
/** Set once the device is lost: this worker's tensors are gone, so it reports nothing more. */
let lost: DeviceLoss | null = null;
let stopWatching = () => {};
const LOSS_GRACE_MS = 1000;

function emit(event: WorkerEvent, transfer: Transferable[] = []): void {
  if (lost && event.type !== 'device-lost') return;
  listener(Comlink.transfer(event, transfer));
}

function setStatus(
  next: RunStatus,
  failure?: { kind: 'config' | 'backend' | 'diverged' | 'oom' | 'internal'; message: string },
): void {
  status = next;
  emit({ type: 'status', runId, status, step: run?.step ?? 0, ...(failure ? { failure } : {}) });
}

function sendBoundary(force = false): Promise<void> {
  return boundaryPace.run(async () => {
    const values = run ? await run.predictGrid(BOUNDARY_RESOLUTION, boundaryWidth) : null;
    if (!run || !values) return;
    emit({ type: 'boundary', runId, step: run.step, resolution: BOUNDARY_RESOLUTION, values }, [
      values.buffer as ArrayBuffer,
    ]);
  }, force);
}

/** Weight histograms and the model's size. */
function sendWeights(force = false): Promise<void> {
  return weightsPace.run(async () => {
    if (!run) return;
    const stats = await run.weightStats();
    emit({ type: 'weights', runId, step: run.step, stats, size: run.sizeReport() });
  }, force);
}

/** The task's views (predictions, samples, expert load). */
function sendViews(force = false): Promise<void> {
  return viewsPace.run(async () => {
    if (!run) return;
    const views = await run.views();
    if (views.length > 0) emit({ type: 'views', runId, step: run.step, views });
  }, force);
}

/** The last state known to be finite, kept every few seconds so a diverged run can go back to it. */
let lastFinite: RunSnapshot | null = null;
const finitePace = new Paced(2000, 0.05);

function keepFiniteSnapshot(): Promise<void> {
  return finitePace.run(async () => {
    if (run) lastFinite = await run.snapshot();
  });
}

/**
 * Chunks shorter than this are sent together: a tiny net on the fused path trains a chunk in well
 * under a millisecond, and a message (and a chart update) per chunk would flood the page.
 */
const SEND_EVERY_MS = 50;

/**
 * Trains chunks of `k` steps for up to `windowMs` (at least one chunk) and streams them as one
 * message; returns false when the run must stop.
 */
async function trainChunk(k: number, windowMs = 0): Promise<boolean> {
  if (!run) return false;
  const started = performance.now();
  const chunks: MetricChunk[] = [];
  // A chunk ends where a sharpness point is due, so the point is taken at that step.
  const end = Math.min(run.config.steps, diagnostics.nextDue(run.step) ?? Infinity);
  let divergence: ReturnType<typeof findDivergence>;
  do {
    const next = await run.train(Math.min(k, end - run.step));
    chunks.push(next);
    divergence = findDivergence(next);
  } while (
    !divergence &&
    run.step < end &&
    status === 'running' &&
    performance.now() - started < windowMs
  );
  const chunk = concatChunks(chunks);
  emit({ type: 'metrics', runId, version, chunk }, chunkBuffers(chunk));
  if (divergence) {
    const back = lastFinite
      ? ` You can continue from step ${lastFinite.step}, the last finite state, with a smaller learning rate.`
      : '';
    setStatus('diverged', {
      kind: 'diverged',
      message: `At step ${divergence.step} ${divergence.cause}.${back}`,
    });
    return false;
  }
  await keepFiniteSnapshot();
  await diagnostics.afterChunk();
  await sendBoundary();
  await sendWeights();
  await sendViews();
  return true;
}

async function trainLoop(): Promise<void> {
  try {
    while (run && status === 'running') {
      const remaining = run.config.steps - run.step;
      if (remaining <= 0) {
        await sendBoundary(true);
        await sendViews(true);
        setStatus('finished');
        return;
      }
      const k = Math.min(run.config.metricsEvery, remaining);
      // Waiting for a compute slot can outlast a pause: a chunk starts only if the run still trains.
      if (!(await slot(async () => status !== 'running' || trainChunk(k, SEND_EVERY_MS)))) return;
      // Let pause/reconfigure messages in between chunks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (err) {
    await fail(err);
  } finally {
    loop = null;
  }
}

/**
 * Reports an error as the run's failure, unless the GPU device was lost: reads then fail before
 * the loss itself is reported, so a GPU backend's error waits a moment for it.
 */
async function fail(err: unknown): Promise<void> {
  if (backendName === 'webgpu' || backendName === 'webgl')
    await new Promise((resolve) => setTimeout(resolve, LOSS_GRACE_MS));
  if (!lost) setStatus('failed', classifyFault(err, backendName));
}

/**
 * The device went away (driver reset, GPU process crash, another tab's demands): stop, and hand the
 * app the last finite snapshot (plain data, it outlives the device) to go on elsewhere.
 */
function onDeviceLost(loss: DeviceLoss): void {
  const step = run?.step ?? 0;
  status = 'failed';
  emit({ type: 'device-lost', runId, loss, step, snapshot: lastFinite });
  lost = loss;
}

// ---- Diagnostics (LR finder, sharpness): their own module; the loop calls afterChunk. ----
const diagnostics = createDiagnostics(
  () => run,
  { loadAsset },
  () => loop !== null,
);

const api = {
  ...diagnostics.api,
  /**
   * Validates the config, picks a backend, builds the run and (unless `paused`) starts training.
   * With a snapshot (a fork, a saved run) the run continues from it, with this config's hot fields.
   * `dataset` is the content of the user data the config names (checked here and by the task).
   */
  async start(
    id: string,
    config: unknown,
    onEvent: WorkerListener,
    options: {
      paused?: boolean;
      snapshot?: RunSnapshot;
      /** A derived run (config.init): the parent's state its weights (and teacher) come from. */
      parent?: RunSnapshot;
      measured?: BackendName;
      /** How many runs of this origin may compute at once (workers/compute-slot.ts). */
      computeSlots?: number;
      /** Evaluate every chunk (a preset's arm) instead of within `APP_EVAL_BUDGET`. */
      evaluateEveryChunk?: boolean;
      dataset?: DatasetContent;
    } = {},
  ): Promise<void> {
    runId = id;
    listener = onEvent;
    slot = computeSlots(options.computeSlots, id);
    const parsed = parseRunConfig(config);
    if (!parsed.ok) {
      setStatus('failed', { kind: 'config', message: parsed.message });
      return;
    }
    const content = options.dataset === undefined ? null : parseDatasetContent(options.dataset);
    if (content && !content.ok) {
      setStatus('failed', { kind: 'config', message: content.message });
      return;
    }
    const dataset = content?.ok ? { dataset: content.value } : {};
    emit({ type: 'preparing', runId, phase: 'backend' });
    let backend;
    try {
      // `auto` with a backend another run of this shape already measured fastest: no second probe
      // (a run the fused path takes needs none).
      const measured =
        parsed.value.backend === 'auto' && !autoFuses(parsed.value) ? options.measured : undefined;
      backend = await selectBackend(
        measured ?? parsed.value.backend,
        kernelsFor(parsed.value.model),
        parsed.value,
      );
      if (measured && backend.name === measured)
        backend = {
          ...backend,
          reason: `auto: ${measured}, measured fastest for this model by an earlier run on this page`,
        };
    } catch (err) {
      setStatus('failed', {
        kind: 'backend',
        message: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    backendName = backend.name;
    stopWatching = watchDeviceLoss(onDeviceLost);
    emit({ type: 'preparing', runId, phase: 'build' });
    try {
      run = await createRun(parsed.value, {
        loadAsset,
        ...dataset,
        fused: backend.fused === true,
        evalBudget: options.evaluateEveryChunk ? Number.POSITIVE_INFINITY : APP_EVAL_BUDGET,
        ...(options.parent ? { parent: options.parent } : {}),
      });
      if (options.snapshot) {
        run.restore(options.snapshot);
        run.reconfigure(hotFields(parsed.value));
      }
      // The loaded data can still rule the fused path out (a wide CSV): the badge says so.
      const path = run.trainingPath();
      if (backend.fused && !path.fused)
        backend = { ...backend, fused: false, reason: `${backend.reason}; but ${path.reason}` };
    } catch (err) {
      await fail(err);
      return;
    }
    lastFinite = await run.snapshot(); // the starting state is finite: a run that diverges at once can go back to it
    emit({
      type: 'ready',
      runId,
      backend,
      paramCount: run.paramCount,
      trainCount: run.trainCount,
      task: run.task,
    });
    emit({ type: 'preparing', runId, phase: 'views' });
    await sendBoundary(true);
    await sendWeights(true);
    await sendViews(true);
    if (options.paused) setStatus('paused');
    else api.resume();
  },
  pause(): void {
    if (status !== 'running') return;
    // The loop stops after the chunk in flight; the report waits for that chunk's metrics, so
    // "paused" says training has stopped, at the step it stopped at.
    status = 'paused';
    const reportWhenStopped = () => {
      if (status === 'paused') setStatus('paused');
    };
    if (loop) void loop.then(reportWhenStopped);
    else reportWhenStopped();
  },
  resume(): void {
    if (!run || (status !== 'paused' && status !== 'starting')) return;
    setStatus('running');
    loop ??= trainLoop();
  },
  /** Trains exactly `k` steps while paused (the Step button). */
  async step(k: number): Promise<void> {
    if (loop) await loop; // a chunk still in flight after a pause ends first
    if (!run || status !== 'paused') return;
    try {
      const n = Math.max(1, Math.min(k, run.config.steps - run.step));
      if (run.step < run.config.steps && (await trainChunk(n))) {
        await sendBoundary(true);
        await sendViews(true);
      }
      emit({ type: 'status', runId, status, step: run.step });
    } catch (err) {
      await fail(err);
    }
  },
  /** Applies hot fields; the version orders changes so stale ones are dropped by the app. */
  reconfigure(
    patch: unknown,
    nextVersion: number,
  ): { ok: true; step: number } | { ok: false; message: string } {
    if (!run) return { ok: false, message: 'the run has not started' };
    const parsed = parseHotPatch(patch);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    try {
      run.reconfigure(parsed.value);
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    weightsPace.reset(); // show the effect of a quantization change at the next chunk
    version = nextVersion;
    if (status === 'finished' && run.step < run.config.steps) setStatus('paused');
    return { ok: true, step: run.step };
  },
  /** Draws the decision boundary of the MLP truncated to `fraction` of each hidden layer. */
  async setBoundaryWidth(fraction: number): Promise<void> {
    boundaryWidth = Math.min(1, Math.max(0.01, fraction));
    await sendBoundary(true);
  },
  /** Test loss and accuracy of the MLP truncated to each fraction (null before it is built). */
  async evaluateWidths(fractions: readonly number[]): Promise<WidthEvaluation | null> {
    return run ? run.evaluateWidths(fractions) : null;
  },
  async snapshot(): Promise<RunSnapshot | null> {
    return run ? run.snapshot() : null;
  },
  /** The last state that was finite (for a diverged run: from before it diverged). */
  lastFiniteSnapshot(): RunSnapshot | null {
    return lastFinite;
  },
  async restore(snapshot: RunSnapshot): Promise<void> {
    if (!run) return;
    api.pause();
    await loop;
    run.restore(snapshot);
    await sendBoundary(true);
  },
  dispose(): void {
    stopWatching();
    status = 'paused';
    run?.dispose();
    run = null;
  },
};

export type TrainerApi = typeof api;
// The test build adds fault injection (workers/test-faults.ts); the shipped build leaves it out.
const host = { pause: () => api.pause(), stopped: async () => void (await loop), fail };
Comlink.expose(import.meta.env.MODE === 'test' ? { ...api, ...faultApi(host) } : api);
