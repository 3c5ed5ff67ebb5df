import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import { inferenceContext } from '../layers/context';
import { createRng, type Rng } from '../rng';
import type { Task } from '../tasks/task';
import type { NamedTensors } from '../tree';

/**
 * Hessian diagnostics by finite differences of gradients (docs/algorithms.md#hessian-eigenvalues,
 * after PyHessian). TF.js
 * second-order gradients are unreliable, so every Hessian-vector product is
 * Hv ≈ [∇L(θ+εv) − ∇L(θ−εv)] / (2ε), exact for quadratics.
 */

/** A Hessian-vector product on flat vectors; may be async (it reads tensors back). */
export type Hvp = (v: Float64Array) => Float64Array | Promise<Float64Array>;

/**
 * Hv by central differences of gradients: [∇L(θ+εv) − ∇L(θ−εv)] / (2ε). `lossFn` maps named
 * parameters to a scalar; `v` has the parameters' names and shapes (unit norm is the caller's
 * choice: docs/algorithms.md#hessian-eigenvalues uses unit v, ε = 1e-3). Returns new tensors the
 * caller disposes.
 */
export function hessianVectorProduct(
  lossFn: (params: NamedTensors) => tf.Scalar,
  params: NamedTensors,
  v: NamedTensors,
  eps = 1e-3,
): NamedTensors {
  const names = Object.keys(params);
  return tf.tidy(() => {
    const grad = (sign: number): tf.Tensor[] => {
      const shifted = names.map((n) => tf.add(params[n], tf.mul(v[n], sign * eps)));
      const f = (...ps: tf.Tensor[]) => lossFn(Object.fromEntries(names.map((n, i) => [n, ps[i]])));
      return tf.grads(f)(shifted);
    };
    const plus = grad(1);
    const minus = grad(-1);
    return Object.fromEntries(names.map((n, i) => [n, tf.div(tf.sub(plus[i], minus[i]), 2 * eps)]));
  });
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalize(a: Float64Array): Float64Array {
  const n = Math.sqrt(dot(a, a));
  return n > 0 ? a.map((x) => x / n) : a;
}

function randomUnit(dim: number, rng?: Rng): Float64Array {
  const r = rng ?? createRng(0);
  const v = new Float64Array(dim);
  for (let i = 0; i < dim; i++) v[i] = r.normal();
  return normalize(v);
}

export interface PowerIterationOptions {
  readonly maxIter?: number;
  readonly tol?: number;
  /** Start vector (normalized here); default: random from `rng`. */
  readonly v0?: Float64Array;
  readonly rng?: Rng;
}

export interface PowerIterationResult {
  /** The latest Rayleigh quotient vᵀHv (PyHessian returns the previous one at the break). */
  readonly eigenvalue: number;
  readonly eigenvector: Float64Array;
  /** Rayleigh quotient of each iteration. */
  readonly history: readonly number[];
  readonly converged: boolean;
}

/**
 * Power iteration for the top (largest-magnitude) Hessian eigenvalue: each iteration
 * w = Hv; λ = vᵀw; v = w/‖w‖; stop when |Δλ|/(|λ|+1e-6) < tol. Defaults maxIter=100, tol=1e-3.
 */
export async function powerIteration(
  hvp: Hvp,
  dim: number,
  options: PowerIterationOptions = {},
): Promise<PowerIterationResult> {
  const { maxIter = 100, tol = 1e-3 } = options;
  let v = options.v0 ? normalize(Float64Array.from(options.v0)) : randomUnit(dim, options.rng);
  const history: number[] = [];
  for (let i = 0; i < maxIter; i++) {
    const w = await hvp(v);
    const lambda = dot(v, w);
    history.push(lambda);
    v = normalize(w);
    if (i > 0) {
      const prev = history[i - 1];
      if (Math.abs(lambda - prev) / (Math.abs(lambda) + 1e-6) < tol)
        return { eigenvalue: lambda, eigenvector: v, history, converged: true };
    }
  }
  return {
    eigenvalue: history[history.length - 1] ?? Number.NaN,
    eigenvector: v,
    history,
    converged: false,
  };
}

export interface LanczosResult {
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
  /** Eigenvalues of the tridiagonal T, ascending. */
  readonly ritzValues: readonly number[];
  /** (first component of each Ritz vector)², the spectral-density weights of SLQ. */
  readonly weights: readonly number[];
}

/**
 * Lanczos with full re-orthogonalization: m ≤ 30 steps build T = tridiag(β, α, β); its
 * eigenvalues are the Ritz values and the squared first components of its eigenvectors the
 * weights (stochastic Lanczos quadrature).
 */
export async function lanczos(
  hvp: Hvp,
  dim: number,
  m: number,
  options: { readonly v0?: Float64Array; readonly rng?: Rng } = {},
): Promise<LanczosResult> {
  const steps = Math.min(m, 30, dim);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = options.v0 ? normalize(Float64Array.from(options.v0)) : randomUnit(dim, options.rng);
  for (let j = 0; j < steps; j++) {
    basis.push(v);
    const w = Float64Array.from(await hvp(v));
    const a = dot(w, v);
    alpha.push(a);
    // Full re-orthogonalization against every earlier vector (twice is enough in float64).
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = dot(w, q);
        for (let i = 0; i < dim; i++) w[i] -= c * q[i];
      }
    }
    if (j === steps - 1) break;
    const b = Math.sqrt(dot(w, w));
    if (b < 1e-10) break;
    beta.push(b);
    v = w.map((x) => x / b);
  }
  const { values, vectors } = symmetricEigen(tridiagonal(alpha, beta));
  const order = values.map((_, i) => i).sort((i, k) => values[i] - values[k]);
  return {
    alpha,
    beta,
    ritzValues: order.map((i) => values[i]),
    weights: order.map((i) => vectors[0][i] ** 2),
  };
}

