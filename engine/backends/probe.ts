import * as tf from '@tensorflow/tfjs-core';
import type { DataConfig, ModelConfig } from '../config';

/**
 * The backend probe behind `auto`: a short training-like workload shaped after the model (its
 * layer types, widths and batch), timed on each backend that can train the model; the fastest wins.
 * The pure parts (which workload, which winner, the words for the UI) are separate from the timing.
 */

/** Backends the probe can time; the same names as `BackendName`. */
export type ProbeBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What the probe's workload is shaped after: a run config has all of these. */
export interface ProbeHint {
  readonly model: ModelConfig;
  readonly batchSize: number;
  readonly data?: DataConfig;
}

interface TokenBlocks {
  readonly dim: number;
  readonly hidden: number;
  readonly layers: number;
}

interface ConvStage {
  readonly filters: number;
  readonly pad: 'same' | number;
  readonly pool: { readonly size: number; readonly stride: number; readonly pad: 'valid' | number };
}

/** A forward and backward pass resembling the model's, on random data. */
export type ProbeWorkload =
  | { readonly kind: 'dense'; readonly batch: number; readonly widths: readonly number[] }
  | {
      readonly kind: 'conv';
      readonly batch: number;
      readonly side: number;
      readonly stages: readonly ConvStage[];
      readonly classes: number;
      readonly encoder?: TokenBlocks;
    }
  | {
      readonly kind: 'tokens';
      readonly batch: number;
      readonly seq: number;
      readonly vocab: number;
      readonly blocks: TokenBlocks;
    };

/** Probe batches stop here: the per-step ratio between backends is settled well before, and the probe stays short. */
const MAX_PROBE_BATCH = 128;

const MNIST_SIDE = 28;

function inputWidth(data: DataConfig | undefined): number {
  if (!data) return 2;
  if (data.kind === 'mnist') return MNIST_SIDE * MNIST_SIDE;
  if (data.kind === 'csv') return 8;
  return 2; // the 2-D toys
}

/** The workload for a model; without a hint, a small MLP on 2-D points (the default run). */
export function workloadFor(hint?: ProbeHint): ProbeWorkload {
  if (!hint) return { kind: 'dense', batch: 32, widths: [2, 32, 32, 2] };
  const batch = Math.max(1, Math.min(hint.batchSize, MAX_PROBE_BATCH));
  const model = hint.model;
  switch (model.kind) {
    case 'mlp':
      return {
        kind: 'dense',
        batch,
        widths: [inputWidth(hint.data), ...model.hidden, hint.data?.kind === 'mnist' ? 10 : 2],
      };
    case 'cnn':
      return {
        kind: 'conv',
        batch,
        side: MNIST_SIDE,
        classes: 10,
        stages: model.channels.map((filters) => ({
          filters,
          pad: 'same' as const,
          pool: { size: 2, stride: 2, pad: 'valid' as const },
        })),
      };
    case 'cct':
      return {
        kind: 'conv',
        batch,
        side: MNIST_SIDE,
        classes: 10,
        stages: Array.from({ length: model.convLayers }, (_, i) => ({
          filters: i === model.convLayers - 1 ? model.dim : Math.max(1, Math.floor(model.dim / 2)),
          pad: 1,
          pool: { size: 3, stride: 2, pad: 1 },
        })),
        encoder: {
          dim: model.dim,
          hidden: Math.max(1, Math.round(model.dim * model.mlpRatio)),
          layers: model.layers,
        },
      };
    case 'transformer':
    case 'moe': {
      const seq = hint.data && 'sequenceLength' in hint.data ? hint.data.sequenceLength : 16;
      // An MoE token passes through topK experts of the given width.
      const ratio = model.kind === 'moe' ? model.mlpRatio * model.topK : model.mlpRatio;
      return {
        kind: 'tokens',
        batch,
        seq,
        vocab: 64,
        blocks: {
          dim: model.dim,
          hidden: Math.max(1, Math.round(model.dim * ratio)),
          layers: model.layers,
        },
      };
    }
  }
}

/** One backend's probe result: milliseconds per step, or why it has none. */
export interface ProbeMeasurement {
  readonly name: ProbeBackend;
  /** Steady-state milliseconds per step; null where the backend was not timed. */
  readonly msPerStep: number | null;
  /** The first step, with kernel compilation; where nothing was timed the fastest first step wins. */
  readonly firstStepMs?: number;
  readonly note?: string;
}

/**
 * The fastest measured backend; on equal times the earlier in `order` (the fallback order). Null
 * when nothing was measured.
 */
