import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../../layers/context';
import type { NamedTensors } from '../../tree';
import type { ProbesView } from '../views';
import { trainProbe, type ProbeSet } from './probe';
import type { ProbeExamples, ProbeSpec } from './probe-data';

/** Features of a window batch: `[B·L, d]` final hidden states for ids `[B, L]`. */
export type FeatureFn = (params: NamedTensors, ids: tf.Tensor2D, ctx: LayerContext) => tf.Tensor2D;

/** Mean-pooled features `[count, d]` of the examples, read back with one async `data()`. */
async function pooled(
  features: FeatureFn,
  params: NamedTensors,
  ex: ProbeExamples,
  L: number,
  ctx: LayerContext,
): Promise<ProbeSet> {
  const out = tf.tidy(() => {
    const ids = tf.tensor2d(ex.ids, [ex.count, L], 'int32');
    const h = features(params, ids, ctx);
    const d = h.shape[1];
    const w = tf.tensor3d(ex.pool, [ex.count, L, 1]);
    const sum = tf.sum(tf.mul(tf.reshape(h, [ex.count, L, d]), w), 1);
    return tf.div(sum, tf.maximum(tf.sum(w, 1), 1)) as tf.Tensor2D;
  });
  const x = (await out.data()) as Float32Array;
  const dim = out.shape[1];
  out.dispose();
  return { x, y: ex.labels, count: ex.count, dim };
}

/** Trains and scores every probe on the frozen features; nothing in the run changes. */
export async function probesView(
  objective: string,
  specs: readonly ProbeSpec[],
  features: FeatureFn,
  params: NamedTensors,
  L: number,
  ctx: LayerContext,
): Promise<ProbesView> {
  const evalCtx = { ...ctx, training: false };
  const probes = [];
  for (const spec of specs) {
    const train = await pooled(features, params, spec.train, L, evalCtx);
    const test = await pooled(features, params, spec.test, L, evalCtx);
    const r = trainProbe(train, test, spec.classes.length);
    probes.push({
      name: spec.name,
      classes: spec.classes,
      trainExamples: train.count,
      testExamples: test.count,
      ...r,
    });
  }
  return { kind: 'probes', objective, probes };
}
