import * as tf from '@tensorflow/tfjs-core';
import type { MoeConfig, TransformerConfig } from './schema';
import type { RouterStats } from '../layers/moe-routing';
import { embeddingApply, embeddingInit } from '../layers/embedding';
import { linearApply, linearInit } from '../layers/linear';
import { normApply, normInit } from '../layers/norm/index';
import { blockApply, blockInit, type BlockSpec } from '../layers/transformer-block';
import { prefixed, scope, type ParamInits } from '../params';
import type { LayerContext } from '../layers/context';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { softmaxCrossEntropy } from '../losses';
import type { Model } from './model';

export interface SequenceShape {
  readonly vocab: number;
  /** Longest input; the positional table has this many rows. */
  readonly maxLength: number;
  /**
   * Vector inputs of this width instead of token ids: a linear projection `in` replaces the
   * token embedding, and `apply` takes `[B, T, inputs]` (GPICL, engine/tasks/in-context.ts).
   */
  readonly inputs?: number;
}

/**
 * The transformer body up to its final norm: ids `[B, T]` (or vectors `[B, T, inputs]`) → hidden
 * states `[B·T, d]`.
 */
export interface TransformerEncoder {
  init(rng: Rng): ParamInits;
  hidden(
    params: NamedTensors,
    ids: tf.Tensor2D | tf.Tensor3D,
    ctx: LayerContext,
  ): { hidden: tf.Tensor2D; routing: RouterStats[] };
}

/**
 * Token (or, with `shape.inputs`, a linear projection of input vectors `[B, T, inputs]`) + learned
 * position embeddings, pre-LN blocks (causal or bidirectional) and a final norm.
 * `shape.vocab` rows of token embedding (a masked LM adds its mask token there).
 */
export function transformerEncoder(
  config: TransformerConfig | MoeConfig,
  shape: SequenceShape,
  causal = true,
): TransformerEncoder {
  const d = config.dim;
  const block: BlockSpec = {
    dim: d,
    heads: config.heads,
    causal,
    mlpRatio: config.mlpRatio,
    norm: config.norm,
    order: 'pre-ln',
    ...(config.kind === 'moe'
      ? {
          moe: {
            experts: config.experts,
            topK: config.topK,
            capacityFactor: config.capacityFactor,
          },
        }
      : {}),
  };
  return {
    init(rng) {
      let inits = {
        ...(shape.inputs
          ? prefixed('in', linearInit(rng, shape.inputs, d))
          : prefixed('tok', embeddingInit(rng, shape.vocab, d))),
        ...prefixed('pos', embeddingInit(rng, shape.maxLength, d)),
      };
      for (let l = 0; l < config.layers; l++)
        inits = { ...inits, ...prefixed(`block${l}`, blockInit(rng, block)) };
      return { ...inits, ...prefixed('norm', normInit(config.norm, d)) };
    },
    hidden(params, ids, ctx) {
      const [b, t] = ids.shape;
      if (shape.inputs !== undefined && ids.rank !== 3)
        throw new Error(`the model reads [B, T, ${shape.inputs}] vectors, not ids`);
      if (t > shape.maxLength)
        throw new Error(`sequence of ${t} tokens is longer than the model's ${shape.maxLength}`);
      const pos = tf.slice(params['pos/table'], [0, 0], [t, d]);
      const embedded = shape.inputs
        ? linearApply(params['in/w'], ids, ctx, 'in', { bias: params['in/b'] })
        : embeddingApply(params['tok/table'], ids as tf.Tensor2D, ctx, 'tok');
      let h = tf.add(embedded, pos) as tf.Tensor3D;
      const routing: RouterStats[] = [];
      for (let l = 0; l < config.layers; l++) {
        const out = blockApply(scope(params, `block${l}`), h, block, ctx, `block${l}`);
        h = out.y;
        if (out.routing) routing.push(out.routing);
      }
      const flat = tf.reshape(h, [b * t, d]) as tf.Tensor2D;
      const hidden = normApply(config.norm, scope(params, 'norm'), flat, ctx, 'norm');
      return { hidden: hidden as tf.Tensor2D, routing };
    },
  };
}

/**
 * A tiny decoder-only transformer (GPT-2 layout): token + learned position embeddings, pre-LN
 * causal blocks, a final norm and a linear head: ids `[B, T]` (T ≤ maxLength) → logits `[B, T, V]`.
 * The `moe` kind swaps every FFN for a mixture of experts and returns each layer's router stats.
 * With `shape.inputs` it reads vectors `[B, T, inputs]` through a linear projection instead.
 */
export function transformerModel(
  config: TransformerConfig | MoeConfig,
  shape: SequenceShape,
): Model<tf.Tensor2D | tf.Tensor3D, tf.Tensor3D> {
  const encoder = transformerEncoder(config, shape);
  return {
    init(rng) {
      return {
        ...encoder.init(rng),
        ...prefixed('head', linearInit(rng, config.dim, shape.vocab, { role: 'head' })),
      };
    },
    apply(params, ids, ctx) {
      const [b, t] = ids.shape;
      const { hidden, routing } = encoder.hidden(params, ids, ctx);
      const head = scope(params, 'head');
      const logits = tf.reshape(
        linearApply(head.w, hidden, ctx, 'head', { bias: head.b, role: 'head' }),
        [b, t, shape.vocab],
      ) as tf.Tensor3D;
      return { logits, routing };
    },
    lossFn: softmaxCrossEntropy,
  };
}
