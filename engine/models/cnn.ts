import * as tf from '@tensorflow/tfjs-core';
import type { CnnConfig } from './schema';
import { conv2dApply, conv2dInit } from '../layers/conv2d';
import { denseApply, denseInit } from '../layers/dense';
import { maxPool } from '../layers/max-pool';
import { normApply, normInit } from '../layers/norm/index';
import { prefixed, scope, type ParamInits } from '../params';
import { softmaxCrossEntropy } from '../losses';
import type { Model } from './model';

export interface ImageShape {
  readonly side: number;
  readonly channels: number;
  readonly classes: number;
}

/**
 * A small CNN: per entry c of `channels`, Conv(3×3, same, c filters) → norm → ReLU → MaxPool(2, 2);
 * then flatten and a linear head. The norm sits after the conv (docs/algorithms.md#normalization);
 * a conv before a norm
 * has no bias. `weightStandardization` standardizes every conv kernel (variant C).
 */
export function cnnModel(config: CnnConfig, shape: ImageShape): Model<tf.Tensor4D, tf.Tensor2D> {
  const bias = config.norm === 'none';
  let side = shape.side;
  for (let i = 0; i < config.channels.length; i++) side = Math.floor(side / 2);
  const flat = side * side * config.channels[config.channels.length - 1];
  if (flat === 0)
    throw new Error(
      `${config.channels.length} pooling layers shrink a ${shape.side}-pixel image to nothing`,
    );
  return {
    init(rng) {
      let inits: ParamInits = {};
      let inputs = shape.channels;
      config.channels.forEach((filters, i) => {
        inits = {
          ...inits,
          ...prefixed(`conv${i}`, conv2dInit(rng, { size: 3, inputs, filters, bias })),
        };
        inits = { ...inits, ...prefixed(`norm${i}`, normInit(config.norm, filters)) };
        inputs = filters;
      });
      return {
        ...inits,
        ...prefixed(
          'head',
          denseInit(rng, { inputs: flat, units: shape.classes, role: 'head', init: 'glorot' }),
        ),
      };
    },
    apply(params, x, ctx) {
      let h = x;
      config.channels.forEach((_, i) => {
        const conv = scope(params, `conv${i}`);
        const standardize = config.weightStandardization;
        // Without a norm the ReLU runs fused with the convolution and its bias.
        const a =
          config.norm === 'none'
            ? conv2dApply(conv, h, ctx, `conv${i}`, { standardize, activation: 'relu' })
            : (tf.relu(
                normApply(
                  config.norm,
                  scope(params, `norm${i}`),
                  conv2dApply(conv, h, ctx, `conv${i}`, { standardize }),
                  ctx,
                  `norm${i}`,
                ),
              ) as tf.Tensor4D);
        h = maxPool(a, 2, 2, 'valid');
      });
      const logits = denseApply(
        scope(params, 'head'),
        tf.reshape(h, [h.shape[0], flat]),
        'linear',
        ctx,
        'head',
        'head',
      );
      return { logits, routing: [] };
    },
    lossFn: softmaxCrossEntropy,
  };
}