export function chooseFastest(
  measurements: readonly ProbeMeasurement[],
  order: readonly ProbeBackend[],
): ProbeBackend | null {
  const rank = (n: ProbeBackend) => (order.indexOf(n) < 0 ? order.length : order.indexOf(n));
  const pick = (time: (m: ProbeMeasurement) => number | null | undefined): ProbeBackend | null => {
    let best: { name: ProbeBackend; ms: number } | null = null;
    for (const m of measurements) {
      const ms = time(m);
      if (ms === null || ms === undefined || !Number.isFinite(ms)) continue;
      if (!best || ms < best.ms || (ms === best.ms && rank(m.name) < rank(best.name)))
        best = { name: m.name, ms };
    }
    return best ? best.name : null;
  };
  return pick((m) => m.msPerStep) ?? pick((m) => m.firstStepMs);
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/**
 * The UI's words for a probe, e.g. "auto: wasm measured fastest (wasm 2.1 ms, webgl 9.8 ms per probe
 * step; webgpu: first step took 1.2 s, not timed further; the WebGPU adapter is software)".
 */
export function describeProbe(
  winner: ProbeBackend,
  measurements: readonly ProbeMeasurement[],
  notes: readonly string[] = [],
): string {
  const timed = measurements
    .filter((m) => m.msPerStep !== null)
    .sort((a, b) => (a.msPerStep ?? 0) - (b.msPerStep ?? 0))
    .map((m) => `${m.name} ${formatMs(m.msPerStep ?? 0)}`);
  const untimed = measurements
    .filter((m) => m.msPerStep === null)
    .map((m) => `${m.name}: ${m.note ?? 'not timed'}`);
  const extra = [...untimed, ...notes];
  const tail = extra.length > 0 ? `; ${extra.join('; ')}` : '';
  if (timed.length === 0)
    return `auto: ${winner} had the quickest first step, no backend was fast enough to time (${extra.join('; ')})`;
  const only = timed.length === 1 ? ', the only backend timed' : '';
  return `auto: ${winner} measured fastest${only} (${timed.join(', ')} per probe step${tail})`;
}

// ---------------------------------------------------------------------------------------------
// The timing itself (runs on whatever backend is active).

type Weights = tf.Tensor[];

function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[0] ?? 1), 'float32', seed);
}

/** Token blocks on x [B, T, d]: self-attention (one head) and an MLP, residual, no norms. */
function tokenBlocks(x: tf.Tensor3D, w: Weights, at: number, blocks: TokenBlocks): tf.Tensor3D {
  const [b, t, d] = x.shape;
  let h = x;
  let k = at;
  for (let l = 0; l < blocks.layers; l++) {
    const flat = tf.reshape(h, [b * t, d]) as tf.Tensor2D;
    const [wq, wk, wv, wo, w1, w2] = w.slice(k, k + 6) as tf.Tensor2D[];
    k += 6;
    const q = tf.reshape(tf.matMul(flat, wq), [b, t, d]) as tf.Tensor3D;
    const kk = tf.reshape(tf.matMul(flat, wk), [b, t, d]) as tf.Tensor3D;
    const v = tf.reshape(tf.matMul(flat, wv), [b, t, d]) as tf.Tensor3D;
    const att = tf.softmax(tf.mul(tf.matMul(q, kk, false, true), 1 / Math.sqrt(d)));
    const mixed = tf.reshape(tf.matMul(att, v), [b * t, d]) as tf.Tensor2D;
    const h1 = tf.add(flat, tf.matMul(mixed, wo)) as tf.Tensor2D;
    const h2 = tf.add(h1, tf.matMul(tf.relu(tf.matMul(h1, w1)), w2)) as tf.Tensor2D;
    h = tf.reshape(h2, [b, t, d]) as tf.Tensor3D;
  }
  return h;
}

function blockWeights(blocks: TokenBlocks, seed: number): Weights {
  const out: Weights = [];
  for (let l = 0; l < blocks.layers; l++) {
    const s = seed + 10 * l;
    const { dim, hidden } = blocks;
    out.push(
      randn([dim, dim], s),
      randn([dim, dim], s + 1),
      randn([dim, dim], s + 2),
      randn([dim, dim], s + 3),
      randn([dim, hidden], s + 4),
      randn([hidden, dim], s + 5),
    );
  }
  return out;
}

interface Prepared {
  readonly weights: Weights;
  readonly input: tf.Tensor;
  readonly loss: (w: Weights) => tf.Scalar;
}

