// The examples of engine/README.md, run with assertions on the numbers its comments show.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// Only the public surface: every building block must be reachable from here.
import {
  accuracy,
  adam,
  adamw,
  addDecayedWeights,
  batchNormApply,
  Buffers,
  chain,
  clipByGlobalNorm,
  cosineSchedule,
  createParams,
  fitCriticalBatch,
  fitPowerLaw,
  floatFormatQuantize,
  inferenceContext,
  layerNormApply,
  layerNormInit,
  loadBalancingLoss,
  meanSquaredError,
  minimizeStep,
  powerIteration,
  rmsNormApply,
  route,
  scaleByAdam,
  scaleByLearningRate,
  scaledFloatFormatQuantize,
  softmaxCrossEntropy,
  standardizeWeight,
  symmetricIntQuantize,
  ternary,
  ternaryQuantize,
  withWarmup,
  wsdSchedule,
  type Hvp,
} from './index';
import { values, near, vec, applyOnce } from './index.test-helper';

describe('engine/README.md examples', () => {
  it('optimizers: AdamW by minimizeStep; AdamW with clipping from its blocks', () => {
    const vars = {
      w: tf.variable(
        tf.tensor2d([
          [1, -2],
          [0.5, 3],
        ]),
      ),
    };
    const loss = () => tf.sum(tf.square(vars.w)) as tf.Scalar;
    const opt = adamw({ lr: 0.01, weightDecay: 0.01 });
    let state = opt.init(vars);
    const first = loss().dataSync()[0];
    for (let i = 0; i < 10; i++) {
      const out = minimizeStep(opt, vars, loss, state);
      state = out.state;
      out.loss.dispose();
    }
    expect(loss().dataSync()[0]).toBeLessThan(first);

    const clipped = chain(
      clipByGlobalNorm(1),
      scaleByAdam({ beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
      addDecayedWeights({ weightDecay: 0.01 }),
      scaleByLearningRate(1e-3),
    );
    // Adam's first step is ±η per element whatever the clipping; decay adds −ηλw.
    const p = vec({ w: [3, -4] });
    near(
      applyOnce(clipped, p, vec({ w: [30, -40] })).w,
      [3 - 1e-3 * (1 + 0.03), -4 + 1e-3 * (1 + 0.04)],
      1e-6,
    );
  });

  it('schedules: WSD values; a warm cosine as an optimizer lr', () => {
    const wsd = wsdSchedule({
      peak: 1e-3,
      warmupSteps: 100,
      decayStart: 800,
      totalSteps: 1000,
      shape: 'cosine',
    });
    near([wsd(50), wsd(850)], [5e-4, 8.5355e-4]);
    const warmCosine = withWarmup(cosineSchedule({ init: 1e-3, decaySteps: 900 }), 100);
    const opt = adam({ lr: 1e-3 });
    const p = vec({ w: [1] });
    // Update n (1-based) takes the schedule's rate at n: η = 1e-3·1/100 at the first update.
    const [u] = opt.update(vec({ w: [2] }), opt.init(p), p, warmCosine(1));
    near(values(tf.add(p.w, u.w)), [1 - 1e-5], 1e-7);
  });

  it('norms: LayerNorm, RMSNorm, BatchNorm running stats, WS, params from an init', () => {
    const x = tf.tensor2d([[1, 2, 4, 5]]);
    const affine = { gamma: tf.ones([4]), beta: tf.zeros([4]) };
    near(values(layerNormApply(affine, x)), [-1.264909, -0.632454, 0.632454, 1.264909]);
    near(
      values(rmsNormApply({ gamma: tf.ones([4]) }, x)),
      [0.294884, 0.589768, 1.179535, 1.474419],
    );
    const buffers = new Buffers();
    const batch = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    const training = { ...inferenceContext(buffers), training: true };
    batchNormApply({ gamma: tf.ones([2]), beta: tf.zeros([2]) }, batch, training, 'bn');
    near(values(buffers.get('bn/mean') as tf.Tensor), [0.2, 2]);
    const ws = standardizeWeight(tf.randomNormal([3, 3, 1, 8], 0, 1, 'float32', 1));
    near(values(tf.moments(ws, [0, 1, 2]).mean), new Array<number>(8).fill(0));
    const ln = createParams(layerNormInit(4));
    expect(ln.roles).toEqual({ gamma: 'norm', beta: 'norm' });
    expect(ln.values.gamma).toBeInstanceOf(tf.Variable);
  });

  it('quantizers: ternary, int8, E4M3 and its scaled form', () => {
    const w = tf.tensor1d([0.4, -0.05, 0.12, -1.2, 0.03, 0.6, -0.3, 0.08, -0.1]);
    near(
      values(ternaryQuantize(w, 'absmean')),
      [1, 0, 0, -1, 0, 1, -1, 0, 0].map((c) => 0.32 * c),
    );
    near(
      values(ternary(w, 'absmedian')),
      [1, 0, 1, -1, 0, 1, -1, 1, -1].map((c) => 0.12 * c),
    );
    expect(
      values(symmetricIntQuantize(tf.tensor1d([0.4, -1.27, 0.05, 0.9]), 8)).map((v) =>
        Math.round(v / 0.01),
      ),
    ).toEqual([40, -127, 5, 90]);
    expect(values(floatFormatQuantize(tf.tensor1d([0.1, 500]), 'e4m3'))).toEqual([0.1015625, 448]);
    const scaled = values(scaledFloatFormatQuantize(tf.tensor1d([1e-6, -3e-7]), 'e4m3'));
    [1e-6, -3e-7].forEach((e, i) =>
      expect(Math.abs(scaled[i] - e) / Math.abs(e)).toBeLessThanOrEqual(1 / 16),
    );
    expect(scaled.every((v) => v !== 0)).toBe(true);
  });

  it('losses: cross-entropy, accuracy, MSE, load balancing', () => {
    const logits = tf.tensor2d([
      [2, 1, 0],
      [0, 3, 1],
    ]);
    const labels = tf.tensor1d([0, 1]);
    const ce =
      (Math.log(Math.exp(2) + Math.exp(1) + 1) - 2 + Math.log(1 + Math.exp(3) + Math.exp(1)) - 3) /
      2;
    near(values(softmaxCrossEntropy(logits, labels)), [ce]);
    expect(values(accuracy(logits, labels))).toEqual([1]);
    expect(values(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])))).toEqual([2]);
    const probs = tf.tensor2d([
      [0.7, 0.1, 0.1, 0.1],
      [0.6, 0.2, 0.1, 0.1],
      [0.5, 0.3, 0.1, 0.1],
      [0.4, 0.4, 0.1, 0.1],
    ]);
    const { stats } = route(probs, 1, 0);
    near(values(loadBalancingLoss([stats], 'micro')), [2.2]);
  });

  it('diagnostics: power iteration, power-law and critical-batch fits', async () => {
    const H = [
      [2, 1],
      [1, 3],
    ];
    const hvp: Hvp = (v) => Float64Array.from(H.map((row) => row[0] * v[0] + row[1] * v[1]));
    const top = await powerIteration(hvp, 2, { v0: Float64Array.from([1, 0]), tol: 1e-9 });
    expect(top.eigenvalue).toBeCloseTo(3.618034, 5);
    expect(fitPowerLaw([1e3, 1e4, 1e5], [2, 1.6, 1.28]).alphaN).toBeCloseTo(0.09691, 5);
    expect(fitCriticalBatch([16, 64, 256], [1500, 600, 375]).bCrit).toBeCloseTo(64, 6);
  });
});
