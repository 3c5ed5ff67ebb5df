import * as Comlink from 'comlink';
import type {
  BackendName,
  BackendReport,
  DeviceLoss,
  HotPatch,
  LayerStats,
  RunConfig,
  RunSnapshot,
  SizeReport,
  TaskView,
  WeightStats,
  WidthEvaluation,
} from '../../engine/index';
import type { TrainerApi } from '../../workers/trainer.worker';
import type { PreparePhase, RunFailure, RunStatus, WorkerEvent } from '../../workers/protocol';
import { runFaults, type RunFaults } from '../test-hook';
import { startHistory, switchAt, type ConfigHistory } from './config-history';
import { DRAFT, INITIAL, playable, transition, wantsToRun } from './lifecycle';
import type { Lifecycle, LifecycleEvent } from './lifecycle';
import { datasets } from './datasets';
import { computeSlots } from './cores';
import type { SharpnessPoint, SharpnessSettings } from '../../workers/diagnostics';
import type {
  BatchHessianPoint,
  LrFinderOptions,
  LrFinderPoint,
  LrFinderResult,
  SharpnessMethod,
} from '../../engine/index';
import { MetricSeries } from './metric-series';
import { settleWithin } from './worker-call';

/** How long a snapshot or a hot change may take before the worker counts as unresponsive. */
const ANSWER_WITHIN_MS = 30_000;

/**
 * The backend `auto` measured fastest, by the shape the probe times (model, batch, data), for this
 * page: later runs of the same shape start on it without probing again (a probe costs about 1 s).
 */
const measuredBackends = new Map<string, BackendName>();
const probeKey = (c: RunConfig): string => JSON.stringify([c.model, c.batchSize, c.data.kind]);

/** A change applied while the run trained: drawn as a marker on the charts. */
export interface SwitchMark {
  /** The last step before the change took effect. */
  readonly step: number;
  readonly label: string;
}

export interface Boundary {
  readonly step: number;
  readonly resolution: number;
  readonly values: Float32Array;
}

export interface RunOrigin {
  readonly id?: string;
  readonly color: string;
  /** Runs started together with different seeds share a group. */
  readonly group?: string;
  readonly parentId?: string;
  readonly forkStep?: number;
  /** Start from this state (a fork, a saved run) instead of fresh weights. */
  readonly snapshot?: RunSnapshot;
  /**
   * A derived run (pruned, fine-tuned; `config.init`): the parent's state its weights come from
   * and, when it distils, its frozen teacher.
   */
  readonly parentSnapshot?: RunSnapshot;
  /** The parent's curves, drawn beside a derived run's own as a reference. */
  readonly reference?: { readonly label: string; readonly series: MetricSeries };
  /** Metrics recorded before this handle existed (a fork's parent, a saved run). */
  readonly series?: MetricSeries;
  readonly switches?: readonly SwitchMark[];
  readonly hidden?: boolean;
  /** The run moved here from a backend whose device was lost. */
  readonly moved?: BackendMove;
  /** Settings in force step by step (a fork's or a saved run's); default: `config` from its start. */
  readonly history?: ConfigHistory;
  /** A draft: editable, with no worker until Play. */
  readonly draft?: boolean;
  /** A gallery preset's arm: evaluated at every chunk, since its verdict reads every one. */
  readonly evaluateEveryChunk?: boolean;
  /** The run a draft was made from ("new run from this one"), for the diff it shows. */
  readonly base?: DraftBase;
}

/** What a draft was made from: the run's id and the settings it had. */
export interface DraftBase {
  readonly id: string;
  readonly config: RunConfig;
}

/** A move to another backend after the device was lost: said on the run. */
export interface BackendMove {
  /** What was lost, e.g. "The WebGPU device was lost". */
  readonly message: string;
  readonly lostAtStep: number;
  readonly fromStep: number;
  readonly to: BackendName;
}

/** The worker's report of a lost device, with the state to go on from. */
export interface LostDevice {
  readonly loss: DeviceLoss;
  readonly step: number;
  readonly snapshot: RunSnapshot | null;
  /** Whether the run was training (or about to) when it happened. */
  readonly wasRunning: boolean;
}

let nextId = 1;

