import * as tf from '@tensorflow/tfjs-core';
import { EvalBudget } from './eval-budget';
import { hotFields, parseRunConfig, type HotPatch, type RunConfig } from './config';
import { BatchSampler, type DataCursor } from './data/batches';
import { HardBatchSampler, selectsHardBatches } from './data/hard-batches';
import { emptyColumns, type MetricChunk } from './metrics';
import { isFlattened } from './optim/flatten';
import { optimizerFromConfig } from './optim/from-config';
import { regularizedGradients } from './optim/regularization';
import type { GradientTransformation } from './optim/transform';
import { countParams, createParams, disposeParams, type Params, type Role } from './params';
import { createRng } from './rng';
import { createTask, EVAL_METRICS, type RunEnv, type Task } from './tasks/index';
import type { TaskView } from './tasks/views';
import { gridCentres } from './data/grid';
import { layerStatsTensor, readLayerStats } from './diagnostics/layer-stats';
import type { BatchHessianPoint } from './diagnostics/hessian';
import {
  batchHessianAt,
  measureSharpness,
  type SharpnessMeasurement,
  type SharpnessOptions,
} from './diagnostics/sharpness';
import { adamPreconditioner } from './diagnostics/preconditioned';
import { trustRatiosOf } from './optim/scale-by-trust-ratio';
import { quantizerFromConfig, quantizesRole } from './quant/from-config';
import { measureGradientUnderflow, type UnderflowKey } from './quant/gradient-underflow';
import { isQuantOff } from './quant/schema';
import {
  memoryEstimate,
  modelSizeBits,
  weightStats,
  type MemoryEstimate,
  type WeightStats,
} from './quant/stats';
import { measureBackwardBytes } from './quant/backward-memory';
import { runPlan, type RunPlan } from './plan/run-plan';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext, type Quantizer } from './layers/context';
import {
  disposeReplaced,
  freezeTree,
  thawTree,
  treeTensors,
  type FrozenTree,
  type NamedTensors,
  type StateTree,
} from './tree';
import { FusedPath, fusedUnsupported } from './fast-mlp/fused-path';
import { deriveStart } from './derive/derive';
import type { WidthEvaluation } from './metrics';
import {
  assertSortable,
  evaluateAtWidths,
  evaluatedWidths,
  readWidths,
  sortedUnsupported,
  stepView,
  truncateMlp,
} from './models/sorted';

/** The whole state of a run as plain data: what fork, persistence and crash recovery move. */
export interface RunSnapshot {
  readonly config: RunConfig;
  readonly step: number;
  readonly params: Readonly<
    Record<
      string,
      { readonly role: Role; readonly shape: readonly number[]; readonly values: Float32Array }
    >
  >;
  readonly optimizer: { readonly kind: string; readonly state: FrozenTree };
  /** Non-trainable layer state (running statistics), by name. */
  readonly buffers: Readonly<
    Record<string, { readonly shape: readonly number[]; readonly values: Float32Array }>
  >;
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
  /** Training examples in one epoch. */
  readonly trainCount: number;
  readonly task: Task['kind'];
  /**
   * Trains `k` steps. Each step runs in `tf.tidy`; the per-step loss and gradient norm stay on
   * the device and are read back once, with the evaluation, by a single async `data()`.
   */
  train(k: number): Promise<MetricChunk>;
  /** 2-D tasks: model output on a `resolution`² grid over [-1, 1]², row-major from the top-left; null otherwise. */
  predictGrid(resolution: number, widthFraction?: number): Promise<Float32Array | null>;
  /**
   * An MLP's test loss and accuracy truncated to each width fraction (the first k units of every
   * hidden layer, engine/models/sorted.ts), sorted-trained or not. Reads only.
   */
  evaluateWidths(fractions: readonly number[]): Promise<WidthEvaluation>;
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
   * λ_max of the training loss at the current weights on a fixed batch, with the lr of the next
   * step. Reads the weights only: the trajectory is the same with or without it.
   */
  measureSharpness(
    options?: Omit<SharpnessOptions, 'preconditioner'> & { readonly preconditioned?: boolean },
  ): Promise<SharpnessMeasurement & { readonly step: number; readonly lr: number }>;
  /** λ_max of random batches of each size at the current weights (reads only, like measureSharpness). */
  batchHessian(
    batchSizes: readonly number[],
    options?: { readonly iterations?: number; readonly batches?: number },
  ): Promise<BatchHessianPoint[]>;
  /** How the steps are computed now: the fused typed-array path, or TF.js kernels and why. */
  trainingPath(): TrainingPath;
  /**
   * Measured bytes of the activations the backward pass keeps for one training batch (the first
   * `batchSize` training examples), parameters excluded (engine/quant/backward-memory.ts). Runs
   * one training-mode forward and backward without an update; running statistics (BatchNorm,
   * Mesa's ranges) take one more step. For the presets, after training.
   */
  measureBackwardBytes(): number;
  /**
   * For the gradients reaching each quantizable dense layer's output on that same batch (before
   * the run's own gradient format rounds them), the fraction of nonzero values each low-precision
   * format rounds to zero (engine/quant/gradient-underflow.ts). For the presets, after training.
   */
  measureGradientUnderflow(): Promise<Record<UnderflowKey, number>>;
  dispose(): void;
}

