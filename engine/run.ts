import * as tf from '@tensorflow/tfjs-core';
import { hotFields, parseRunConfig, type HotPatch, type RunConfig } from './config';
import { BatchSampler, type DataCursor } from './data/batches';
import { emptyColumns, type MetricChunk } from './metrics';
import { isFlattened } from './optim/flatten';
import { optimizerFromConfig } from './optim/from-config';
import type { GradientTransformation } from './optim/transform';
import { countParams, createParams, disposeParams, type Params, type Role } from './params';
import { createRng } from './rng';
import { createTask, EVAL_METRICS, type RunEnv, type Task } from './tasks/index';
import type { TaskView } from './tasks/views';
import { gridCentres } from './data/grid';
import { layerStatsTensor, readLayerStats } from './diagnostics/layer-stats';
import { trustRatiosOf } from './optim/scale-by-trust-ratio';
import { quantizerFromConfig } from './quant/from-config';
import { isQuantOff } from './quant/schema';
import { memoryEstimate, modelSizeBits, weightStats, type MemoryEstimate, type WeightStats } from './quant/stats';
import { measureBackwardBytes } from './quant/backward-memory';
import { runPlan, type RunPlan } from './plan/run-plan';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext, type Quantizer } from './layers/context';
import { disposeReplaced, freezeTree, thawTree, treeTensors, type FrozenTree, type NamedTensors, type StateTree } from './tree';

/** The whole state of a run as plain data: what fork, persistence and crash recovery move. */
export interface RunSnapshot {
  readonly config: RunConfig;
  readonly step: number;
  readonly params: Readonly<Record<string, { readonly role: Role; readonly shape: readonly number[]; readonly values: Float32Array }>>;
  readonly optimizer: { readonly kind: string; readonly state: FrozenTree };
  /** Non-trainable layer state (running statistics), by name. */
  readonly buffers: Readonly<Record<string, { readonly shape: readonly number[]; readonly values: Float32Array }>>;
  readonly cursor: DataCursor;
  readonly samplesSeen: number;
}

export interface SizeReport {
  readonly bits: number;
  readonly float32Bits: number;
  readonly memory: MemoryEstimate;
}

export interface Run {
  readonly config: RunConfig;
  /** Number of optimizer updates taken so far. */
  readonly step: number;
  readonly paramCount: number;
  readonly task: Task['kind'];
  /**
   * Trains `k` steps. Each step runs in `tf.tidy`; the per-step loss and gradient norm stay on
   * the device and are read back once, with the evaluation, by a single async `data()`.
   */
  train(k: number): Promise<MetricChunk>;
  /** 2-D tasks: model output on a `resolution`² grid over [-1, 1]², row-major from the top-left; null otherwise. */
  predictGrid(resolution: number): Promise<Float32Array | null>;
  snapshot(): Promise<RunSnapshot>;
  restore(snapshot: RunSnapshot): void;
  /** Applies hot fields; an optimizer of another kind starts from fresh state. */
  reconfigure(patch: HotPatch): void;
  /** The task's extra views (predictions, confusion matrix, text samples, expert load, norm gap). */
  views(): Promise<readonly TaskView[]>;
  /** Histograms, zeros and quantization error of each weight tensor (reads the weights back). */
  weightStats(): Promise<WeightStats[]>;
  /** The model's size in bits as its weights are stored, and the estimated training memory. */
  sizeReport(): SizeReport;
  /**
   * Measured bytes of the activations the backward pass keeps for one training batch (the first
   * `batchSize` training examples), parameters excluded (engine/quant/backward-memory.ts). Runs
   * one training-mode forward and backward without an update; running statistics (BatchNorm,
   * Mesa's ranges) take one more step. For the presets, after training.
   */
  measureBackwardBytes(): number;
  dispose(): void;
}

