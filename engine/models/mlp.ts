import type * as tf from '@tensorflow/tfjs-core';
import type { MlpConfig as ModelConfig } from './schema';
import type { LayerContext } from '../layers/context';
import { denseApply, denseInit } from '../layers/dense';
import { prefixed, scope, type ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';

export interface MlpShape {
  readonly inputs: number;
  readonly outputs: number;
}

/** A multi-layer perceptron: hidden dense layers with one activation, then a linear head. */
export function mlpInit(rng: Rng, model: ModelConfig, shape: MlpShape): ParamInits {
  const widths = [shape.inputs, ...model.hidden];
  const init = model.activation === 'relu' || model.activation === 'gelu' ? 'he' : 'glorot';
  let inits: ParamInits = {};
  for (let i = 0; i < model.hidden.length; i++) {
    inits = { ...inits, ...prefixed(`dense${i}`, denseInit(rng, { inputs: widths[i], units: widths[i + 1], init })) };
  }
  const head = denseInit(rng, { inputs: widths[widths.length - 1], units: shape.outputs, role: 'head', init: 'glorot' });
  return { ...inits, ...prefixed('head', head) };
}

/** Logits (or regression outputs) of shape [batch, outputs]. */
export function mlpApply(params: NamedTensors, model: ModelConfig, x: tf.Tensor2D, ctx: LayerContext): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < model.hidden.length; i++) {
    h = denseApply(scope(params, `dense${i}`), h, model.activation, ctx, `dense${i}`);
  }
  return denseApply(scope(params, 'head'), h, 'linear', ctx, 'head', 'head');
}
