import * as tf from '@tensorflow/tfjs-core';
import { makeModular } from '../data/modular';
import type { ModularConfig } from '../data/schema';
import type { LayerContext } from '../layers/context';
import { accuracy } from '../losses';
import type { MoeConfig, TransformerConfig } from '../models/schema';
import { transformerModel } from '../models/transformer';
import type { NamedTensors } from '../tree';
import { defineTask, rowIndependentModel, rowSplits } from './skeleton';
import type { Task } from './task';
import { expertLoadView, routingMasks } from './view-helpers';
import type { TaskView } from './views';

/** a + b mod p: the transformer reads `a + b =` and is scored on its last position only. */
export function createModularTask(
  data: ModularConfig,
  config: TransformerConfig | MoeConfig,
  seed: number,
): Task {
  if (config.kind === 'transformer' && (config.objective ?? 'causal') !== 'causal')
    throw new Error('modular arithmetic trains next-token prediction only (objective: causal)');
  const d = makeModular(data, seed);
  const model = transformerModel(config, { vocab: d.vocab, maxLength: 4 });
  const upload = (s: typeof d.train) => ({
    x: tf.tensor2d(s.inputs, [s.count, 4], 'int32'),
    y: tf.tensor1d(s.targets, 'int32'),
    n: s.count,
  });
  const train = upload(d.train);
  const test = upload(d.test);

  const forward = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) => {
    const out = model.apply(params, x, ctx);
    const b = x.shape[0];
    const last = tf.reshape(tf.slice(out.logits, [0, 3, 0], [b, 1, d.vocab]), [b, d.vocab]);
    return { logits: last, routing: out.routing };
  };

  return defineTask({
    kind: 'classification',
    init: (rng) => model.init(rng),
    ...rowSplits(train, test, forward, model.lossFn, accuracy),
    lbl: config.kind === 'moe' ? { alpha: config.lblAlpha, scope: config.lblScope } : undefined,
    rowIndependent: rowIndependentModel(config),
    normGap: { norm: config.norm, split: 'train', examples: train.n },
    async views(params, ctx) {
      const views: TaskView[] = [];
      if (config.kind === 'moe') {
        const evalCtx = { ...ctx, training: false };
        const masks = tf.tidy(() => routingMasks(forward(params, test.x, evalCtx).routing));
        views.push(await expertLoadView(masks, null, ['a + b mod p']));
      }
      return views;
    },
  });
}