/** Validates the config, loads its data and initialises its parameters from the seed. */
export async function createRun(input: RunConfig, env: RunEnv = {}): Promise<Run> {
  const parsed = parseRunConfig(input);
  if (!parsed.ok) throw new Error(`Invalid run config: ${parsed.message}`);
  let config = parsed.value;
  const task: Task = await createTask(config, env);
  // The seed's generator draws the initial parameters and nothing else, so snapshots omit it.
  const params: Params = createParams(task.init(createRng(config.seed)));
  let step = 0;
  let plan: RunPlan = runPlan(config);
  let optimizer: GradientTransformation = optimizerFromConfig(config.optimizer, params.roles);
  let optState: StateTree = optimizer.init(params.values);
  let sampler = new BatchSampler(task.trainCount, config.seed);
  /** Training examples consumed so far (batch sizes may change mid-run). */
  let samplesSeen = 0;
  const buffers = new Buffers();
  let quant = buildQuantizers(config, buffers, params.roles);
  const context = (training: boolean): LayerContext => ({ training, step, quant: training ? quant.train : quant.eval, buffers });
  const grids = new Map<number, tf.Tensor2D>();
  const paramList = params.names.map((name) => params.values[name]);

  const named = (tensors: readonly tf.Tensor[]): NamedTensors =>
    Object.fromEntries(params.names.map((name, i) => [name, tensors[i]]));

  /** Update `step + 1` at rate `lr`; returns the kept loss and gradient-norm scalars, and layer stats when asked. */
  function trainStep(lr: number, withStats: boolean): [tf.Scalar, tf.Scalar, tf.Tensor1D | null] {
    const indices = sampler.next(Math.min(config.batchSize, task.trainCount));
    const old = optState;
    let stats: tf.Tensor1D | null = null;
    const [loss, gradNorm] = tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const ctx = context(true);
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => task.batchLoss(named(ps), idx, ctx, config.microBatches))(paramList);
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
      const [updates, next] = optimizer.update(named(grads), optState, params.values, lr);
      if (withStats) stats = tf.keep(layerStatsTensor(params.names, named(grads), updates, params.values, trustRatiosOf(optimizer, next)));
      for (const name of params.names) params.values[name].assign(tf.add(params.values[name], updates[name]));
      for (const t of treeTensors(next)) tf.keep(t);
      optState = next;
      return [value, norm];
    });
    disposeReplaced(old, optState);
    step += 1;
    return [loss, gradNorm, stats];
  }

  async function train(k: number): Promise<MetricChunk> {
    const fromStep = step + 1;
    const losses: tf.Scalar[] = [];
    const norms: tf.Scalar[] = [];
    const lrs: number[] = [];
    const samples: number[] = [];
    let stats: tf.Tensor1D | null = null;
    for (let i = 0; i < k; i++) {
      // The plan's rate of the next update (its steps are 1-based: update `step + 1`).
      const lr = plan.lr(step + 1);
      lrs.push(lr);
      const [loss, norm, s] = trainStep(lr, i === k - 1);
      samplesSeen += Math.min(config.batchSize, task.trainCount);
      samples.push(samplesSeen);
      losses.push(loss);
      norms.push(norm);
      stats = s ?? stats;
    }
    const evaluation = tf.tidy(() => task.evaluate(params.values, context(false)));
    const parts: tf.Tensor[] = [tf.stack(losses), tf.stack(norms), evaluation, ...(stats ? [stats] : [])];
    const packed = tf.concat(parts);
    for (const t of [...losses, ...norms, ...parts]) t.dispose();
    // The one read-back of the chunk.
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    const columns = emptyColumns(k);
    for (let i = 0; i < k; i++) {
      columns.step[i] = fromStep + i;
      columns.loss[i] = values[i];
      columns.gradNorm[i] = values[k + i];
      columns.lr[i] = lrs[i];
      columns.samples[i] = samples[i];
    }
    const last = k - 1;
    const evalEnd = 2 * k + EVAL_METRICS.length;
    [columns.trainLoss[last], columns.testLoss[last], columns.accuracy[last], columns.testAccuracy[last]] = values.subarray(2 * k, evalEnd);
    const layers = stats ? readLayerStats(params.names, values.subarray(evalEnd)) : undefined;
    return { fromStep, rows: k, columns, ...(layers ? { layers } : {}) };
  }

  function gridPoints(resolution: number): tf.Tensor2D {
    let grid = grids.get(resolution);
    if (!grid) {
      // Cached across calls, so kept out of the caller's tidy.
      grid = tf.keep(tf.tensor2d(gridCentres(resolution), [resolution * resolution, 2]));
      grids.set(resolution, grid);
    }
    return grid;
  }

  async function predictGrid(resolution: number): Promise<Float32Array | null> {
    const predict = task.predictPoints;
    if (!predict) return null;
    const out = tf.tidy(() => predict(params.values, gridPoints(resolution), context(false)));
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  }

  async function snapshot(): Promise<RunSnapshot> {
    const entries = await Promise.all(
      params.names.map(async (name) => {
        const v = params.values[name];
        const values = new Float32Array((await v.data()) as Float32Array);
        return [name, { role: params.roles[name], shape: [...v.shape], values }] as const;
      }),
    );
    const bufferEntries = await Promise.all(
      buffers.names().map(async (name) => {
        const t = buffers.get(name) as tf.Tensor;
        return [name, { shape: [...t.shape], values: new Float32Array((await t.data()) as Float32Array) }] as const;
      }),
    );
    return {
      config,
      step,
      params: Object.fromEntries(entries),
      buffers: Object.fromEntries(bufferEntries),
      optimizer: { kind: config.optimizer.kind, state: await freezeTree(optState) },
      cursor: sampler.state,
      samplesSeen,
    };
  }

  function restore(s: RunSnapshot): void {
    for (const name of params.names) {
      const p = s.params[name];
      if (!p || p.values.length !== params.values[name].size) throw new Error(`snapshot does not match parameter ${name}`);
    }
    for (const name of params.names) {
      const p = s.params[name];
      tf.tidy(() => params.values[name].assign(tf.tensor(p.values, [...p.shape], 'float32')));
    }
    for (const [name, b] of Object.entries(s.buffers)) buffers.set(name, tf.tensor(b.values, [...b.shape], 'float32'));
    config = { ...config, ...hotFields(s.config) };
    plan = runPlan(config);
    quant = buildQuantizers(config, buffers, params.roles);
    optimizer = optimizerFromConfig(config.optimizer, params.roles);
    for (const t of treeTensors(optState)) t.dispose();
    const saved = thawTree(s.optimizer.state);
    // Runs saved before the fused update hold one moment per parameter: concatenated here.
    optState = isFlattened(optimizer) ? optimizer.adoptState(saved, params.values) : saved;
    sampler = new BatchSampler(task.trainCount, config.seed, s.cursor);
    step = s.step;
    samplesSeen = s.samplesSeen;
  }

  function reconfigure(patch: HotPatch): void {
    const next = { ...config, ...patch };
    const parsedNext = parseRunConfig(next);
    if (!parsedNext.ok) throw new Error(`Invalid change: ${parsedNext.message}`);
    const kindChanged = parsedNext.value.optimizer.kind !== config.optimizer.kind;
    // Built before anything changes, so a schedule that cannot be built leaves the run as it was.
    plan = runPlan(parsedNext.value);
    config = parsedNext.value;
    quant = buildQuantizers(config, buffers, params.roles);
    optimizer = optimizerFromConfig(config.optimizer, params.roles);
    if (kindChanged) {
      for (const t of treeTensors(optState)) t.dispose();
      optState = optimizer.init(params.values);
    }
  }

  return {
    get config() {
      return config;
    },
    get step() {
      return step;
    },
    paramCount: countParams(params),
    weightStats: () => weightStats(params.values, params.roles, config.quant),
    views: async () => (task.views ? task.views(params.values, context(false)) : []),
    measureBackwardBytes() {
      const n = Math.min(config.batchSize, task.trainCount);
      const idx = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i), 'int32');
      try {
        const ctx = context(true);
        return measureBackwardBytes((...ps) => task.batchLoss(named(ps), idx, ctx, config.microBatches), paramList);
      } finally {
        idx.dispose();
      }
    },
    sizeReport() {
      // Activations kept for backward: each matrix layer's input, for every example of a batch.
      const inputs = params.names
        .filter((n) => params.values[n].rank === 2 && params.roles[n] !== 'embedding')
        .reduce((sum, n) => sum + params.values[n].shape[0], 0);
      const stored = inputs * config.batchSize;
      return { ...modelSizeBits(params.values, params.roles, config.quant), memory: memoryEstimate(params.values, params.roles, config.quant, stored) };
    },
    task: task.kind,
    train,
    predictGrid,
    snapshot,
    restore,
    reconfigure,
    dispose() {
      for (const t of treeTensors(optState)) t.dispose();
      for (const g of grids.values()) g.dispose();
      disposeParams(params);
      buffers.dispose();
      task.dispose();
    },
  };
}

/** Quantizers for training (updates Mesa's ranges) and for evaluation (leaves them alone). */
function buildQuantizers(config: RunConfig, buffers: Buffers, roles: Readonly<Record<string, Role>>): { train: Quantizer; eval: Quantizer } {
  if (isQuantOff(config.quant)) return { train: IDENTITY_QUANTIZER, eval: IDENTITY_QUANTIZER };
  return {
    train: quantizerFromConfig(config.quant, buffers, roles, { training: true }),
    eval: quantizerFromConfig(config.quant, buffers, roles, { training: false }),
  };
}
