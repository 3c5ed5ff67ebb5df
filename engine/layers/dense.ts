import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../config';
import type { ParamInits, Role } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { activate, fusable } from './activations';
import type { LayerContext } from './context';

export interface DenseSpec {
  readonly inputs: number;
  readonly units: number;
  /** Role of the kernel: `kernel` for hidden layers, `head` for the output layer. */
  readonly role?: Extract<Role, 'kernel' | 'head' | 'router'>;
  /** Scale of the initial weights: 'he' (ReLU family) or 'glorot' (tanh, sigmoid, linear). */
  readonly init: 'he' | 'glorot';
}

/**
 * Dense layer, kernel in the TF.js layout `[in, out]`: y = act(x·W + b).
 * Init: He normal, std √(2/in), or Glorot normal, std √(2/(in+out)); bias zero.
 */
export function denseInit(rng: Rng, spec: DenseSpec): ParamInits {
  const std =
    spec.init === 'he' ? Math.sqrt(2 / spec.inputs) : Math.sqrt(2 / (spec.inputs + spec.units));
  const w = new Float32Array(spec.inputs * spec.units);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  return {
    w: { role: spec.role ?? 'kernel', shape: [spec.inputs, spec.units], values: w },
    b: { role: 'bias', shape: [spec.units], values: new Float32Array(spec.units) },
  };
}

/**
 * Applies a dense layer. With the identity quantizer, x·W + b and the activation run as one
 * fused kernel where the backend has it; otherwise the quantizer sees the weight, the input and
 * the product. `name` identifies the layer to quantizers and buffers.
 */
export function denseApply(
  params: NamedTensors,
  x: tf.Tensor2D,
  activation: Activation,
  ctx: LayerContext,
  name: string,
  role: Extract<Role, 'kernel' | 'head' | 'router'> = 'kernel',
): tf.Tensor2D {
  const b = params.b;
  const w = ctx.quant.weight(params.w, role, `${name}/w`) as tf.Tensor2D;
  const input = ctx.quant.activation(x, name) as tf.Tensor2D;
  if (w === params.w && input === x && fusable(activation)) {
    return tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
  }
  const z = tf.add(ctx.quant.matMul(input, w, name), b) as tf.Tensor2D;
  return activate(activation, z) as tf.Tensor2D; // activations keep the shape
}
