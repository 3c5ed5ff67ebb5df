import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../../layers/context';
import { linearApply, linearInit } from '../../layers/linear';
import type { TransformerConfig } from '../../models/schema';
import { transformerEncoder } from '../../models/transformer';
import { prefixed, scope, type ParamInits } from '../../params';
import type { Rng } from '../../rng';
import type { NamedTensors } from '../../tree';
import {
  binaryAccuracy,
  maskedCrossEntropy,
  maskIds,
  replaceTokens,
  RTD_WEIGHT,
  sigmoidCrossEntropy,
} from './masking';

/**
 * Bidirectional encoders pretrained by masked LM or ELECTRA (docs/algorithms.md). Both read
 * `vocab + 1` token ids (the last is the mask token) and have the same body (the config's size):
 * MLM puts a vocabulary head on it, ELECTRA a one-logit replaced-or-original head and trains a
 * smaller MLM generator (params `gen/…`) beside it.
 */

/** One batch of windows and its noise: ids `[B, L]`, mask and uniforms `[B·L]` on the device. */
export interface PretrainBatch {
  readonly ids: tf.Tensor2D;
  readonly mask: tf.Tensor1D;
  readonly uniform: tf.Tensor1D;
}

export interface PretrainModel {
  init(rng: Rng): ParamInits;
  /** The objective's loss and its accuracy (MLM: masked positions; ELECTRA: RTD per token). */
  loss(params: NamedTensors, batch: PretrainBatch, ctx: LayerContext): [tf.Scalar, tf.Scalar];
  /** Final hidden states `[B·L, d]` of the encoder a probe reads (ELECTRA: the discriminator). */
  features(params: NamedTensors, ids: tf.Tensor2D, ctx: LayerContext): tf.Tensor2D;
}

/** The generator's size: half the width (at least 8), one layer, one head. */
export function generatorConfig(config: TransformerConfig): TransformerConfig {
  return { ...config, dim: Math.max(8, Math.round(config.dim / 2)), layers: 1, heads: 1 };
}

/** An encoder with a linear head of `outputs` logits per token. */
function encoderWithHead(config: TransformerConfig, vocab: number, L: number, outputs: number) {
  const encoder = transformerEncoder(config, { vocab: vocab + 1, maxLength: L }, false);
  return {
    init: (rng: Rng): ParamInits => ({
      ...encoder.init(rng),
      ...prefixed('head', linearInit(rng, config.dim, outputs, { role: 'head' })),
    }),
    hidden: (params: NamedTensors, ids: tf.Tensor2D, ctx: LayerContext) =>
      encoder.hidden(params, ids, ctx).hidden,
    logits(params: NamedTensors, ids: tf.Tensor2D, ctx: LayerContext): tf.Tensor2D {
      const head = scope(params, 'head');
      const h = encoder.hidden(params, ids, ctx).hidden;
      return linearApply(head.w, h, ctx, 'head', { bias: head.b, role: 'head' }) as tf.Tensor2D;
    },
  };
}

/** Masked LM: predict the original token at masked positions from the masked window. */
export function mlmModel(config: TransformerConfig, vocab: number, L: number): PretrainModel {
  const net = encoderWithHead(config, vocab, L, vocab);
  return {
    init: net.init,
    loss(params, { ids, mask }, ctx) {
      const logits = net.logits(params, maskIds(ids, mask, vocab) as tf.Tensor2D, ctx);
      const { loss, accuracy } = maskedCrossEntropy(logits, ids, mask);
      return [loss, accuracy];
    },
    features: net.hidden,
  };
}

/**
 * ELECTRA: the generator (an MLM) fills the masked positions with samples, the discriminator
 * labels every token replaced (1) or original (0); loss = MLM_gen + λ·mean BCE.
 */
export function electraModel(config: TransformerConfig, vocab: number, L: number): PretrainModel {
  const disc = encoderWithHead(config, vocab, L, 1);
  const gen = encoderWithHead(generatorConfig(config), vocab, L, vocab);
  const lambda = config.rtdWeight ?? RTD_WEIGHT;
  return {
    init: (rng) => ({ ...disc.init(rng), ...prefixed('gen', gen.init(rng)) }),
    loss(params, { ids, mask, uniform }, ctx) {
      const [b, t] = ids.shape;
      const genLogits = gen.logits(
        scope(params, 'gen'),
        maskIds(ids, mask, vocab) as tf.Tensor2D,
        ctx,
      );
      const mlm = maskedCrossEntropy(genLogits, ids, mask).loss;
      const flat = tf.reshape(ids, [-1]) as tf.Tensor1D;
      const packed = replaceTokens(genLogits, flat, mask, uniform);
      const corrupted = tf.reshape(tf.cast(tf.slice(packed, [0, 0], [1, b * t]), 'int32'), [b, t]);
      const labels = tf.reshape(tf.slice(packed, [1, 0], [1, b * t]), [-1]);
      const z = tf.reshape(disc.logits(params, corrupted as tf.Tensor2D, ctx), [-1]);
      const rtd = sigmoidCrossEntropy(z, labels);
      return [tf.add(mlm, tf.mul(lambda, rtd)) as tf.Scalar, binaryAccuracy(z, labels)];
    },
    features: disc.hidden,
  };
}