/** One run and its worker. Fields change only through worker events and the methods below. */
export class RunHandle {
  readonly id: string;
  readonly color: string;
  readonly group: string | undefined;
  readonly parentId: string | undefined;
  readonly forkStep: number | undefined;
  readonly series: MetricSeries;
  readonly parentSnapshot: RunSnapshot | undefined;
  readonly reference: RunOrigin['reference'];
  readonly createdAt = Date.now();
  #config: RunConfig;
  #history: ConfigHistory;
  readonly base: DraftBase | undefined;
  #snapshot: RunSnapshot | undefined;
  readonly #evaluateEveryChunk: boolean;
  #preparingSince = $state<number | null>(null);
  #phase = $state<PreparePhase | null>(null);
  /** Where it is in its lifecycle (app/state/lifecycle.ts): changed only by `#apply`. */
  #lifecycle = $state.raw<Lifecycle>(INITIAL);
  #step = $state(0);
  #backend = $state.raw<BackendReport | null>(null);
  #paramCount = $state<number | null>(null);
  #trainCount = $state<number | null>(null);
  #failure = $state.raw<RunFailure | null>(null);
  #boundary = $state.raw<Boundary | null>(null);
  #revision = $state(0);
  #layers = $state.raw<LayerStats | null>(null);
  #widths = $state.raw<readonly WidthEvaluation[]>([]);
  #switches = $state.raw<readonly SwitchMark[]>([]);
  #hidden = $state(false);
  #views = $state.raw<readonly TaskView[]>([]);
  #weights = $state.raw<{ step: number; stats: readonly WeightStats[]; size: SizeReport } | null>(
    null,
  );
  #boundaryFrames = 0;
  #lastSnapshot: RunSnapshot | null = null;
  #lostDevice = $state.raw<LostDevice | null>(null);
  readonly moved: BackendMove | undefined;
  #version = 0;
  #startedAt = performance.now();
  #worker: Worker | null = null;
  #api: Comlink.Remote<TrainerApi> | null = null;
  #disposed = false;
  /** Aborted when the worker ends (disposed, crashed): pending and later calls to it reject. */
  #ended = new AbortController();
  #onStatus: (run: RunHandle) => void;
  #faults: RunFaults | null = null;

  constructor(config: RunConfig, origin: RunOrigin, onStatus: (run: RunHandle) => void) {
    this.id = origin.id ?? `run-${Date.now().toString(36)}-${nextId++}`;
    this.color = origin.color;
    this.group = origin.group;
    this.parentId = origin.parentId;
    this.forkStep = origin.forkStep;
    this.series = origin.series ?? new MetricSeries();
    this.parentSnapshot = origin.parentSnapshot;
    this.reference = origin.reference;
    this.#evaluateEveryChunk = origin.evaluateEveryChunk === true;
    this.#config = $state.raw(config);
    this.#history = $state.raw(origin.history ?? startHistory(config, origin.snapshot?.step ?? 0));
    this.base = origin.base;
    this.#snapshot = origin.snapshot;
    this.#switches = origin.switches ?? [];
    this.#step = origin.snapshot?.step ?? 0;
    this.#hidden = origin.hidden ?? false;
    // Wall time continues from where a restored or forked history ends.
    this.#startedAt =
      performance.now() - (this.series.wallTime[this.series.wallTime.length - 1] ?? 0);
    this.#onStatus = onStatus;
    this.#lastSnapshot = origin.snapshot ?? null;
    this.moved = origin.moved;
    if (origin.draft) this.#lifecycle = DRAFT;
    else this.#launch();
  }

  /** Creates the worker and has it build the run (backend, model, data), paused. */
  #launch(): void {
    const config = this.#config;
    const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), {
      type: 'module',
      name: this.id,
    });
    worker.addEventListener('error', (e) =>
      this.#fail(`the training worker crashed: ${e.message || 'unknown error'}`),
    );
    this.#worker = worker;
    const api = Comlink.wrap<TrainerApi>(worker);
    this.#api = api;
    this.#faults = import.meta.env.MODE === 'test' ? runFaults(worker, (m) => this.#fail(m)) : null;
    this.#preparingSince = Date.now();
    const measured = config.backend === 'auto' ? measuredBackends.get(probeKey(config)) : undefined;
    const snapshot = this.#snapshot;
    const options = {
      paused: true,
      ...(snapshot ? { snapshot } : {}),
      ...(this.parentSnapshot ? { parent: this.parentSnapshot } : {}),
      ...(measured ? { measured } : {}),
      computeSlots: computeSlots(),
      ...(this.#evaluateEveryChunk ? { evaluateEveryChunk: true } : {}),
    };
    // The user's text or CSV travels beside the config (the config names it by id).
    void datasets
      .contentFor(config.data)
      .then((dataset) =>
        api.start(
          this.id,
          config,
          Comlink.proxy((event: WorkerEvent) => this.#onEvent(event)),
          { ...options, ...(dataset ? { dataset } : {}) },
        ),
      )
      .catch((err: unknown) => this.#fail(String(err)));
  }

  /**
   * Fault injection on this run's worker, for the browser tests' hook: only in the test build
   * (`vite build --mode test`); null in the shipped one and for a draft, which has no worker.
   */
  get faults(): RunFaults | null {
    return this.#faults;
  }

  /** The settings in force step by step, first settings first. */
  get history(): ConfigHistory {
    return this.#history;
  }

  /** Whether it is a draft: not begun, its settings still editable. */
  get isDraft(): boolean {
    return this.#lifecycle.kind === 'draft';
  }

  /** Since when (ms since the epoch) its worker has been building the run; null once ready. */
  get preparingSince(): number | null {
    return this.#preparingSince;
  }

  /** What its worker is doing while it builds the run; null once ready. */
  get phase(): PreparePhase | null {
    return this.#preparingSince === null ? null : this.#phase;
  }

  /** Changes a draft's settings; a run that has begun keeps its own (returns false). */
  editDraft(config: RunConfig): boolean {
    if (!this.isDraft) return false;
    this.#config = config;
    this.#history = startHistory(config);
    return true;
  }

  get config(): RunConfig {
    return this.#config;
  }
  get status(): RunStatus | 'queued' | 'draft' {
    return this.#lifecycle.kind;
  }
  get lifecycle(): Lifecycle {
    return this.#lifecycle;
  }
  get step(): number {
    return this.#step;
  }
  get backend(): BackendReport | null {
    return this.#backend;
  }
  get paramCount(): number | null {
    return this.#paramCount;
  }
  /** Training examples in one epoch, once the worker has built the run. */
  get trainCount(): number | null {
    return this.#trainCount;
  }
  get failure(): RunFailure | null {
    return this.#failure;
  }
  get boundary(): Boundary | null {
    return this.#boundary;
  }
  /** Per-parameter internals at the latest chunk. */
  get layers(): LayerStats | null {
    return this.#layers;
  }
  /** Sorted training: the test split at every width, one entry per evaluation (not saved). */
  get widths(): readonly WidthEvaluation[] {
    return this.#widths;
  }
  get switches(): readonly SwitchMark[] {
    return this.#switches;
  }
  /** The task's views (predictions, confusion, text samples, expert load, norm gap), twice a second. */
  get views(): readonly TaskView[] {
    return this.#views;
  }
  /** Weight histograms, zeros, quantization error and model size, about once a second. */
  get weights(): { step: number; stats: readonly WeightStats[]; size: SizeReport } | null {
    return this.#weights;
  }
  get hidden(): boolean {
    return this.#hidden;
  }
  set hidden(value: boolean) {
    this.#hidden = value;
  }
  /** Bumped whenever `series` grows; read it to re-render charts. */
  get revision(): number {
    return this.#revision;
  }
  /** How many times the view has drawn this run's decision boundary. */
  get boundaryFrames(): number {
    return this.#boundaryFrames;
  }
  /** Whether it trains, waits to, or was asked to as soon as its worker is ready. */
  get wantsToRun(): boolean {
    return wantsToRun(this.#lifecycle);
  }
  /** Whether Play can start it: ready and not at its end. */
  get playable(): boolean {
    return playable(this.#lifecycle);
  }

  noteBoundaryDrawn(): void {
    this.#boundaryFrames++;
  }

  /**
   * Trains, or (with no slot free, as RunsStore decides) waits in the queue; while the worker is
   * still starting, either happens once it is ready.
   */
  play(slotFree = true): void {
    this.#apply({ type: 'play', slotFree });
  }
  pause(): void {
    this.#apply({ type: 'pause' });
  }
  stepOnce(k: number): void {
    void this.#api?.step(k);
  }
  /**
   * The whole state (params, optimizer state, rng, data cursor, step), for a fork or for saving.
   * The latest one is also kept here, so a run whose worker dies can restart from it.
   */
  async snapshot(): Promise<RunSnapshot | null> {
    if (!this.#api) return null;
    const snapshot = await this.#call(this.#api.snapshot(), 'snapshot', ANSWER_WITHIN_MS);
    if (snapshot) this.#lastSnapshot = snapshot;
    return snapshot;
  }

  /** The newest snapshot this handle has seen (from saving, forking or the start). */
  get lastSnapshot(): RunSnapshot | null {
    return this.#lastSnapshot;
  }

  /** Set when the worker's GPU device (or WebGL context) was lost: the store moves the run to another backend. */
  get lostDevice(): LostDevice | null {
    return this.#lostDevice;
  }

  /** Said on a run that moved to another backend, e.g. "The WebGPU device was lost at step 412; moved to webgl from step 380". */
  get notice(): string | null {
    const m = this.moved;
    if (!m) return null;
    return `${m.message} at step ${m.lostAtStep}; moved to ${this.#backend?.name ?? m.to} from step ${m.fromStep}.`;
  }

  /** For a diverged run: its last state that was still finite. */
  lastFiniteSnapshot(): Promise<RunSnapshot | null> {
    if (!this.#api) return Promise.resolve(null);
    return this.#call(this.#api.lastFiniteSnapshot(), 'last finite snapshot', ANSWER_WITHIN_MS);
  }

  /**
   * Sends hot fields to the worker; returns its answer (a message when the change is invalid).
   * `label` names the change for the marker drawn on the charts; the history records the new
   * settings from the step after the one the worker had reached.
   */
  async reconfigure(patch: HotPatch, label: string): Promise<string | null> {
    const api = this.#api;
    if (!api) return 'the run has not started';
    const version = ++this.#version;
    let answer: { ok: true; step: number } | { ok: false; message: string };
    try {
      const call: Promise<typeof answer> = api.reconfigure(patch, version);
      answer = await this.#call(call, 'reconfigure', ANSWER_WITHIN_MS);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    if (!answer.ok) return answer.message;
    if (version !== this.#version) return null; // a newer change superseded this one
    this.#config = { ...this.#config, ...patch };
    this.#history = switchAt(this.#history, answer.step + 1, this.#config);
    if (answer.step > 0) this.#switches = [...this.#switches, { step: answer.step, label }];
    return null;
  }

  // ---- Diagnostics (issue 16): forwarded to the worker; state lives in diagnostics.svelte.ts. ----
  /** The LR finder on a copy of this run's state, in its worker; null if one is already running. */
  findLr(
    options: LrFinderOptions,
    onPoint: (point: LrFinderPoint, index: number) => void,
  ): Promise<LrFinderResult | null> {
    if (!this.#api) return Promise.resolve(null);
    return this.#call(this.#api.findLr(options, Comlink.proxy(onPoint)), 'LR finder');
  }
  cancelLr(): Promise<void> {
    if (!this.#api) return Promise.resolve();
    return this.#call(this.#api.cancelLr(), 'cancel LR finder').catch(() => {}); // nothing to cancel on an ended worker
  }
  /** Sharpness every `settings.every` steps (null: off), each point told to `onPoint`. */
  setSharpness(
    settings: SharpnessSettings | null,
    onPoint: (point: SharpnessPoint) => void,
  ): Promise<void> {
    if (!this.#api) return Promise.resolve();
    return this.#call(this.#api.setSharpness(settings, Comlink.proxy(onPoint)), 'sharpness').catch(
      () => {},
    );
  }
  sharpnessNow(iterations: number, method?: SharpnessMethod): Promise<SharpnessPoint | null> {
    if (!this.#api) return Promise.resolve(null);
    return this.#call(
      this.#api.sharpnessNow({ iterations, ...(method ? { method } : {}) }),
      'sharpness',
    ).catch(() => null);
  }
  batchHessian(
    batchSizes: readonly number[],
    iterations: number,
  ): Promise<{ step: number; points: BatchHessianPoint[] } | null> {
    if (!this.#api) return Promise.resolve(null);
    return this.#call(this.#api.batchHessian(batchSizes, iterations), 'batch Hessian').catch(
      () => null,
    );
  }

  /** Draws the decision boundary at this width fraction of every hidden layer. */
  setBoundaryWidth(fraction: number): Promise<void> {
    if (!this.#api) return Promise.resolve();
    return this.#call(this.#api.setBoundaryWidth(fraction), 'boundary width').catch(() => {});
  }
  /** The MLP truncated to each fraction, on the test split; null without a worker or on failure. */
  evaluateWidths(fractions: readonly number[]): Promise<WidthEvaluation | null> {
    if (!this.#api) return Promise.resolve(null);
    return this.#call(this.#api.evaluateWidths(fractions), 'width evaluation').catch(() => null);
  }

  /** Ends the worker; a second call does nothing (its proxy is released by the first). */
  dispose(): void {
    this.#ended.abort();
    const api = this.#api;
    if (!api || this.#disposed) return;
    this.#disposed = true;
    api.dispose().catch(() => {});
    api[Comlink.releaseProxy]();
    this.#worker?.terminate();
  }

  /** Whether the worker has ended (disposed or crashed): calls to it are refused. */
  get ended(): boolean {
    return this.#ended.signal.aborted;
  }

  /** A call to the worker that rejects when the worker ends, or (with `timeoutMs`) takes too long. */
  #call<T>(call: Promise<T>, what: string, timeoutMs?: number): Promise<T> {
    return settleWithin(call, what, this.#ended.signal, timeoutMs);
  }

  /** The one place the lifecycle changes; tells the worker what the transition asks. */
  #apply(event: LifecycleEvent): void {
    const { state, command } = transition(this.#lifecycle, event);
    this.#lifecycle = state;
    if (command === 'launch') this.#launch();
    else if (command === 'resume') void this.#api?.resume();
    else if (command === 'pause') void this.#api?.pause();
  }

  #fail(message: string): void {
    this.#preparingSince = null;
    this.#apply({ type: 'crashed' });
    this.#failure = { kind: 'crashed', message };
    // A crashed worker is not asked anything more: its pending calls would never settle.
    this.#ended.abort();
    this.#onStatus(this);
  }

  #onEvent(event: WorkerEvent): void {
    if (event.runId !== this.id) return;
    switch (event.type) {
      case 'preparing':
        this.#phase = event.phase;
        break;
      case 'ready':
        this.#backend = event.backend;
        if (this.#config.backend === 'auto' && event.backend.probe?.length)
          measuredBackends.set(probeKey(this.#config), event.backend.name);
        this.#paramCount = event.paramCount;
        this.#trainCount = event.trainCount;
        break;
      case 'metrics':
        this.series.append(event.chunk, performance.now() - this.#startedAt);
        if (event.chunk.layers) this.#layers = event.chunk.layers;
        if (event.chunk.widths) this.#widths = [...this.#widths, ...event.chunk.widths];
        this.#step = event.chunk.fromStep + event.chunk.rows - 1;
        this.#revision++;
        break;
      case 'views':
        this.#views = event.views;
        break;
      case 'weights':
        this.#weights = { step: event.step, stats: event.stats, size: event.size };
        break;
      case 'boundary':
        this.#boundary = { step: event.step, resolution: event.resolution, values: event.values };
        break;
      case 'device-lost': {
        this.#apply({ type: 'device-lost' });
        const state = this.#lifecycle;
        const wasRunning = state.kind === 'failed' && state.wasRunning;
        const { loss, step, snapshot } = event;
        this.#lostDevice = { loss, step, snapshot, wasRunning };
        this.#failure = {
          kind: 'device-lost',
          message: `${event.loss.message} at step ${event.step}.`,
        };
        this.#onStatus(this);
        break;
      }
      case 'status':
        this.#step = event.step;
        this.#failure = event.failure ?? null;
        if (event.status !== 'starting') this.#preparingSince = null;
        this.#apply({ type: 'reported', status: event.status });
        this.#onStatus(this);
        break;
    }
  }
}
