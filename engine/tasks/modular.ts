import * as tf from '@tensorflow/tfjs-core';
import { makeModular } from '../data/modular';
import type { ModularConfig } from '../data/schema';
import type { LayerContext } from '../layers/context';
import { hasRunningStats } from '../layers/norm/index';
import { accuracy } from '../losses';
import type { MoeConfig, TransformerConfig } from '../models/schema';
import { transformerModel } from '../models/transformer';
import type { NamedTensors } from '../tree';
import { microBatchLoss } from './micro-batches';
import type { Task } from './task';
import { expertLoadView, normGapView, routingMasks } from './view-helpers';
import type { TaskView } from './views';

/** a + b mod p: the transformer reads `a + b =` and is scored on its last position only. */
export function createModularTask(data: ModularConfig, config: TransformerConfig | MoeConfig, seed: number): Task {
  const d = makeModular(data, seed);
  const model = transformerModel(config, { vocab: d.vocab, maxLength: 4 });
  const upload = (s: typeof d.train) => ({ x: tf.tensor2d(s.inputs, [s.count, 4], 'int32'), y: tf.tensor1d(s.targets, 'int32'), n: s.count });
  const train = upload(d.train);
  const test = upload(d.test);
  const lbl = config.kind === 'moe' ? { alpha: config.lblAlpha, scope: config.lblScope } : undefined;

  const forward = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) => {
    const out = model.apply(params, x, ctx);
    const last = tf.reshape(tf.slice(out.logits, [0, 3, 0], [x.shape[0], 1, d.vocab]), [x.shape[0], d.vocab]);
    return { logits: last, routing: out.routing };
  };
  const lossAcc = (params: NamedTensors, s: typeof train, ctx: LayerContext): [tf.Scalar, tf.Scalar] => {
    const { logits } = forward(params, s.x, ctx);
    return [model.lossFn(logits, s.y), accuracy(logits, s.y)];
  };

  return {
    kind: 'classification',
    trainCount: train.n,
    testCount: test.n,
    init: (rng) => model.init(rng),
    batchLoss(params, indices, ctx, microBatches) {
      return microBatchLoss(
        indices,
        microBatches,
        (idx) => {
          const out = forward(params, tf.gather(train.x, idx), ctx);
          return { loss: model.lossFn(out.logits, tf.gather(train.y, idx)), routing: out.routing };
        },
        lbl,
      );
    },
    evaluate(params, ctx) {
      const [trainLoss, trainAcc] = lossAcc(params, train, ctx);
      const [testLoss, testAcc] = lossAcc(params, test, ctx);
      return tf.stack([trainLoss, testLoss, trainAcc, testAcc]) as tf.Tensor1D;
    },
    async views(params, ctx) {
      const views: TaskView[] = [];
      if (config.kind === 'moe') {
        const masks = tf.tidy(() => routingMasks(forward(params, test.x, { ...ctx, training: false }).routing));
        views.push(await expertLoadView(masks, null, ['a + b mod p']));
      }
      if (hasRunningStats(config.norm)) views.push(await normGapView(config.norm, train.n, ctx, (c) => lossAcc(params, train, c)));
      return views;
    },
    dispose() {
      tf.dispose([train.x, train.y, test.x, test.y]);
    },
  };
}
