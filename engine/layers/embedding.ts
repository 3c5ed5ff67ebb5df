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

/** Up to this many rows the lookup is a one-hot product, whose gradient every backend has. */
const ONE_HOT_ROWS = 1024;

/**
 * Row lookup: ids of any shape `[...]` (int32) → `[..., dim]`; the gradient scatters into the rows.
 * Small tables use onehot(ids)·table: the same values, and its gradient is a matMul, where
 * `gather`'s needs UnsortedSegmentSum, which the WASM backend lacks.
 */
export function embeddingApply(
  table: tf.Tensor,
  ids: tf.Tensor,
  ctx: LayerContext,
  name: string,
): tf.Tensor {
  const t = ctx.quant.weight(table, 'embedding', `${name}/table`) as tf.Tensor2D;
  const [rows, dim] = t.shape;
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const flat =
    rows <= ONE_HOT_ROWS
      ? tf.matMul(tf.oneHot(tf.cast(flatIds, 'int32'), rows), t)
      : tf.gather(t, flatIds);
  return tf.reshape(flat, [...ids.shape, dim]);
}
