import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS } from '../data/schema';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext, type Quantizer } from '../layers/context';
import { MODEL_DEFAULTS, type MoeConfig } from '../models/schema';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { createTask } from './index';
import { config, ENV } from './learns.test-helper';
import { rowIndependentModel } from './skeleton';

const chars = { ...DATA_DEFAULTS.chars, corpusChars: 2000, sequenceLength: 8 };
const moe = (over: Partial<MoeConfig>): MoeConfig => ({
  ...MODEL_DEFAULTS.moe,
  dim: 16,
  layers: 2,
  experts: 4,
  capacityFactor: 0,
  lblAlpha: 0.5,
  ...over,
});

/** The batch loss and its gradients with `quant`: any quantizer but the identity forces one pass per micro-batch. */
async function lossAndGrads(model: MoeConfig, quant: Quantizer, microBatches: number) {
  const task = await createTask(config(chars, model), ENV);
  const params = createParams(task.init(createRng(7)));
  const ctx: LayerContext = { training: true, step: 0, quant, buffers: new Buffers() };
  const indices = tf.tensor1d([3, 17, 40, 2, 99, 64, 5, 23], 'int32');
  const vars = params.names.map((n) => params.values[n] as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => task.batchLoss(params.values, indices, ctx, microBatches),
    vars,
  );
  const out = {
    loss: (await value.data())[0],
    grads: await Promise.all(vars.map(async (v) => Array.from(await grads[v.name].data()))),
  };
  tf.dispose([value, indices, ...Object.values(grads)]);
  disposeParams(params);
  task.dispose();
  return out;
}

describe('micro-batches of a row-independent model run forward as one batch', () => {
  // A quantizer that quantizes nothing, but is not the identity object: the run-per-micro-batch path.
  const perMicro: Quantizer = { ...IDENTITY_QUANTIZER };
  it.each<[string, Partial<MoeConfig>, number]>([
    ['micro LBL, top-1, 4 micro-batches', { lblScope: 'micro', topK: 1 }, 4],
    ['micro LBL, top-2, 8 micro-batches', { lblScope: 'micro', topK: 2 }, 8],
    ['global LBL, top-1, 8 micro-batches', { lblScope: 'global', topK: 1 }, 8],
    ['global LBL, top-2, 2 micro-batches', { lblScope: 'global', topK: 2 }, 2],
  ])('%s: the same loss and gradients as one pass per micro-batch', async (_, over, m) => {
    const model = moe(over);
    expect(rowIndependentModel(model)).toBe(true);
    const one = await lossAndGrads(model, IDENTITY_QUANTIZER, m);
    const each = await lossAndGrads(model, perMicro, m);
    expect(Math.abs(one.loss - each.loss)).toBeLessThan(1e-5 * Math.abs(each.loss));
    // Micro LBL depends on the split, so the comparison sees its per-micro-batch counts; global LBL
    // (f over the batch, P averaged over equal micro-batches) is the whole batch's LBL.
    const whole = await lossAndGrads(model, perMicro, 1);
    const gap = Math.abs(whole.loss - each.loss);
    if (over.lblScope === 'micro') expect(gap).toBeGreaterThan(1e-3);
    else expect(gap).toBeLessThan(1e-5 * Math.abs(each.loss));
    one.grads.forEach((g, i) => {
      const scale = Math.max(...each.grads[i].map(Math.abs), 1e-6);
      g.forEach((x, k) => expect(Math.abs(x - each.grads[i][k])).toBeLessThan(1e-4 * scale));
    });
  });

  it('is refused by batch statistics and by an expert capacity', () => {
    expect(rowIndependentModel(moe({ norm: 'batch' }))).toBe(false);
    expect(rowIndependentModel(moe({ capacityFactor: 1.25 }))).toBe(false);
    expect(rowIndependentModel({ ...MODEL_DEFAULTS.transformer, norm: 'rms' })).toBe(true);
  });
});