function tridiagonal(alpha: readonly number[], beta: readonly number[]): number[][] {
  const k = alpha.length;
  const t = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    t[i][i] = alpha[i];
    if (i + 1 < k) t[i][i + 1] = t[i + 1][i] = beta[i];
  }
  return t;
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix; vectors[r][c] is component r of vector c. */
export function symmetricEigen(matrix: readonly (readonly number[])[]): {
  values: number[];
  vectors: number[][];
} {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const vec: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vec[k][p];
          const vkq = vec[k][q];
          vec[k][p] = c * vkp - s * vkq;
          vec[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: vec };
}

/**
 * A flat-vector HVP for a task's mean loss on a fixed batch (`indices`), in inference mode
 * (BN running statistics, no dropout) unless `ctx` says otherwise. Reads each product back with
 * one async `data()`.
 */
export function taskHvp(
  task: Task,
  params: NamedTensors,
  indices: readonly number[],
  options: { readonly eps?: number; readonly ctx?: LayerContext } = {},
): { hvp: Hvp; dim: number } {
  const names = Object.keys(params);
  const shapes = names.map((n) => params[n].shape);
  const sizes = names.map((n) => params[n].size);
  const dim = sizes.reduce((a, b) => a + b, 0);
  const ctx = options.ctx ?? inferenceContext();
  const idx = Int32Array.from(indices);
  const lossFn = (p: NamedTensors): tf.Scalar =>
    task.batchLoss(p, tf.tensor1d(idx, 'int32'), ctx, 1);
  const hvp: Hvp = async (v) => {
    const out = tf.tidy(() => {
      let offset = 0;
      const named: Record<string, tf.Tensor> = {};
      names.forEach((n, i) => {
        named[n] = tf.tensor(
          Float32Array.from(v.subarray(offset, offset + sizes[i])),
          shapes[i],
          'float32',
        );
        offset += sizes[i];
      });
      const hv = hessianVectorProduct(lossFn, params, named, options.eps ?? 1e-3);
      return tf.concat(names.map((n) => tf.reshape(hv[n], [-1])));
    });
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return Float64Array.from(values);
  };
  return { hvp, dim };
}

/** λ_max of a task's loss on a fixed batch by power iteration on finite-difference HVPs. */
export async function topHessianEigenvalue(
  task: Task,
  params: NamedTensors,
  indices: readonly number[],
  options: PowerIterationOptions & { readonly eps?: number; readonly ctx?: LayerContext } = {},
): Promise<PowerIterationResult> {
  const { hvp, dim } = taskHvp(task, params, indices, options);
  return powerIteration(hvp, dim, options);
}

/**
 * λ_max, the largest (algebraic) eigenvalue of the loss's Hessian on the training examples
 * `indices`: the largest Ritz value of `maxIter` Lanczos steps (at most 30). Not power iteration:
 * away from a minimum the Hessian is indefinite, power iteration returns the eigenvalue largest
 * in magnitude (often a negative one at initialization), and shifting it away converges slowly
 * when the bulk of the spectrum sits near zero. Lanczos resolves both ends of the spectrum.
 */
export async function largestHessianEigenvalue(
  task: Task,
  params: NamedTensors,
  indices: readonly number[],
  options: PowerIterationOptions & { readonly eps?: number; readonly ctx?: LayerContext } = {},
): Promise<number> {
  const { hvp, dim } = taskHvp(task, params, indices, options);
  const r = await lanczos(hvp, dim, options.maxIter ?? 20, { rng: options.rng });
  return Math.max(...r.ritzValues);
}

export interface BatchHessianPoint {
  readonly batchSize: number;
  /** λ_max per sampled batch, and their mean. */
  readonly values: readonly number[];
  readonly mean: number;
}

/**
 * The batch-Hessian curve (RMT): λ_max (the largest eigenvalue, not the largest in magnitude) of
 * the loss on random batches of size B for each B,
 * `batches` batches each, drawn without replacement from the training set by `rng`.
 */
export async function batchHessianCurve(
  task: Task,
  params: NamedTensors,
  batchSizes: readonly number[],
  rng: Rng,
  options: PowerIterationOptions & {
    readonly batches?: number;
    readonly eps?: number;
    readonly ctx?: LayerContext;
  } = {},
): Promise<BatchHessianPoint[]> {
  const out: BatchHessianPoint[] = [];
  for (const b of batchSizes) {
    const values: number[] = [];
    for (let k = 0; k < (options.batches ?? 2); k++) {
      const indices = sampleIndices(task.trainCount, Math.min(b, task.trainCount), rng);
      values.push(await largestHessianEigenvalue(task, params, indices, { ...options, rng }));
    }
    out.push({ batchSize: b, values, mean: values.reduce((s, x) => s + x, 0) / values.length });
  }
  return out;
}

/** k distinct indices of [0, n), drawn by `rng` (a partial Fisher–Yates shuffle). */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}
