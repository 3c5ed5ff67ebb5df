import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../optim/schema';
import { momentPerParameter } from '../optim/flatten';
import type { NamedTensors, StateTree } from '../tree';
import type { Hvp } from './hessian';

/**
 * Preconditioned sharpness for Adam (Cohen et al., 2022, "Adaptive gradient methods at the edge
 * of stability", https://arxiv.org/abs/2207.14484): λ_max(P⁻¹H) with P = diag(√v̂ + ε), the
 * preconditioner of Adam's step, found as λ_max of the symmetric P^(-1/2) H P^(-1/2).
 */

type Rec = { readonly [key: string]: StateTree };
const isRecord = (x: StateTree): x is Rec =>
  typeof x === 'object' && !(x instanceof tf.Tensor) && !Array.isArray(x);

/** The Adam moment record `{count, mu, nu}` somewhere in an optimizer's state tree. */
function findAdamState(tree: StateTree): Rec | null {
  if (Array.isArray(tree)) {
    for (const x of tree as readonly StateTree[]) {
      const found = findAdamState(x);
      if (found) return found;
    }
    return null;
  }
  if (!isRecord(tree)) return null;
  if (typeof tree.count === 'number' && isRecord(tree.nu)) return tree;
  for (const x of Object.values(tree)) {
    const found = findAdamState(x);
    if (found) return found;
  }
  return null;
}

/**
 * √v̂ + ε of Adam or AdamW as one flat vector in the order of `params`' names (the order of the
 * Hessian-vector products), read from the optimizer state; null for other optimizers and before
 * the first step.
 */
export async function adamPreconditioner(
  state: StateTree,
  optimizer: OptimizerConfig,
  params: NamedTensors,
): Promise<Float64Array | null> {
  if (optimizer.kind !== 'adam' && optimizer.kind !== 'adamw') return null;
  const adam = findAdamState(state);
  if (!adam || typeof adam.count !== 'number' || adam.count < 1 || !isRecord(adam.nu)) return null;
  const nu = adam.nu;
  const c2 = 1 / (1 - optimizer.beta2 ** adam.count);
  // Saved per parameter or grouped by `flattened`: read in the order of `params` (empty when the
  // state does not match them).
  const flat = tf.tidy(() => {
    const perParam = momentPerParameter(nu, params);
    if (!perParam) return tf.zeros([0]);
    const parts = Object.keys(params).map((n) => tf.reshape(perParam[n], [-1]));
    return tf.add(tf.sqrt(tf.mul(tf.concat(parts), c2)), optimizer.eps);
  });
  if (flat.size === 0) {
    flat.dispose();
    return null;
  }
  const values = Float64Array.from((await flat.data()) as Float32Array);
  flat.dispose();
  return values;
}

/** v ↦ P^(-1/2) H P^(-1/2) v for a diagonal P given by its entries. */
export function preconditionedHvp(hvp: Hvp, p: Float64Array): Hvp {
  const d = p.map((x) => 1 / Math.sqrt(x));
  return async (v) => {
    const hv = await hvp(v.map((x, i) => x * d[i]));
    return hv.map((x, i) => x * d[i]);
  };
}
