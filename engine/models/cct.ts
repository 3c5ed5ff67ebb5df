import * as tf from '@tensorflow/tfjs-core';
import type { CctConfig } from './schema';
import { conv2dApply, conv2dInit } from '../layers/conv2d';
import { denseApply, denseInit } from '../layers/dense';
import { embeddingInit } from '../layers/embedding';
import { maxPool } from '../layers/max-pool';
import { normApply, normInit } from '../layers/norm/index';
import { sequencePoolApply, sequencePoolInit } from '../layers/sequence-pool';
import { blockApply, blockInit, type BlockSpec } from '../layers/transformer-block';
import { prefixed, scope, type ParamInits } from '../params';
import type { ImageShape } from './cnn';
import { softmaxCrossEntropy } from '../losses';
import type { Model } from './model';

/** Side after one tokenizer pool: MaxPool(3, stride 2, pad 1) gives ⌊(s + 2 − 3)/2⌋ + 1. */
const pooled = (side: number) => Math.floor((side - 1) / 2) + 1;

/**
 * Compact Convolutional Transformer (Hassani et al. 2021; docs/algorithms.md#models), reference
 * order:
 * 1. Tokenizer: `convLayers` × [Conv(3×3, s1, p1, no bias) → ReLU → MaxPool(3, s2, p1)], the last
 *    conv with d channels (earlier ones d/2); H×W positions become tokens of width d (28 → 7: 49).
 * 2. A learnable positional embedding, then encoder blocks x ← x + Attn(N(x)); x ← N(x); x ← x + MLP(x).
 * 3. Final norm, sequence pooling, linear head. No class token, dropout 0.
 */
export function cctModel(config: CctConfig, shape: ImageShape): Model<tf.Tensor4D, tf.Tensor2D> {
  const d = config.dim;
  let side = shape.side;
  for (let i = 0; i < config.convLayers; i++) side = pooled(side);
  const tokens = side * side;
  const widths = Array.from({ length: config.convLayers }, (_, i) =>
    i === config.convLayers - 1 ? d : Math.max(1, d >> 1),
  );
  const block: BlockSpec = {
    dim: d,
    heads: config.heads,
    causal: false,
    mlpRatio: config.mlpRatio,
    norm: config.norm,
    order: 'cct',
  };
  return {
    init(rng) {
      let inits: ParamInits = {};
      let inputs = shape.channels;
      widths.forEach((filters, i) => {
        inits = {
          ...inits,
          ...prefixed(`tok${i}`, conv2dInit(rng, { size: 3, inputs, filters, bias: false })),
        };
        inputs = filters;
      });
      inits = { ...inits, ...prefixed('pos', embeddingInit(rng, tokens, d, 0.1)) };
      for (let l = 0; l < config.layers; l++)
        inits = { ...inits, ...prefixed(`block${l}`, blockInit(rng, block)) };
      return {
        ...inits,
        ...prefixed('norm', normInit(config.norm, d)),
        ...prefixed('pool', sequencePoolInit(rng, d)),
        ...prefixed(
          'head',
          denseInit(rng, { inputs: d, units: shape.classes, role: 'head', init: 'glorot' }),
        ),
      };
    },
    apply(params, x, ctx) {
      let h = x;
      widths.forEach((_, i) => {
        h = maxPool(
          conv2dApply(scope(params, `tok${i}`), h, ctx, `tok${i}`, { pad: 1, activation: 'relu' }),
          3,
          2,
          1,
        );
      });
      const b = x.shape[0];
      let seq = tf.add(tf.reshape(h, [b, tokens, d]), params['pos/table']) as tf.Tensor3D;
      for (let l = 0; l < config.layers; l++)
        seq = blockApply(scope(params, `block${l}`), seq, block, ctx, `block${l}`).y;
      seq = tf.reshape(
        normApply(
          config.norm,
          scope(params, 'norm'),
          tf.reshape(seq, [b * tokens, d]),
          ctx,
          'norm',
        ),
        [b, tokens, d],
      );
      const z = sequencePoolApply(scope(params, 'pool'), seq, ctx, 'pool');
      return {
        logits: denseApply(scope(params, 'head'), z, 'linear', ctx, 'head', 'head'),
        routing: [],
      };
    },
    lossFn: softmaxCrossEntropy,
  };
}
