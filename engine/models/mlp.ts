import * as tf from '@tensorflow/tfjs-core';
import type { MlpConfig as ModelConfig } from './schema';
import { activate } from '../layers/activations';
import type { LayerContext } from '../layers/context';
import { denseApply, denseInit } from '../layers/dense';
import { normApply, normInit, standardizeWeight } from '../layers/norm/index';
import { prefixed, scope, type ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { softmaxCrossEntropy } from '../losses';
import type { Model } from './model';

export interface MlpShape {
  readonly inputs: number;
  readonly outputs: number;
}

/** A multi-layer perceptron: hidden dense layers (each optionally normalized), then a linear head. */
export function mlpInit(rng: Rng, model: ModelConfig, shape: MlpShape): ParamInits {
  const widths = [shape.inputs, ...model.hidden];
  const init = model.activation === 'relu' || model.activation === 'gelu' ? 'he' : 'glorot';
  let inits: ParamInits = {};
  for (let i = 0; i < model.hidden.length; i++) {
    inits = {
      ...inits,
      ...prefixed(`dense${i}`, denseInit(rng, { inputs: widths[i], units: widths[i + 1], init })),
    };
    inits = { ...inits, ...prefixed(`norm${i}`, normInit(model.norm ?? 'none', widths[i + 1])) };
  }
  const head = denseInit(rng, {
    inputs: widths[widths.length - 1],
    units: shape.outputs,
    role: 'head',
    init: 'glorot',
  });
  return { ...inits, ...prefixed('head', head) };
}

/**
 * The output of each hidden layer, [batch, units] each. With a norm, each hidden layer is
 * act(N(x·Ŵ + b)): the norm after the Linear and before the activation
 * (docs/algorithms.md#normalization), Ŵ the
 * standardized kernel when `weightStandardization` is on.
 */
export function mlpHidden(
  params: NamedTensors,
  model: ModelConfig,
  x: tf.Tensor2D,
  ctx: LayerContext,
): tf.Tensor2D[] {
  const norm = model.norm ?? 'none';
  const out: tf.Tensor2D[] = [];
  let h = x;
  for (let i = 0; i < model.hidden.length; i++) {
    const p = scope(params, `dense${i}`);
    const layer = model.weightStandardization ? { ...p, w: standardizeWeight(p.w) } : p;
    if (norm === 'none') {
      h = denseApply(layer, h, model.activation, ctx, `dense${i}`);
    } else {
      const z = denseApply(layer, h, 'linear', ctx, `dense${i}`);
      h = activate(
        model.activation,
        normApply(norm, scope(params, `norm${i}`), z, ctx, `norm${i}`),
      ) as tf.Tensor2D;
    }
    out.push(h);
  }
  return out;
}

/** Logits (or regression outputs) of shape [batch, outputs]: the head on the last hidden layer. */
export function mlpApply(
  params: NamedTensors,
  model: ModelConfig,
  x: tf.Tensor2D,
  ctx: LayerContext,
): tf.Tensor2D {
  const hidden = mlpHidden(params, model, x, ctx);
  const h = hidden.length > 0 ? hidden[hidden.length - 1] : x;
  return denseApply(scope(params, 'head'), h, 'linear', ctx, 'head', 'head');
}

/** The MLP as a `Model` on flat inputs `[batch, inputs]`. */
export function mlpModel(config: ModelConfig, shape: MlpShape): Model<tf.Tensor2D, tf.Tensor2D> {
  return {
    init: (rng) => mlpInit(rng, config, shape),
    apply: (params, x, ctx) => ({ logits: mlpApply(params, config, x, ctx), routing: [] }),
    lossFn: softmaxCrossEntropy,
  };
}