export interface TrainingPath {
  readonly fused: boolean;
  readonly reason: string;
}

export interface RunOptions extends RunEnv {
  /**
   * Train small dense models on the fused path (engine/fast-mlp) where it supports the config;
   * elsewhere, and when false (the default), with TF.js kernels on the active backend.
   */
  readonly fused?: boolean;
  /**
   * Evaluate a chunk only while evaluation has taken at most this fraction of the training time
   * (engine/eval-budget.ts; the first chunk and the run's last step are always evaluated). The
   * default, Infinity, evaluates every chunk; the app asks for 0.1 (on the spiral one evaluation
   * costs more than ten batch-10 steps, a CNN's more than its ten steps).
   */
  readonly evalBudget?: number;
  /**
   * A derived run (`config.init.from: 'parent'`, engine/derive): the parent's snapshot, whose
   * weights it starts from and, when it distils, learns from. Absent for a derived run restored
   * from its own snapshot (it must not distil then).
   */
  readonly parent?: RunSnapshot;
}

/** Validates the config, loads its data and initialises its parameters from the seed. */
export async function createRun(input: RunConfig, env: RunOptions = {}): Promise<Run> {
  const parsed = parseRunConfig(input);
  if (!parsed.ok) throw new Error(`Invalid run config: ${parsed.message}`);
  let config = parsed.value;
  assertSortable(config);
  const derived = deriveStart(config, env.parent);
  const task: Task = await createTask(config, env, derived?.teacher);
  // The seed's generator draws the initial parameters and nothing else, so snapshots omit it.
  const params: Params = createParams(task.init(createRng(config.seed)));
  if (derived)
    await derived.load(params, task).catch((err: unknown) => {
      disposeParams(params);
      derived.dispose();
      task.dispose();
      throw err;
    });
  let step = 0;
  let plan: RunPlan = runPlan(config);
  let optimizer: GradientTransformation = optimizerFromConfig(config.optimizer, params.roles);
  let optState: StateTree = optimizer.init(params.values);
  let sampler = new BatchSampler(task.trainCount, config.seed);
  /** Hard mini-batches (δ < 1): the kept batches of each epoch, in place of `sampler`. */
  const hardSampler = (cursor?: DataCursor): HardBatchSampler | null =>
    config.batching && selectsHardBatches(config.batching)
      ? new HardBatchSampler(task.trainCount, config.seed, config.batching.keep, cursor)
      : null;
  let hard = hardSampler();
  /** Training examples consumed so far (batch sizes may change mid-run). */
  let samplesSeen = 0;
  const buffers = new Buffers();
  let quant = buildQuantizers(config, buffers, params.roles);
  const context = (training: boolean): LayerContext => ({
    training,
    step,
    quant: training ? quant.train : quant.eval,
    buffers,
  });
  const grids = new Map<number, tf.Tensor2D>();
  const paramList = params.names.map((name) => params.values[name]);

  /** Holds the parameters and optimizer state while it trains; the variables then lag behind. */
  let fused: FusedPath | null = null;
  let variablesBehind = false;
  const evalBudget = new EvalBudget(env.evalBudget);
  const fusedBlocker = (): string | null => {
    if (!env.fused) return 'the fused path is off';
    if (config.distill) return 'distillation from a teacher runs on TF.js';
    return fusedUnsupported(config, task.denseData);
  };

  /** Brings the variables up to date with the fused path's parameters. */
  function syncVariables(): void {
    if (!fused || !variablesBehind) return;
    const values = fused.paramValues();
    params.names.forEach((name, i) => {
      const v = params.values[name];
      tf.tidy(() => v.assign(tf.tensor(values[i], v.shape, 'float32')));
    });
    variablesBehind = false;
  }

  /** Hands the fused path's state back to the TF.js path (before a change of config). */
  function leaveFused(): void {
    if (!fused) return;
    syncVariables();
    for (const t of treeTensors(optState)) t.dispose();
    optState = thawTree(fused.exportOptimizer());
    fused = null;
  }

  async function enterFused(): Promise<FusedPath | null> {
    if (fused || fusedBlocker() !== null || !task.denseData) return fused;
    const infos = params.names.map((name) => ({
      name,
      shape: params.values[name].shape,
      role: params.roles[name],
    }));
    const path = new FusedPath(config, task.denseData, infos);
    const values = await Promise.all(
      params.names.map(async (n) => (await params.values[n].data()) as Float32Array),
    );
    path.importState(values, await freezeTree(optState));
    fused = path;
    return path;
  }

  const named = (tensors: readonly tf.Tensor[]): NamedTensors =>
    Object.fromEntries(params.names.map((name, i) => [name, tensors[i]]));

  /** The first `batchSize` training examples' indices: the fixed batch the measurements use. */
  const firstBatch = () =>
    tf.tensor1d(
      Int32Array.from({ length: Math.min(config.batchSize, task.trainCount) }, (_, i) => i),
      'int32',
    );

  /** Update `step + 1` at rate `lr`; returns the kept loss and gradient-norm scalars, and layer stats when asked. */
  function trainStep(
    indices: Int32Array,
    lr: number,
    withStats: boolean,
  ): [tf.Scalar, tf.Scalar, tf.Tensor1D | null] {
    const old = optState;
    let stats: tf.Tensor1D | null = null;
    const [loss, gradNorm] = tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const ctx = context(true);
      // Sorted training: the sub-network of this update's width (shared weights, sliced).
      const view = stepView(config, step + 1);
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) =>
        task.batchLoss(view(named(ps)), idx, ctx, config.microBatches),
      )(paramList);
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
      // The norm above is the data loss's; the optimizer sees the penalty's gradient added.
      const penalized = regularizedGradients(
        named(grads),
        params.values,
        params.roles,
        config.regularization,
      );
      const [updates, next] = optimizer.update(penalized, optState, params.values, lr);
      if (withStats)
        stats = tf.keep(
          layerStatsTensor(
            params.names,
            named(grads),
            updates,
            params.values,
            trustRatiosOf(optimizer, next),
          ),
        );
      for (const name of params.names)
        params.values[name].assign(tf.add(params.values[name], updates[name]));
      for (const t of treeTensors(next)) tf.keep(t);
      optState = next;
      return [value, norm];
    });
    disposeReplaced(old, optState);
    step += 1;
    return [loss, gradNorm, stats];
  }

  /** Epochs of training data so far (fractional), as the metrics' `epoch` column reports it. */
  function epochsSoFar(): number {
    if (hard) return hard.epochs;
    const { epoch, position } = sampler.state;
    return epoch + position / task.trainCount;
  }

  /**
   * The hard-batch scoring pass at the start of an epoch: every batch of the epoch's order run
   * forward once in inference mode (no gradient), its mean loss kept on the device, and all of
   * them read back together. This is the one read-back per epoch besides each chunk's metrics.
   */
  async function scoreEpoch(h: HardBatchSampler): Promise<void> {
    const batches = h.pending(Math.min(config.batchSize, task.trainCount));
    if (!batches) return;
    const ctx = context(false);
    const losses = batches.map((b) =>
      tf.tidy(() =>
        task.batchLoss(params.values, tf.tensor1d(b, 'int32'), ctx, config.microBatches),
      ),
    );
    const stacked = tf.stack(losses);
    for (const l of losses) l.dispose();
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    h.select(batches, values);
  }

  /** The next training batch: the plain sampler's, or the next kept batch of a scored epoch. */
  async function nextBatch(): Promise<Int32Array> {
    if (!hard) return sampler.next(Math.min(config.batchSize, task.trainCount));
    await scoreEpoch(hard);
    return hard.next();
  }

  /** `train` on the fused path: the same columns, computed on the CPU, without a read-back. */
  function trainFused(path: FusedPath, k: number): MetricChunk {
    const fromStep = step + 1;
    const columns = emptyColumns(k);
    const t0 = performance.now();
    for (let i = 0; i < k; i++) {
      const lr = plan.lr(step + 1);
      const size = Math.min(config.batchSize, task.trainCount);
      const [loss, norm] = path.step(sampler.next(size), lr);
      step += 1;
      samplesSeen += size;
      columns.step[i] = fromStep + i;
      columns.loss[i] = loss;
      columns.gradNorm[i] = norm;
      columns.lr[i] = lr;
      columns.samples[i] = samplesSeen;
      columns.epoch[i] = epochsSoFar();
    }
    variablesBehind = true;
    const t1 = performance.now();
    evalBudget.trained(t1 - t0);
    const last = k - 1;
    if (evalBudget.due(step >= config.steps)) {
      [
        columns.trainLoss[last],
        columns.testLoss[last],
        columns.accuracy[last],
        columns.testAccuracy[last],
      ] = path.evaluate();
      evalBudget.evaluated(performance.now() - t1);
    }
    return { fromStep, rows: k, columns, layers: path.layerStats() };
  }

  async function train(k: number): Promise<MetricChunk> {
    const path = await enterFused();
    if (path) return trainFused(path, k);
    const t0 = performance.now();
    const fromStep = step + 1;
    const losses: tf.Scalar[] = [];
    const norms: tf.Scalar[] = [];
    const lrs: number[] = [];
    const samples: number[] = [];
    const epochs: number[] = [];
    let stats: tf.Tensor1D | null = null;
    for (let i = 0; i < k; i++) {
      // The plan's rate of the next update (its steps are 1-based: update `step + 1`).
      const lr = plan.lr(step + 1);
      lrs.push(lr);
      const indices = await nextBatch();
      const [loss, norm, s] = trainStep(indices, lr, i === k - 1);
      samplesSeen += indices.length;
      samples.push(samplesSeen);
      epochs.push(epochsSoFar());
      losses.push(loss);
      norms.push(norm);
      stats = s ?? stats;
    }
    const fractions = evaluatedWidths(config);
    const evaluates = evalBudget.due(step >= config.steps);
    const evaluation = (): tf.Tensor[] => {
      const model = config.model;
      const atWidths =
        model.kind === 'mlp' && fractions.length > 0
          ? tf.tidy(() => evaluateAtWidths(task, params.values, model, fractions, context(false)))
          : null;
      return [
        tf.tidy(() => task.evaluate(params.values, context(false))),
        ...(atWidths ? [atWidths] : []),
      ];
    };
    const trained = [tf.stack(losses), tf.stack(norms), ...(stats ? [stats] : [])];
    tf.dispose([...losses, ...norms]);
    // One read-back of the chunk; two where the budget times training and evaluation apart.
    const together = evaluates && !evalBudget.finite;
    const values = await readBack(together ? [...trained, ...evaluation()] : trained);
    const t1 = performance.now();
    evalBudget.trained(t1 - t0);
    const statsSize = stats ? stats.size : 0;
    let evaluated: Float32Array | null = together ? values.subarray(2 * k + statsSize) : null;
    if (evaluates && !together) {
      evaluated = await readBack(evaluation());
      evalBudget.evaluated(performance.now() - t1);
    }
    const columns = emptyColumns(k);
    for (let i = 0; i < k; i++) {
      columns.step[i] = fromStep + i;
      columns.loss[i] = values[i];
      columns.gradNorm[i] = values[k + i];
      columns.lr[i] = lrs[i];
      columns.samples[i] = samples[i];
      columns.epoch[i] = epochs[i];
    }
    const last = k - 1;
    const layers = stats
      ? readLayerStats(params.names, values.subarray(2 * k, 2 * k + statsSize))
      : undefined;
    let widths: WidthEvaluation[] = [];
    if (evaluated) {
      const n = EVAL_METRICS.length;
      [
        columns.trainLoss[last],
        columns.testLoss[last],
        columns.accuracy[last],
        columns.testAccuracy[last],
      ] = evaluated.subarray(0, n);
      if (evaluated.length > n) widths = [readWidths(step, fractions, evaluated.subarray(n))];
    }
    return {
      fromStep,
      rows: k,
      columns,
      ...(layers ? { layers } : {}),
      ...(widths.length > 0 ? { widths } : {}),
    };
  }

  /** Reads tensors back as one array (one sync with the device), disposing of them. */
  async function readBack(parts: readonly tf.Tensor[]): Promise<Float32Array> {
    const packed = tf.tidy(() => tf.concat(parts.map((t) => tf.reshape(t, [-1]))));
    tf.dispose([...parts]);
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    return values;
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

  async function predictGrid(resolution: number, fraction = 1): Promise<Float32Array | null> {
    const predict = task.predictPoints;
    if (!predict) return null;
    syncVariables();
    const model = config.model;
    const out = tf.tidy(() => {
      const p = model.kind === 'mlp' ? truncateMlp(params.values, model, fraction) : params.values;
      return predict(p, gridPoints(resolution), context(false));
    });
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  }

  async function snapshot(): Promise<RunSnapshot> {
    syncVariables();
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
        return [
          name,
          { shape: [...t.shape], values: new Float32Array((await t.data()) as Float32Array) },
        ] as const;
      }),
    );
    return {
      config,
      step,
      params: Object.fromEntries(entries),
      buffers: Object.fromEntries(bufferEntries),
      optimizer: {
        kind: config.optimizer.kind,
        state: fused ? fused.exportOptimizer() : await freezeTree(optState),
      },
      cursor: hard ? hard.state : sampler.state,
      samplesSeen,
    };
  }

  function restore(s: RunSnapshot): void {
    leaveFused();
    for (const name of params.names) {
      const p = s.params[name];
      if (!p || p.values.length !== params.values[name].size)
        throw new Error(`snapshot does not match parameter ${name}`);
    }
    for (const name of params.names) {
      const p = s.params[name];
      tf.tidy(() => params.values[name].assign(tf.tensor(p.values, [...p.shape], 'float32')));
    }
    for (const [name, b] of Object.entries(s.buffers))
      buffers.set(name, tf.tensor(b.values, [...b.shape], 'float32'));
    config = { ...config, ...hotFields(s.config) };
    plan = runPlan(config);
    quant = buildQuantizers(config, buffers, params.roles);
    optimizer = optimizerFromConfig(config.optimizer, params.roles);
    for (const t of treeTensors(optState)) t.dispose();
    const saved = thawTree(s.optimizer.state);
    // Runs saved before the fused update hold one moment per parameter: concatenated here.
    optState = isFlattened(optimizer) ? optimizer.adoptState(saved, params.values) : saved;
    sampler = new BatchSampler(task.trainCount, config.seed, s.cursor);
    hard = hardSampler(s.cursor);
    step = s.step;
    samplesSeen = s.samplesSeen;
  }

  function reconfigure(patch: HotPatch): void {
    const next = { ...config, ...patch };
    const parsedNext = parseRunConfig(next);
    if (!parsedNext.ok) throw new Error(`Invalid change: ${parsedNext.message}`);
    assertSortable(parsedNext.value);
    leaveFused();
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
    trainCount: task.trainCount,
    weightStats: () => {
      syncVariables();
      return weightStats(params.values, params.roles, config.quant);
    },
    views: async () => {
      syncVariables();
      return task.views ? task.views(params.values, context(false)) : [];
    },
    trainingPath(): TrainingPath {
      const blocker = fusedBlocker();
      if (blocker === null)
        return {
          fused: true,
          reason: 'fused typed-array loops (forward, backward and update in one pass)',
        };
      return { fused: false, reason: `TF.js kernels: ${blocker}` };
    },
    measureBackwardBytes() {
      syncVariables();
      const idx = firstBatch();
      try {
        const ctx = context(true);
        return measureBackwardBytes(
          (...ps) => task.batchLoss(named(ps), idx, ctx, config.microBatches),
          paramList,
        );
      } finally {
        idx.dispose();
      }
    },
    async measureGradientUnderflow() {
      syncVariables();
      const idx = firstBatch();
      const ctx = context(true);
      const captures = (layer: string) => {
        const role = params.roles[`${layer}/w`];
        return role !== undefined && quantizesRole(role, config.quant);
      };
      try {
        return await measureGradientUnderflow(
          (quant, ...ps) => task.batchLoss(named(ps), idx, { ...ctx, quant }, config.microBatches),
          ctx.quant,
          captures,
          paramList,
        );
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
      return {
        ...modelSizeBits(params.values, params.roles, config.quant),
        memory: memoryEstimate(params.values, params.roles, config.quant, stored),
      };
    },
    task: task.kind,
    async measureSharpness(options = {}) {
      // On the fused path the variables and the optimizer state live there: read copies of them.
      syncVariables();
      const at = { step, lr: plan.lr(step + 1) };
      const fusedState = options.preconditioned && fused ? thawTree(fused.exportOptimizer()) : null;
      try {
        // Adam's preconditioned sharpness when asked (null for other optimizers and at step 0).
        const preconditioner = options.preconditioned
          ? await adamPreconditioner(fusedState ?? optState, config.optimizer, params.values)
          : null;
        return {
          ...(await measureSharpness(task, params.values, context(false), {
            ...options,
            preconditioner,
          })),
          ...at,
        };
      } finally {
        if (fusedState) for (const t of treeTensors(fusedState)) t.dispose();
      }
    },
    batchHessian: (sizes, options) => {
      syncVariables();
      return batchHessianAt(task, params.values, context(false), sizes, options);
    },
    train,
    predictGrid,
    async evaluateWidths(fractions) {
      const model = config.model;
      const why = sortedUnsupported(model);
      if (why !== null || model.kind !== 'mlp') throw new Error(why ?? 'not an MLP');
      syncVariables();
      const out = tf.tidy(() =>
        evaluateAtWidths(task, params.values, model, fractions, context(false)),
      );
      const values = await out.data();
      out.dispose();
      return readWidths(step, fractions, values);
    },
    snapshot,
    restore,
    reconfigure,
    dispose() {
      for (const t of treeTensors(optState)) t.dispose();
      for (const g of grids.values()) g.dispose();
      disposeParams(params);
      derived?.dispose();
      buffers.dispose();
      task.dispose();
    },
  };
}

/** Quantizers for training (updates Mesa's ranges) and for evaluation (leaves them alone). */
function buildQuantizers(
  config: RunConfig,
  buffers: Buffers,
  roles: Readonly<Record<string, Role>>,
): { train: Quantizer; eval: Quantizer } {
  if (isQuantOff(config.quant)) return { train: IDENTITY_QUANTIZER, eval: IDENTITY_QUANTIZER };
  return {
    train: quantizerFromConfig(config.quant, buffers, roles, { training: true }),
    eval: quantizerFromConfig(config.quant, buffers, roles, { training: false }),
  };
}