function prepare(work: ProbeWorkload): Prepared {
  switch (work.kind) {
    case 'dense': {
      const weights = work.widths
        .slice(1)
        .map((out, i) => randn([work.widths[i] ?? 1, out], 1 + i));
      const input = tf.randomNormal([work.batch, work.widths[0] ?? 1], 0, 1, 'float32', 100);
      const loss = (w: Weights) => {
        let h = input as tf.Tensor2D;
        w.forEach((wi, i) => {
          const z: tf.Tensor2D = tf.matMul(h, wi as tf.Tensor2D);
          h = i < w.length - 1 ? (tf.relu(z) as tf.Tensor2D) : z;
        });
        return tf.mean(tf.square(h)) as tf.Scalar;
      };
      return { weights, input, loss };
    }
    case 'conv': {
      const weights: Weights = [];
      let channels = 1;
      let side = work.side;
      for (const [i, stage] of work.stages.entries()) {
        weights.push(randn([3, 3, channels, stage.filters], 1 + i));
        channels = stage.filters;
        // 3×3 convolutions keep the side ('same', or pad 1); the pooling shrinks it.
        const pad = stage.pool.pad === 'valid' ? 0 : stage.pool.pad;
        side = Math.floor((side + 2 * pad - stage.pool.size) / stage.pool.stride) + 1;
      }
      const encoderAt = weights.length;
      if (work.encoder) weights.push(...blockWeights({ ...work.encoder, dim: channels }, 50));
      weights.push(randn([side * side * channels, work.classes], 99));
      const input = tf.randomUniform([work.batch, work.side, work.side, 1], 0, 1, 'float32', 100);
      const loss = (w: Weights) => {
        let h = input as tf.Tensor4D;
        work.stages.forEach((stage, i) => {
          h = tf.maxPool(
            tf.relu(tf.conv2d(h, w[i] as tf.Tensor4D, 1, stage.pad)),
            stage.pool.size,
            stage.pool.stride,
            stage.pool.pad,
          );
        });
        const [b, s, , c] = h.shape;
        let flat: tf.Tensor = h;
        if (work.encoder)
          flat = tokenBlocks(tf.reshape(h, [b, s * s, c]) as tf.Tensor3D, w, encoderAt, {
            ...work.encoder,
            dim: c,
          });
        const logits = tf.matMul(
          tf.reshape(flat, [b, -1]) as tf.Tensor2D,
          w[w.length - 1] as tf.Tensor2D,
        );
        return tf.mean(tf.square(logits)) as tf.Scalar;
      };
      return { weights, input, loss };
    }
    case 'tokens': {
      const weights = [...blockWeights(work.blocks, 1), randn([work.blocks.dim, work.vocab], 99)];
      const input = tf.randomNormal([work.batch, work.seq, work.blocks.dim], 0, 1, 'float32', 100);
      const loss = (w: Weights) => {
        const h = tokenBlocks(input as tf.Tensor3D, w, 0, work.blocks);
        const logits = tf.matMul(
          tf.reshape(h, [work.batch * work.seq, work.blocks.dim]) as tf.Tensor2D,
          w[w.length - 1] as tf.Tensor2D,
        );
        return tf.mean(tf.square(logits)) as tf.Scalar;
      };
      return { weights, input, loss };
    }
  }
}

export interface ProbeBudget {
  /** A backend whose first (compiling) step takes longer than this is not timed further. */
  readonly firstStepLimitMs: number;
  /** Time to spend on timed steps per backend. */
  readonly timedMs: number;
  /** At most this many timed steps. */
  readonly maxSteps: number;
}

export const DEFAULT_PROBE_BUDGET: ProbeBudget = {
  firstStepLimitMs: 400,
  timedMs: 120,
  maxSteps: 8,
};

/**
 * Times the workload on the active backend: one untimed step (kernel compilation, uploads), then
 * steps enqueued back to back with one read-back at the end, as training does.
 */
export async function timeWorkload(
  name: ProbeBackend,
  work: ProbeWorkload,
  budget: ProbeBudget = DEFAULT_PROBE_BUDGET,
): Promise<ProbeMeasurement> {
  const prepared = prepare(work);
  const step = (): tf.Scalar =>
    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...w: tf.Tensor[]) => prepared.loss(w))(
        prepared.weights,
      );
      // One scalar that depends on every gradient, so nothing is skipped and one read-back waits for all.
      return tf.addN([value, ...grads.map((g) => tf.sum(g))]) as tf.Scalar;
    });
  const run = async (n: number): Promise<number> => {
    const t0 = performance.now();
    const outs: tf.Scalar[] = [];
    for (let i = 0; i < n; i++) outs.push(step());
    await outs[outs.length - 1]?.data();
    tf.dispose(outs);
    return performance.now() - t0;
  };
  const cleanUp = () => tf.dispose([...prepared.weights, prepared.input]);
  // The first step compiles the backend's kernels. Where that happens off the thread (WebGPU
  // pipelines) the probe stops waiting at the limit and cleans up when the step ends; where it
  // blocks the thread (WebGL shader linking) the limit can only be checked afterwards.
  const firstRun = run(1);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budget.firstStepLimitMs);
  });
  const first = await Promise.race([firstRun, limit]).catch((err: unknown) => {
    cleanUp();
    throw err;
  });
  clearTimeout(timer);
  if (first === null) {
    // By then the backend may have been released; its tensors go with it.
    const late = () => {
      try {
        cleanUp();
      } catch {
        /* the backend is gone */
      }
    };
    firstRun.then(late, late);
    return {
      name,
      msPerStep: null,
      note: `first step not done after ${formatMs(budget.firstStepLimitMs)}, not timed further`,
    };
  }
  try {
    if (first > budget.firstStepLimitMs)
      return {
        name,
        msPerStep: null,
        firstStepMs: first,
        note: `first step took ${formatMs(first)}, not timed further`,
      };
    const once = await run(1);
    const n = Math.max(
      1,
      Math.min(budget.maxSteps, Math.floor(budget.timedMs / Math.max(once, 0.01))),
    );
    if (n <= 1) return { name, msPerStep: once, firstStepMs: first };
    return { name, msPerStep: (await run(n)) / n, firstStepMs: first };
  } finally {
    cleanUp();
  }
}
