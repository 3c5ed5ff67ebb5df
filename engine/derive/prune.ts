import * as tf from '@tensorflow/tfjs-core';
import { mlpHidden } from '../models/mlp';
import type { MlpConfig } from '../models/schema';
import type { LayerContext } from '../layers/context';
import type { NamedTensors } from '../tree';

/**
 * Width pruning of an MLP by activation importance (Minitron, docs/algorithms.md#derived-runs):
 * a hidden unit's importance is its mean |activation| over a calibration batch; each layer keeps
 * its most important units, and the weights into and out of the dropped ones are sliced away.
 */

/** A parameter as a snapshot holds it. */
export interface PlainParam {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Mean |activation| of every unit of every hidden layer over the rows of `x`, one array a layer. */
export async function activationImportance(
  params: NamedTensors,
  model: MlpConfig,
  x: tf.Tensor2D,
  ctx: LayerContext,
): Promise<Float32Array[]> {
  const means = tf.tidy(() => mlpHidden(params, model, x, ctx).map((h) => tf.mean(tf.abs(h), 0)));
  const out = await Promise.all(means.map(async (m) => new Float32Array(await m.data())));
  tf.dispose(means);
  return out;
}

/** The indices of the `k` largest scores, in ascending index order (ties: the lower index). */
export function topUnits(scores: Float32Array, k: number): number[] {
  if (k > scores.length) throw new Error(`cannot keep ${k} of ${scores.length} units`);
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).sort((a, b) => a - b);
}

/** Columns `keep` of a row-major [rows, cols] matrix. */
function columns(p: PlainParam, keep: readonly number[]): PlainParam {
  const [rows, cols] = p.shape;
  const out = new Float32Array(rows * keep.length);
  for (let r = 0; r < rows; r++)
    keep.forEach((c, j) => (out[r * keep.length + j] = p.values[r * cols + c]));
  return { shape: [rows, keep.length], values: out };
}

/** Rows `keep` of a row-major [rows, cols] matrix (or entries of a vector). */
function rows(p: PlainParam, keep: readonly number[]): PlainParam {
  const cols = p.shape.length > 1 ? p.shape[1] : 1;
  const out = new Float32Array(keep.length * cols);
  keep.forEach((r, j) => out.set(p.values.subarray(r * cols, (r + 1) * cols), j * cols));
  return { shape: p.shape.length > 1 ? [keep.length, cols] : [keep.length], values: out };
}

/**
 * The MLP's parameters with hidden layer i cut to the units `keep[i]`: dense{i}'s kernel columns
 * and bias entries, and the matching rows of the next layer's kernel (or the head's). Other
 * parameters are returned as they are. Only MLPs without a norm layer: a norm over the layer
 * would change meaning when units leave it.
 */
export function pruneMlp(
  params: Readonly<Record<string, PlainParam>>,
  keep: readonly (readonly number[])[],
): Record<string, PlainParam> {
  const out: Record<string, PlainParam> = { ...params };
  keep.forEach((units, i) => {
    const next = i + 1 < keep.length ? `dense${i + 1}/w` : 'head/w';
    for (const name of [`dense${i}/w`, `dense${i}/b`, next])
      if (!params[name]) throw new Error(`the parent has no parameter ${name} to prune`);
    out[`dense${i}/w`] = columns(out[`dense${i}/w`], units);
    out[`dense${i}/b`] = rows(out[`dense${i}/b`], units);
    out[next] = rows(out[next], units);
  });
  return out;
}
