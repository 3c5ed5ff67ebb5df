import { createRng, permutation, type Rng } from '../rng';
import { IN_CONTEXT_DIM, trainingTaskCount, type InContextConfig } from './in-context-schema';

/**
 * The GPICL task generator (docs/algorithms.md#in-context-learning). A fixed base set of labelled
 * points x ∈ ℝ⁸ (C Gaussian clusters); a task is a matrix A with entries N(0, 1/8) and a
 * permutation π of the labels; a sequence of a task shows the model, at position t,
 * [A·x_t, onehot(π(y_{t−1}))] (zeros at t = 0) and asks for π(y_t). TF.js-free.
 */

/** Points in the base set. */
export const BASE_POINTS = 1024;
/** Spread of a class's points around its centre (the centres are N(0, I)). */
const CLUSTER_STD = 0.35;
/** The base set is the same for every run: only the tasks come from the run's seed. */
const BASE_SEED = 0x6c1;

export interface BaseSet {
  /** `[count, 8]` row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
  readonly classes: number;
}

export interface InContextTask {
  /** `[8, 8]` row-major: row i gives output coordinate i. */
  readonly a: Float32Array;
  /** `perm[y]` is the label class y shows under this task. */
  readonly perm: Int32Array;
}

/** A batch of sequences as the model reads them. */
export interface Sequences {
  /** `[count, length, width]` row-major, width = 8 + C. */
  readonly inputs: Float32Array;
  /** `[count, length]` row-major: the (permuted) label to predict at each position. */
  readonly labels: Int32Array;
  readonly count: number;
  readonly length: number;
  readonly width: number;
}

/** C cluster centres drawn from N(0, I₈); each point is its class's centre plus N(0, 0.35²·I). */
export function makeBaseSet(classes: number, count = BASE_POINTS, seed = BASE_SEED): BaseSet {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: classes * IN_CONTEXT_DIM }, () => rng.normal());
  const x = new Float32Array(count * IN_CONTEXT_DIM);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = i % classes;
    for (let j = 0; j < IN_CONTEXT_DIM; j++)
      x[i * IN_CONTEXT_DIM + j] = centres[y[i] * IN_CONTEXT_DIM + j] + CLUSTER_STD * rng.normal();
  }
  return { x, y, count, classes };
}

/** A task: A with entries N(0, 1/8) (variance 1/d, so A·x keeps x's scale) and a permutation. */
export function drawTask(rng: Rng, classes: number): InContextTask {
  const std = Math.sqrt(1 / IN_CONTEXT_DIM);
  const a = Float32Array.from(
    { length: IN_CONTEXT_DIM * IN_CONTEXT_DIM },
    () => std * rng.normal(),
  );
  return { a, perm: permutation(rng, classes) };
}

/**
 * Writes sequence `s` of a batch: the base points `points` seen through `task`. Position t holds
 * A·x_t in its first 8 entries and the one-hot of the previous position's label after them.
 */
export function writeSequence(
  out: { inputs: Float32Array; labels: Int32Array },
  s: number,
  base: BaseSet,
  task: InContextTask,
  points: ArrayLike<number>,
): void {
  const d = IN_CONTEXT_DIM;
  const width = d + base.classes;
  const length = points.length;
  for (let t = 0; t < length; t++) {
    const p = points[t];
    const row = (s * length + t) * width;
    for (let i = 0; i < d; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += task.a[i * d + j] * base.x[p * d + j];
      out.inputs[row + i] = sum;
    }
    const label = task.perm[base.y[p]];
    out.labels[s * length + t] = label;
    if (t + 1 < length) out.inputs[row + width + d + label] = 1;
  }
}

/** `count` sequences, each of a task `taskOf(rng)` and `length` base points drawn uniformly. */
export function makeSequences(
  base: BaseSet,
  count: number,
  length: number,
  rng: Rng,
  taskOf: (rng: Rng) => InContextTask,
): Sequences {
  const width = IN_CONTEXT_DIM + base.classes;
  const out = {
    inputs: new Float32Array(count * length * width),
    labels: new Int32Array(count * length),
  };
  const points = new Int32Array(length);
  for (let s = 0; s < count; s++) {
    const task = taskOf(rng);
    for (let t = 0; t < length; t++) points[t] = rng.int(base.count);
    writeSequence(out, s, base, task, points);
  }
  return { ...out, count, length, width };
}

/** Streams of tasks: training, unseen (test) and validation tasks never share a generator. */
const STREAM = { train: 0x7a11, test: 0x7e57, validation: 0x0a1d, batches: 0x5eb } as const;

/** A generator of a run's sequences: its training tasks, and sequences for training and evaluation. */
export interface InContextData {
  readonly base: BaseSet;
  /** The training tasks; null when every sequence draws a fresh task. */
  readonly tasks: readonly InContextTask[] | null;
  readonly length: number;
  readonly width: number;
  /** The training sequences of optimizer step `step`: the same for the same (seed, step). */
  batch(step: number, count: number): Sequences;
  /** Sequences of the training tasks (fresh ones when there are none), for evaluation. */
  trainEval(count: number): Sequences;
  /** Sequences of tasks never trained on: the test stream, or the validation stream. */
  unseenEval(count: number, split: 'test' | 'validation'): Sequences;
}

export function makeInContextData(config: InContextConfig, seed: number): InContextData {
  const { classes, sequenceLength: length } = config;
  const base = makeBaseSet(classes);
  const n = trainingTaskCount(config);
  const taskRng = createRng((seed ^ STREAM.train) >>> 0);
  const tasks = n === null ? null : Array.from({ length: n }, () => drawTask(taskRng, classes));
  const fresh = (rng: Rng) => drawTask(rng, classes);
  const training = tasks ? (rng: Rng) => tasks[rng.int(tasks.length)] : fresh;
  return {
    base,
    tasks,
    length,
    width: IN_CONTEXT_DIM + classes,
    batch(step, count) {
      const rng = createRng(
        (Math.imul(seed, 0x9e3779b1) ^ Math.imul(step + 1, STREAM.batches)) >>> 0,
      );
      return makeSequences(base, count, length, rng, training);
    },
    trainEval(count) {
      return makeSequences(base, count, length, createRng((seed ^ 0xe1) >>> 0), training);
    },
    unseenEval(count, split) {
      return makeSequences(base, count, length, createRng((seed ^ STREAM[split]) >>> 0), fresh);
    },
  };
}
