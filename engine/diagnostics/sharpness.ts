import type { LayerContext } from '../layers/context';
import { createRng } from '../rng';
import type { Task } from '../tasks/task';
import type { NamedTensors } from '../tree';
import {
  batchHessianCurve,
  lanczos,
  powerIteration,
  sampleIndices,
  taskHvp,
  type BatchHessianPoint,
} from './hessian';
import { preconditionedHvp } from './preconditioned';

/**
 * Sharpness: λ_max, the top eigenvalue of the training loss's Hessian at the current weights
 * (Cohen et al., 2021, "Gradient descent on neural networks typically occurs at the edge of
 * stability", https://arxiv.org/abs/2103.00065). Measured on one fixed batch, drawn once from
 * its own seed, by power iteration or Lanczos on finite-difference Hessian-vector products.
 * Nothing of the run is touched: no weight, optimizer state, data cursor or run random state.
 */

export type SharpnessMethod = 'power' | 'lanczos';

export interface SharpnessOptions {
  /** Hessian-vector products at most (each costs two gradients). Default 20. */
  readonly iterations?: number;
  readonly method?: SharpnessMethod;
  /** Examples in the fixed batch (capped at the training set). Default 256. */
  readonly batchSize?: number;
  /** Relative change of the estimate at which power iteration stops. Default 1e-3. */
  readonly tol?: number;
  /** A diagonal preconditioner P (its entries): measure λ_max(P⁻¹H) instead of λ_max(H). */
  readonly preconditioner?: Float64Array | null;
}

export interface SharpnessMeasurement {
  readonly lambdaMax: number;
  readonly method: SharpnessMethod;
  /** Hessian-vector products used. */
  readonly iterations: number;
  readonly converged: boolean;
  readonly batchSize: number;
  /** Whether this is λ_max(P⁻¹H) of the optimizer's preconditioner. */
  readonly preconditioned: boolean;
}

/** Seed of the fixed batch and start vector: the same every time, independent of the run's seed. */
const SHARPNESS_SEED = 0x5eed;

/** The indices of the fixed batch sharpness is measured on. */
export function sharpnessBatch(trainCount: number, batchSize: number): number[] {
  return sampleIndices(trainCount, Math.min(batchSize, trainCount), createRng(SHARPNESS_SEED)).sort(
    (a, b) => a - b,
  );
}

/** λ_max of `task`'s mean loss on the fixed batch at `params` (read, never written). */
export async function measureSharpness(
  task: Task,
  params: NamedTensors,
  ctx: LayerContext,
  options: SharpnessOptions = {},
): Promise<SharpnessMeasurement> {
  const { iterations = 20, method = 'power', batchSize = 256, tol = 1e-3 } = options;
  const indices = sharpnessBatch(task.trainCount, batchSize);
  const plain = taskHvp(task, params, indices, { ctx });
  const pre = options.preconditioner ?? null;
  const hvp = pre ? preconditionedHvp(plain.hvp, pre) : plain.hvp;
  const dim = plain.dim;
  const preconditioned = pre !== null;
  const rng = createRng(SHARPNESS_SEED + 1);
  if (method === 'lanczos') {
    const r = await lanczos(hvp, dim, iterations, { rng });
    return {
      lambdaMax: Math.max(...r.ritzValues),
      method,
      iterations: r.alpha.length,
      converged: true,
      batchSize: indices.length,
      preconditioned,
    };
  }
  const r = await powerIteration(hvp, dim, { maxIter: iterations, tol, rng });
  return {
    lambdaMax: r.eigenvalue,
    method,
    iterations: r.history.length,
    converged: r.converged,
    batchSize: indices.length,
    preconditioned,
  };
}

/** λ_max against batch size on random batches of the training set, for the current weights. */
export function batchHessianAt(
  task: Task,
  params: NamedTensors,
  ctx: LayerContext,
  batchSizes: readonly number[],
  options: { readonly iterations?: number; readonly batches?: number } = {},
): Promise<BatchHessianPoint[]> {
  const rng = createRng(SHARPNESS_SEED + 2);
  return batchHessianCurve(task, params, batchSizes, rng, {
    maxIter: options.iterations ?? 20,
    batches: options.batches ?? 2,
    ctx,
  });
}
