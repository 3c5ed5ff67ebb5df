import * as tf from '@tensorflow/tfjs-core';
import type { CctConfig } from './schema';
import { conv2dApply, conv2dInit } from '../layers/conv2d';
import { denseApply, denseInit } from '../layers/dense';
import { embeddingInit } from '../layers/embedding';
import type { LayerContext } from '../layers/context';
import { linearApply, linearInit } from '../layers/linear';
import { maxPool } from '../layers/max-pool';
import { normApply, normInit } from '../layers/norm/index';
import { sequencePoolApply, sequencePoolInit } from '../layers/sequence-pool';
import { blockApply, blockInit, type BlockSpec } from '../layers/transformer-block';
import { prefixed, scope, type ParamInits } from '../params';
import type { ImageShape } from './cnn';
import { softmaxCrossEntropy } from '../losses';
import type { NamedTensors } from '../tree';
import type { Model } from './model';

/** Side after one tokenizer pool: MaxPool(3, stride 2, pad 1) gives ⌊(s + 2 − 3)/2⌋ + 1. */
const pooled = (side: number) => Math.floor((side - 1) / 2) + 1;

/**
 * NHWC images `[B, H, W, C]` cut into non-overlapping p×p squares (zero-padded at the bottom and
 * right to whole squares): `[B, ⌈H/p⌉·⌈W/p⌉, p·p·C]`, squares in row-major order, each row its
 * pixels row-major with channels last (ViT's patch flattening).
 */
export function patchRows(x: tf.Tensor4D, p: number): tf.Tensor3D {
  const [b, h, w, c] = x.shape;
  const [rows, cols] = [Math.ceil(h / p), Math.ceil(w / p)];
  const padded =
    rows * p > h || cols * p > w
      ? tf.pad(x, [
          [0, 0],
          [0, rows * p - h],
          [0, cols * p - w],
          [0, 0],
        ])
      : x;
  const cut = tf.reshape(padded, [b, rows, p, cols, p * c]);
  return tf.reshape(tf.transpose(cut, [0, 1, 3, 2, 4]), [b, rows * cols, p * p * c]);
}

/**
 * Compact Convolutional Transformer (Hassani et al. 2021; docs/algorithms.md#models), reference
 * order:
 * 1. Tokenizer: `convLayers` × [Conv(3×3, s1, p1, no bias) → ReLU → MaxPool(3, s2, p1)], the last
 *    conv with d channels (earlier ones d/2); H×W positions become tokens of width d (28 → 7: 49).
 * 2. A learnable positional embedding, then encoder blocks x ← x + Attn(N(x)); x ← N(x); x ← x + MLP(x).
 * 3. Final norm, sequence pooling, linear head. No class token, dropout 0.
 *
 * ViT-lite, the paper's baseline, is the same encoder with `tokenizer: 'patch'` (non-overlapping
 * squares of 2^convLayers pixels, zero-padded to whole squares, one linear map each: the same 49
 * tokens) and `pooling: 'class'` (a learned class token first in the sequence, read out after the
 * final norm).
 */
export function cctModel(config: CctConfig, shape: ImageShape): Model<tf.Tensor4D, tf.Tensor2D> {
  const d = config.dim;
  const tokenizer = config.tokenizer ?? 'conv';
  const pooling = config.pooling ?? 'sequence';
  let side = shape.side;
  for (let i = 0; i < config.convLayers; i++) side = pooled(side);
  const tokens = side * side;
  const length = tokens + (pooling === 'class' ? 1 : 0);
  const patch = 2 ** config.convLayers;
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

  /** `[B, tokens, d]` from the conv tokenizer. */
  const convTokens = (params: NamedTensors, x: tf.Tensor4D, ctx: LayerContext) => {
    let h: tf.Tensor4D = x;
    widths.forEach((_, i) => {
      h = maxPool(
        conv2dApply(scope(params, `tok${i}`), h, ctx, `tok${i}`, { pad: 1, activation: 'relu' }),
        3,
        2,
        1,
      );
    });
    return tf.reshape(h, [x.shape[0], tokens, d]) as tf.Tensor3D;
  };

  /** `[B, tokens, d]` from patches, each mapped to d by one linear layer. */
  const patchTokens = (params: NamedTensors, x: tf.Tensor4D, ctx: LayerContext) =>
    linearApply(params['patch/w'], patchRows(x, patch), ctx, 'patch', {
      bias: params['patch/b'],
    }) as tf.Tensor3D;

  return {
    init(rng) {
      let inits: ParamInits = {};
      if (tokenizer === 'conv') {
        let inputs = shape.channels;
        widths.forEach((filters, i) => {
          inits = {
            ...inits,
            ...prefixed(`tok${i}`, conv2dInit(rng, { size: 3, inputs, filters, bias: false })),
          };
          inputs = filters;
        });
      } else {
        inits = prefixed('patch', linearInit(rng, patch * patch * shape.channels, d));
      }
      if (pooling === 'class') inits = { ...inits, ...prefixed('cls', embeddingInit(rng, 1, d)) };
      inits = { ...inits, ...prefixed('pos', embeddingInit(rng, length, d, 0.1)) };
      for (let l = 0; l < config.layers; l++)
        inits = { ...inits, ...prefixed(`block${l}`, blockInit(rng, block)) };
      return {
        ...inits,
        ...prefixed('norm', normInit(config.norm, d)),
        ...(pooling === 'sequence' ? prefixed('pool', sequencePoolInit(rng, d)) : {}),
        ...prefixed(
          'head',
          denseInit(rng, { inputs: d, units: shape.classes, role: 'head', init: 'glorot' }),
        ),
      };
    },
    apply(params, x, ctx) {
      const b = x.shape[0];
      let seq = tokenizer === 'conv' ? convTokens(params, x, ctx) : patchTokens(params, x, ctx);
      if (pooling === 'class') {
        const cls = tf.tile(tf.reshape(params['cls/table'], [1, 1, d]), [b, 1, 1]) as tf.Tensor3D;
        seq = tf.concat([cls, seq], 1);
      }
      seq = tf.add(seq, params['pos/table']);
      for (let l = 0; l < config.layers; l++)
        seq = blockApply(scope(params, `block${l}`), seq, block, ctx, `block${l}`).y;
      seq = tf.reshape(
        normApply(
          config.norm,
          scope(params, 'norm'),
          tf.reshape(seq, [b * length, d]),
          ctx,
          'norm',
        ),
        [b, length, d],
      );
      const z =
        pooling === 'sequence'
          ? sequencePoolApply(scope(params, 'pool'), seq, ctx, 'pool')
          : (tf.reshape(tf.slice(seq, [0, 0, 0], [b, 1, d]), [b, d]) as tf.Tensor2D);
      return {
        logits: denseApply(scope(params, 'head'), z, 'linear', ctx, 'head', 'head'),
        routing: [],
      };
    },
    lossFn: softmaxCrossEntropy,
  };
}
