import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits, Role } from '../params';
import type { Rng } from '../rng';
import type { LayerContext } from './context';

/** A kernel `[inputs, units]` drawn from N(0, std²), with an optional zero bias. */
export function linearInit(
  rng: Rng,
  inputs: number,
  units: number,
  { std = Math.sqrt(1 / inputs), role = 'kernel' as Role, bias = true } = {},
): ParamInits {
  const w = new Float32Array(inputs * units);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  const out: Record<string, ParamInits[string]> = {
    w: { role, shape: [inputs, units], values: w },
  };
  if (bias) out.b = { role: 'bias', shape: [units], values: new Float32Array(units) };
  return out;
}

/**
 * y = x·W (+ b) over the last axis of an input of any rank: `[..., in]` → `[..., out]`. The
 * quantizer sees the weight, the input and the product, as in `denseApply`.
 */
export function linearApply(
  w: tf.Tensor,
  x: tf.Tensor,
  ctx: LayerContext,
  name: string,
  { bias, role = 'kernel' }: { bias?: tf.Tensor; role?: Role } = {},
): tf.Tensor {
  const [inputs, units] = w.shape;
  const x2 = tf.reshape(x, [-1, inputs]) as tf.Tensor2D;
  const wq = ctx.quant.weight(w, role, `${name}/w`) as tf.Tensor2D;
  let y: tf.Tensor = ctx.quant.matMul(ctx.quant.activation(x2, name) as tf.Tensor2D, wq, name);
  if (bias) y = tf.add(y, bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), units]);
}
