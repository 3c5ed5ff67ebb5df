import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { LayerContext } from './context';

/** A table `[count, dim]` of N(0, std²) rows (GPT-2 uses std 0.02), role `embedding`. */
export function embeddingInit(rng: Rng, count: number, dim: number, std = 0.02): ParamInits {
  const table = new Float32Array(count * dim);
  for (let i = 0; i < table.length; i++) table[i] = std * rng.normal();
  return { table: { role: 'embedding', shape: [count, dim], values: table } };
}

/** Row lookup: ids of any shape `[...]` (int32) → `[..., dim]`; the gradient scatters into the rows. */
export function embeddingApply(table: tf.Tensor, ids: tf.Tensor, ctx: LayerContext, name: string): tf.Tensor {
  const t = ctx.quant.weight(table, 'embedding', `${name}/table`) as tf.Tensor2D;
  const flat = tf.gather(t, tf.reshape(ids, [-1]));
  return tf.reshape(flat, [...ids.shape, t.shape[1]]);
}
