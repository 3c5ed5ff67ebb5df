import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import type { Model } from '../models/model';
import { createRng } from '../rng';
import type { NamedTensors } from '../tree';
import type { TextSamplesView } from './views';

export interface SampleOptions {
  readonly prompts: readonly Int32Array[];
  readonly vocab: readonly string[];
  readonly maxLength: number;
  readonly newTokens: number;
  /** 0: greedy (argmax); otherwise softmax(z/T) sampling from a seeded rng. */
  readonly temperature: number;
  readonly seed: number;
}

/**
 * Continues each prompt token by token, all prompts in one batch (prompts share a length), the
 * context cut to the last `maxLength` tokens. One async read per token; the same seed and params
 * give the same text.
 */
export async function sampleText(
  model: Model<tf.Tensor2D, tf.Tensor3D>,
  params: NamedTensors,
  ctx: LayerContext,
  opts: SampleOptions,
): Promise<TextSamplesView> {
  const rng = createRng(opts.seed);
  const seqs = opts.prompts.map((p) => Array.from(p));
  const v = opts.vocab.length;
  const evalCtx = { ...ctx, training: false };
  for (let k = 0; k < opts.newTokens; k++) {
    const window = seqs.map((s) => s.slice(-opts.maxLength));
    const t = window[0].length;
    const probs = tf.tidy(() => {
      const logits = model.apply(
        params,
        tf.tensor2d(window.flat(), [window.length, t], 'int32'),
        evalCtx,
      ).logits;
      const last = tf.reshape(tf.slice(logits, [0, t - 1, 0], [window.length, 1, v]), [
        window.length,
        v,
      ]);
      return opts.temperature > 0 ? tf.softmax(tf.div(last, opts.temperature)) : last;
    });
    const values = await probs.data();
    probs.dispose();
    seqs.forEach((s, b) =>
      s.push(pick(values.subarray(b * v, (b + 1) * v), opts.temperature > 0 ? rng.next() : -1)),
    );
  }
  const decode = (ids: readonly number[]) => ids.map((i) => opts.vocab[i] ?? '?').join('');
  return {
    kind: 'text-samples',
    temperature: opts.temperature,
    samples: seqs.map((s, b) => ({
      prompt: decode(Array.from(opts.prompts[b])),
      completion: decode(s.slice(opts.prompts[b].length)),
    })),
  };
}

/** Inverse-CDF draw from probabilities at uniform u, or the argmax when u < 0. */
function pick(row: ArrayLike<number>, u: number): number {
  let best = 0;
  let acc = 0;
  for (let i = 0; i < row.length; i++) {
    if (u < 0) {
      if (row[i] > row[best]) best = i;
      continue;
    }
    acc += row[i];
    if (u < acc) return i;
    best = i;
  }
  return best;
}
