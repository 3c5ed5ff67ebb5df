import * as tf from '@tensorflow/tfjs-core';
import { prefixed, scope, type ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { activate } from './activations';
import type { LayerContext } from './context';
import { linearApply, linearInit } from './linear';
import { route, type RouterStats } from './moe-routing';

export interface MoeSpec {
  readonly dim: number;
  /** Hidden width of each expert's FFN. */
  readonly hidden: number;
  readonly experts: number;
  readonly topK: number;
  /** 0: dropless. */
  readonly capacityFactor: number;
}

/** Router W_r `[d, N_E]` (role `router`, N(0, 0.02²)) and N_E FFN experts d → hidden → d. */
export function moeInit(rng: Rng, spec: MoeSpec): ParamInits {
  let inits: ParamInits = prefixed(
    'router',
    linearInit(rng, spec.dim, spec.experts, { std: 0.02, role: 'router', bias: false }),
  );
  for (let i = 0; i < spec.experts; i++) {
    inits = {
      ...inits,
      ...prefixed(
        `expert${i}/fc1`,
        linearInit(rng, spec.dim, spec.hidden, { std: Math.sqrt(2 / spec.dim) }),
      ),
      ...prefixed(
        `expert${i}/fc2`,
        linearInit(rng, spec.hidden, spec.dim, { std: Math.sqrt(1 / spec.hidden) }),
      ),
    };
  }
  return inits;
}

/**
 * Mixture-of-experts FFN on tokens x `[T, d]`: p = softmax(x·W_r), y_t = Σ_{i∈TopK(t)} ĝ_{t,i}·E_i(x_t)
 * with E_i(x) = GELU(x·W1_i + b1_i)·W2_i + b2_i (see `route` for gates and capacity). Every expert
 * runs on every token and the gates mask the result: exact and simple at playground sizes.
 * Returns the output beside the router statistics, from which the caller builds the LBL.
 */
export function moeApply(
  params: NamedTensors,
  x: tf.Tensor2D,
  spec: MoeSpec,
  ctx: LayerContext,
  name: string,
): { y: tf.Tensor2D; stats: RouterStats } {
  const logits = linearApply(scope(params, 'router').w, x, ctx, `${name}/router`, {
    role: 'router',
  }) as tf.Tensor2D;
  const { gates, stats } = route(tf.softmax(logits), spec.topK, spec.capacityFactor);
  const outputs: tf.Tensor[] = [];
  for (let i = 0; i < spec.experts; i++) {
    const p = (layer: string) => scope(params, `expert${i}/${layer}`);
    const h = activate(
      'gelu',
      linearApply(p('fc1').w, x, ctx, `${name}/expert${i}/fc1`, { bias: p('fc1').b }),
    );
    const out = linearApply(p('fc2').w, h, ctx, `${name}/expert${i}/fc2`, { bias: p('fc2').b });
    outputs.push(tf.mul(out, tf.slice(gates, [0, i], [-1, 1])));
  }
  return { y: tf.addN(outputs) as tf.Tensor2D, stats };
}
