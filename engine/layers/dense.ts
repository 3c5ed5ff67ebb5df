import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../config';
import type { ParamInits, Role } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { activate, fusable } from './activations';

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
  const std = spec.init === 'he' ? Math.sqrt(2 / spec.inputs) : Math.sqrt(2 / (spec.inputs + spec.units));
  const w = new Float32Array(spec.inputs * spec.units);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  return {
    w: { role: spec.role ?? 'kernel', shape: [spec.inputs, spec.units], values: w },
    b: { role: 'bias', shape: [spec.units], values: new Float32Array(spec.units) },
  };
}

export function denseApply(params: NamedTensors, x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  const w = params.w as tf.Tensor2D;
  const b = params.b;
  if (fusable(activation)) {
    // One fused matMul + bias + activation kernel where the backend has it.
    return tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
  }
  return activate(activation, tf.fused.matMul({ a: x, b: w, bias: b })) as tf.Tensor2D; // activation keeps the shape
}
