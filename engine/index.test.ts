import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// Only the public surface: every building block must be reachable from here.
import {
  absmaxQuantize, accuracy, adagrad, adam, adamw, adaptableMask, addDecayedWeights, attentionApply,
  attentionInit, batchChannelNormApply, batchChannelNormInit, batchNormApply, batchNormInit,
  blockApply, blockInit, Buffers, calibratePowerA, causalMask, chain, clipByGlobalNorm,
  cnnModel, constantSchedule, conv2dApply, conv2dInit, cosineSchedule, createMesaMatMul,
  createParams, createRng, defaultGroups, denseApply, denseInit, embeddingApply, embeddingInit,
  expertCapacity, exponentialSchedule, fitCriticalBatch, fitLine, fitPowerLaw, flattened,
  floatFormat, floatFormatGradient, floatFormatQuantize, groupNormApply, groupNormInit,
  hessianVectorProduct, hiddenMatrixMask, inferenceContext, join, lamb, lanczos, lars,
  layerNormApply, layerNormInit, linearApply, linearInit, linearSchedule, lion, loadBalancingLoss,
  masked, maxPool, meanSquaredError, mesaQuantize, microBatchLoss, minimizeStep, mlpModel,
  moeApply, moeInit, momentum, muon, nesterov, newtonSchulz, normApply, normInit, NORMS,
  oneCycleSchedule, orthogonalizeNewtonSchulz, partition, piecewiseSchedule, powerDecay, powerLr,
  powerIteration, powerSchedule, quantizerFromConfig, QUANT_DEFAULT, rmsNormApply, rmsNormInit,
  rmsprop, route, scaleByAdagrad, scaleByAdam, scaleByLearningRate, scaleByLion, scaleByRms,
  scaleBySign, scaleByTrustRatio, scaledFloatFormatQuantize, scaledLr, scaleForBatch,
  scheduleFromConfig, SCHEDULE_DEFAULTS, SCHEDULES, sequencePoolApply, sequencePoolInit, sgd,
  softmaxCrossEntropy, splitMicroBatches, standardizeWeight, stopGradient, straightThrough,
  symmetricInt, symmetricIntQuantize, ternary, ternaryQuantize, trace, trustRatiosOf,
  withWarmup, wsdSchedule, type GradientTransformation, type Hvp, type NamedTensors,
} from './index';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const near = (got: readonly number[], want: readonly number[], tol = 1e-5) =>
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `index ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))));
const vec = (xs: Readonly<Record<string, number[] | number[][]>>): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, tf.tensor(v)]));
/** One update w ← w + u, as a run applies it. */
function applyOnce(t: GradientTransformation, params: NamedTensors, grads: NamedTensors): Record<string, number[]> {
  const [u] = t.update(grads, t.init(params), params);
  return Object.fromEntries(Object.keys(params).map((n) => [n, values(tf.add(params[n], u[n]))]));
}

describe('engine/README.md examples', () => {
  it('optimizers: AdamW by minimizeStep; AdamW with clipping from its blocks', () => {
    const vars = { w: tf.variable(tf.tensor2d([[1, -2], [0.5, 3]])) };
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
    near(applyOnce(clipped, p, vec({ w: [30, -40] })).w, [3 - 1e-3 * (1 + 0.03), -4 + 1e-3 * (1 + 0.04)], 1e-6);
  });

  it('schedules: WSD values; a warm cosine as an optimizer lr', () => {
    const wsd = wsdSchedule({ peak: 1e-3, warmupSteps: 100, decayStart: 800, totalSteps: 1000, shape: 'cosine' });
    near([wsd(50), wsd(850)], [5e-4, 8.5355e-4]);
    const warmCosine = withWarmup(cosineSchedule({ init: 1e-3, decaySteps: 900 }), 100);
    const opt = adam({ lr: (count) => warmCosine(count + 1) });
    const p = vec({ w: [1] });
    near(applyOnce(opt, p, vec({ w: [2] })).w, [1 - 1e-5], 1e-7); // η = 1e-3·1/100 at the first update
  });

  it('norms: LayerNorm, RMSNorm, BatchNorm running stats, WS, params from an init', () => {
    const x = tf.tensor2d([[1, 2, 4, 5]]);
    const affine = { gamma: tf.ones([4]), beta: tf.zeros([4]) };
    near(values(layerNormApply(affine, x)), [-1.264909, -0.632454, 0.632454, 1.264909]);
    near(values(rmsNormApply({ gamma: tf.ones([4]) }, x)), [0.294884, 0.589768, 1.179535, 1.474419]);
    const buffers = new Buffers();
    const batch = tf.tensor2d([[1, 10], [3, 30]]);
    batchNormApply({ gamma: tf.ones([2]), beta: tf.zeros([2]) }, batch, { ...inferenceContext(buffers), training: true }, 'bn');
    near(values(buffers.get('bn/mean') as tf.Tensor), [0.2, 2]);
    const ws = standardizeWeight(tf.randomNormal([3, 3, 1, 8], 0, 1, 'float32', 1));
    near(values(tf.moments(ws, [0, 1, 2]).mean), new Array<number>(8).fill(0));
    const ln = createParams(layerNormInit(4));
    expect(ln.roles).toEqual({ gamma: 'norm', beta: 'norm' });
    expect(ln.values.gamma).toBeInstanceOf(tf.Variable);
  });

  it('quantizers: ternary, int8, E4M3 and its scaled form', () => {
    const w = tf.tensor1d([0.4, -0.05, 0.12, -1.2, 0.03, 0.6, -0.3, 0.08, -0.1]);
    near(values(ternaryQuantize(w, 'absmean')), [1, 0, 0, -1, 0, 1, -1, 0, 0].map((c) => 0.32 * c));
    near(values(ternary(w, 'absmedian')), [1, 0, 1, -1, 0, 1, -1, 1, -1].map((c) => 0.12 * c));
    expect(values(symmetricIntQuantize(tf.tensor1d([0.4, -1.27, 0.05, 0.9]), 8)).map((v) => Math.round(v / 0.01))).toEqual([40, -127, 5, 90]);
    expect(values(floatFormatQuantize(tf.tensor1d([0.1, 500]), 'e4m3'))).toEqual([0.1015625, 448]);
    const scaled = values(scaledFloatFormatQuantize(tf.tensor1d([1e-6, -3e-7]), 'e4m3'));
    [1e-6, -3e-7].forEach((e, i) => expect(Math.abs(scaled[i] - e) / Math.abs(e)).toBeLessThanOrEqual(1 / 16));
    expect(scaled.every((v) => v !== 0)).toBe(true);
  });

  it('losses: cross-entropy, accuracy, MSE, load balancing', () => {
    const logits = tf.tensor2d([[2, 1, 0], [0, 3, 1]]);
    const labels = tf.tensor1d([0, 1]);
    const ce = (Math.log(Math.exp(2) + Math.exp(1) + 1) - 2 + Math.log(1 + Math.exp(3) + Math.exp(1)) - 3) / 2;
    near(values(softmaxCrossEntropy(logits, labels)), [ce]);
    expect(values(accuracy(logits, labels))).toEqual([1]);
    expect(values(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])))).toEqual([2]);
    const probs = tf.tensor2d([[0.7, 0.1, 0.1, 0.1], [0.6, 0.2, 0.1, 0.1], [0.5, 0.3, 0.1, 0.1], [0.4, 0.4, 0.1, 0.1]]);
    const { stats } = route(probs, 1, 0);
    near(values(loadBalancingLoss([stats], 'micro')), [2.2]);
  });

  it('diagnostics: power iteration, power-law and critical-batch fits', async () => {
    const H = [[2, 1], [1, 3]];
    const hvp: Hvp = (v) => Float64Array.from(H.map((row) => row[0] * v[0] + row[1] * v[1]));
    const top = await powerIteration(hvp, 2, { v0: Float64Array.from([1, 0]), tol: 1e-9 });
    expect(top.eigenvalue).toBeCloseTo(3.618034, 5);
    expect(fitPowerLaw([1e3, 1e4, 1e5], [2, 1.6, 1.28]).alphaN).toBeCloseTo(0.09691, 5);
    expect(fitCriticalBatch([16, 64, 256], [1500, 600, 375]).bCrit).toBeCloseTo(64, 6);
  });
});

describe('every named optimizer takes a loss down from engine/index.ts', () => {
  const table: [string, GradientTransformation][] = [
    ['sgd', sgd({ lr: 0.1 })],
    ['momentum', momentum({ lr: 0.05 })],
    ['nesterov', nesterov({ lr: 0.05 })],
    ['adam', adam({ lr: 0.01 })],
    ['adamw', adamw({ lr: 0.01 })],
    ['rmsprop', rmsprop({ lr: 0.01 })],
    ['adagrad', adagrad({ lr: 0.1 })],
    ['lamb', lamb({ lr: 0.01 })],
    ['lars', lars({ lr: 1 })],
    ['lion', lion({ lr: 0.003 })],
    ['muon', muon({ lr: 0.02 })],
    ['flattened adam', flattened(adam({ lr: 0.01 }))],
  ];
  it.each(table)('%s: 5 steps on Σw² lower it', (_, opt) => {
    // A matrix, so LAMB and LARS adapt it and Muon orthogonalizes it; plus a bias-like vector.
    const vars = { w: tf.variable(tf.tensor2d([[1, -2], [0.5, 3]])), b: tf.variable(tf.tensor1d([0.5, -0.5])) };
    const loss = () => tf.add(tf.sum(tf.square(vars.w)), tf.sum(tf.square(vars.b))) as tf.Scalar;
    const before = loss().dataSync()[0];
    let state = opt.init(vars);
    for (let i = 0; i < 5; i++) {
      const out = minimizeStep(opt, vars, loss, state);
      state = out.state;
      out.loss.dispose();
    }
    const after = loss().dataSync()[0];
    expect(after).toBeLessThan(before);
    expect(Number.isFinite(after)).toBe(true);
  });
});

describe('optimizer blocks from engine/index.ts', () => {
  it('LAMB rebuilt from chain, masked, trust ratio: the reference step and r', () => {
    const lambChain = chain(
      scaleByAdam({ beta1: 0.9, beta2: 0.999, eps: 1e-6 }),
      addDecayedWeights({ weightDecay: 0.01 }),
      masked(adaptableMask(false), scaleByTrustRatio()),
      scaleByLearningRate(0.01),
    );
    const p = vec({ w: [1, -2] });
    const [u, s] = lambChain.update(vec({ w: [0.5, 0.5] }), lambChain.init(p), p);
    near(values(tf.add(p.w, u.w)), [0.983952, -2.015571]);
    near(values(trustRatiosOf(s).w), [1.588907]);
  });

  it('trace, scaleByRms, scaleByAdagrad, scaleByLion, scaleBySign, clipByGlobalNorm', () => {
    const p = vec({ w: [0, 0] });
    const g = vec({ w: [2, -2] });
    const first = (t: GradientTransformation) => values(t.update(g, t.init(p), p)[0].w);
    near(first(trace({ decay: 0.9 })), [2, -2]);
    near(first(trace({ decay: 0.9, ema: true })), [0.2, -0.2]);
    near(first(scaleByRms({ decay: 0.9, eps: 0 })), [2 / Math.sqrt(0.4), -2 / Math.sqrt(0.4)]);
    near(first(scaleByAdagrad({ initialAccumulator: 0, eps: 0 })), [1, -1]);
    near(first(scaleByLion({ beta1: 0.9, beta2: 0.99 })), [0.2, -0.2]);
    expect(values(scaleBySign().update(vec({ w: [0, -3, 2] }), {}, vec({ w: [0, 0, 0] }))[0].w)).toEqual([0, -1, 1]);
    near(values(clipByGlobalNorm(1).update(vec({ w: [3, 4] }), {}, vec({ w: [0, 0] }))[0].w), [0.6, 0.8]);
  });

  it('partition and the hidden-matrix mask send matrices and vectors apart', () => {
    const isHidden = hiddenMatrixMask();
    const t = partition((name, param) => (isHidden(name, param) ? 'fast' : 'slow'), {
      fast: sgd({ lr: 1 }),
      slow: sgd({ lr: 0.1 }),
    });
    const p = vec({ m: [[1]], v: [1] });
    const out = applyOnce(t, p, vec({ m: [[1]], v: [1] }));
    near(out.m, [0]);
    near(out.v, [0.9]);
  });

  it('Newton–Schulz: the reference NS₅ of [[1,2],[3,4]], as a function and a block', () => {
    const expected = [-0.680661, 0.82554, 0.741295, 0.25944];
    near(values(newtonSchulz(tf.tensor2d([[1, 2], [3, 4]]))), expected);
    const [u] = orthogonalizeNewtonSchulz().update(vec({ w: [[1, 2], [3, 4]] }), {}, vec({ w: [[0, 0], [0, 0]] }));
    near(values(u.w), expected);
  });
});

describe('schedules from engine/index.ts', () => {
  it('each factory gives its value at a step', () => {
    expect(constantSchedule(0.3)(7)).toBe(0.3);
    expect(piecewiseSchedule({ init: 1, boundaries: [10], factor: 0.1 })(10)).toBeCloseTo(0.1, 12);
    expect(exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 10 })(10)).toBeCloseTo(0.5, 12);
    expect(cosineSchedule({ init: 2, decaySteps: 100 })(50)).toBeCloseTo(1, 12);
    expect(linearSchedule({ from: 0, to: 1, steps: 10 })(5)).toBeCloseTo(0.5, 12);
    expect(join([constantSchedule(1), constantSchedule(2)], [5])(5)).toBe(2);
    near([wsdSchedule({ peak: 1e-3, warmupSteps: 100, decayStart: 800, totalSteps: 1000, shape: 'exponential', halfLife: 40 })(850)], [4.2045e-4]);
    near([powerLr(1e5, { a: 4.6, b: -0.51, maxLr: 1, batchSize: 1 })], [0.0129646]);
    near([powerDecay(0.25, 0.1)], [0.685061]);
    near([calibratePowerA({ maxLr: 3e-3, batchSize: 32, warmupSamples: 3200, b: -0.51 })], [0.0057491]);
    const power = powerSchedule({ a: 0.0057491, b: -0.51, maxLr: 3e-3, batchSize: 32, warmupSteps: 100, totalSteps: 1000, decaySteps: 100 });
    near([power(200)], [0.00210667]);
    expect(oneCycleSchedule({ peak: 1, totalSteps: 100 })(0)).toBeCloseTo(0.04, 12);
    expect(scaledLr(0.1, 128, 32, 'linear', 'sgd')).toBeCloseTo(0.4, 12);
    expect(scaleForBatch(constantSchedule(1e-3), 128, { rule: 'sqrt', refBatch: 32, optimizer: 'adam' })(0)).toBeCloseTo(2e-3, 12);
    for (const kind of SCHEDULES) {
      const lr = scheduleFromConfig(SCHEDULE_DEFAULTS[kind], { peakLr: 0.01, totalSteps: 100, batchSize: 32 });
      expect(Math.max(...Array.from({ length: 101 }, (_, s) => lr(s))), kind).toBeLessThanOrEqual(0.01 * (1 + 1e-12));
    }
  });
});

describe('norms and layers from engine/index.ts', () => {
  const rng = createRng(1);
  const tensors = (inits: ReturnType<typeof normInit>) =>
    Object.fromEntries(Object.entries(inits).map(([k, p]) => [k, tf.tensor(p.values, [...p.shape])]));
  const train = () => ({ ...inferenceContext(new Buffers()), training: true });
  const x4 = tf.tensor4d(Array.from({ length: 2 * 2 * 2 * 8 }, (_, i) => Math.sin(i)), [2, 2, 2, 8]);

  it('every norm by kind keeps the shape; the named ones match their kind', () => {
    for (const kind of NORMS) expect(normApply(kind, tensors(normInit(kind, 8)), x4, train(), 'n').shape).toEqual([2, 2, 2, 8]);
    expect(defaultGroups(8)).toBe(2);
    const same = (a: tf.Tensor, b: tf.Tensor) => near(values(a), values(b), 1e-6);
    same(layerNormApply(tensors(layerNormInit(8)), x4), normApply('layer', tensors(normInit('layer', 8)), x4, train(), 'n'));
    same(rmsNormApply(tensors(rmsNormInit(8)), x4), normApply('rms', tensors(normInit('rms', 8)), x4, train(), 'n'));
    same(groupNormApply(tensors(groupNormInit(8)), x4, 2), normApply('group', tensors(normInit('group', 8)), x4, train(), 'n'));
    same(batchNormApply(tensors(batchNormInit(8)), x4, train(), 'n'), normApply('batch', tensors(normInit('batch', 8)), x4, train(), 'n'));
    const bcn = batchChannelNormApply(tensors(batchChannelNormInit({ channels: 8, groups: 2 })), x4, train(), 'n', 2);
    same(bcn, normApply('batch-channel', tensors(normInit('batch-channel', 8)), x4, train(), 'n'));
    // Group-normalized: each (sample, group) has mean 0.
    near(values(tf.mean(tf.reshape(bcn, [2, 2, 2, 2, 4]), [1, 2, 4])), [0, 0, 0, 0]);
  });

  it('dense, linear, conv, pool, embedding, attention, sequence pooling, block, MoE', () => {
    const ctx = inferenceContext();
    const dense = tensors(denseInit(rng, { inputs: 3, units: 4, init: 'he' }));
    expect(denseApply(dense, tf.ones([2, 3]), 'relu', ctx, 'd').shape).toEqual([2, 4]);
    const lin = tensors(linearInit(rng, 3, 5));
    expect(linearApply(lin.w, tf.ones([2, 7, 3]), ctx, 'l', { bias: lin.b }).shape).toEqual([2, 7, 5]);
    const conv = tensors(conv2dInit(rng, { size: 3, inputs: 1, filters: 4, bias: true }));
    const image = conv2dApply(conv, tf.ones([1, 6, 6, 1]) as tf.Tensor4D, ctx, 'c', { standardize: true });
    expect(maxPool(image, 2, 2).shape).toEqual([1, 3, 3, 4]);
    const table = tensors(embeddingInit(rng, 10, 4));
    const tokens = embeddingApply(table.table, tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'), ctx, 'e') as tf.Tensor3D;
    expect(tokens.shape).toEqual([1, 3, 4]);
    const spec = { dim: 4, heads: 2, causal: true };
    expect(attentionApply(tensors(attentionInit(rng, spec)), tokens, spec, ctx, 'a').shape).toEqual([1, 3, 4]);
    expect(values(causalMask(2)).length).toBe(4);
    near(values(sequencePoolApply({ w: tf.tensor2d([[1], [-1]]), b: tf.zeros([1]) }, tf.tensor3d([[[1, 0], [0, 1], [2, 2]]]), ctx, 's')), [1.154698, 0.579488]);
    expect(sequencePoolInit(rng, 4).w.shape).toEqual([4, 1]);
    const block = { ...spec, mlpRatio: 2, norm: 'layer' as const, order: 'pre-ln' as const, moe: { experts: 2, topK: 1, capacityFactor: 0 } };
    const out = blockApply(tensors(blockInit(rng, block)), tokens, block, ctx, 'blk');
    expect(out.y.shape).toEqual([1, 3, 4]);
    expect(out.routing?.tokens).toBe(3);
    const moeSpec = { dim: 4, hidden: 6, experts: 2, topK: 1, capacityFactor: 1 };
    const moe = moeApply(tensors(moeInit(rng, moeSpec)), tf.reshape(tokens, [3, 4]) as tf.Tensor2D, moeSpec, ctx, 'moe');
    expect(moe.y.shape).toEqual([3, 4]);
    expect(expertCapacity(1.25, 2, 16, 4)).toBe(10);
  });

  it('models: an MLP and a CNN forward pass with their loss', () => {
    const mlp = mlpModel({ kind: 'mlp', hidden: [4], activation: 'relu', norm: 'rms', weightStandardization: false }, { inputs: 2, outputs: 3 });
    const mp = tensors(mlp.init(rng));
    const { logits } = mlp.apply(mp, tf.ones([5, 2]), inferenceContext());
    expect(logits.shape).toEqual([5, 3]);
    expect(Number.isFinite(mlp.lossFn(logits, tf.tensor1d([0, 1, 2, 0, 1])).dataSync()[0])).toBe(true);
    const cnn = cnnModel({ kind: 'cnn', channels: [4], norm: 'group', weightStandardization: true }, { side: 6, channels: 1, classes: 3 });
    expect(cnn.apply(tensors(cnn.init(rng)), tf.ones([2, 6, 6, 1]), inferenceContext()).logits.shape).toEqual([2, 3]);
  });

  it('stopGradient passes values and blocks gradients', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(stopGradient(x), x)))(tf.tensor1d([2, 3]));
    expect(values(g)).toEqual([2, 3]);
  });
});

describe('quantizers from engine/index.ts: forward values and straight-through gradients', () => {
  const x = tf.tensor1d([0.5, -1, 0.25, 0.02, -0.3]);
  const gradOf = (f: (t: tf.Tensor) => tf.Tensor) => values(tf.grad((t: tf.Tensor) => tf.sum(f(t)))(x));
  it('each quantizer round-trips close to its input and passes the gradient through', () => {
    near(values(absmaxQuantize(tf.reshape(x, [1, 5]), 127)), [0.503937, -1, 0.251969, 0.023622, -0.299213]);
    for (const f of [
      (t: tf.Tensor) => ternary(t, 'absmean'),
      (t: tf.Tensor) => symmetricInt(t, 8),
      (t: tf.Tensor) => floatFormat(t, 'bf16'),
      straightThrough((t) => tf.round(t)),
    ]) {
      expect(gradOf(f)).toEqual([1, 1, 1, 1, 1]);
    }
    near(values(symmetricInt(x, 8)), values(x), 1 / 127);
    near(values(floatFormat(x, 'bf16')), values(x), 2 ** -8);
    // The gradient itself is rounded to E5M2 on the way back (0.3 → 0.3125).
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(floatFormatGradient(t, 'e5m2'), 0.3)))(x);
    expect(values(g)).toEqual(new Array<number>(5).fill(0.3125));
  });

  it('Mesa codes and a Mesa matMul with exact forward', () => {
    const { q } = mesaQuantize(tf.tensor1d([-0.8, -0.1, 0, 0.35, 1.2]), { alpha: tf.scalar(2), beta: tf.scalar(-0.8) }, 0.5);
    expect(values(q)).toEqual([0, 89, 102, 147, 255]);
    const mm = createMesaMatMul(new Buffers(), { rounding: 0.5 });
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[3], [4]]);
    expect(values(mm(a, b, 'm'))).toEqual([11]);
  });

  it('quantizerFromConfig: a ternary dense layer sees ternary weights', () => {
    const buffers = new Buffers();
    const quant = quantizerFromConfig({ ...QUANT_DEFAULT, weights: 'ternary-absmean' }, buffers);
    const w = tf.tensor2d([[0.4, -0.05], [0.12, -1.2]]);
    const seen = values(quant.weight(w, 'kernel', 'dense0/w'));
    const gamma = (0.4 + 0.05 + 0.12 + 1.2) / 4;
    near(seen, [gamma, 0, 0, -gamma]);
    expect(values(quant.weight(w, 'head', 'head/w'))).toEqual(values(w));
  });
});

describe('losses and diagnostics from engine/index.ts', () => {
  it('micro-batch accumulation equals the whole-batch mean; global LBL 1.15', () => {
    const data = tf.tensor1d([1, 2, 3, 4]);
    const idx = tf.tensor1d([0, 1, 2, 3], 'int32');
    expect(splitMicroBatches(idx, 2).map((t) => t.shape[0])).toEqual([2, 2]);
    const forward = (i: tf.Tensor1D) => ({ loss: tf.mean(tf.gather(data, i)) as tf.Scalar, routing: [] });
    near(values(microBatchLoss(idx, 2, forward)), [2.5]);
    const mb2 = tf.tensor2d([[0.1, 0.1, 0.7, 0.1], [0.1, 0.1, 0.1, 0.7], [0.1, 0.1, 0.6, 0.2], [0.1, 0.1, 0.2, 0.6]]);
    const mb1 = tf.tensor2d([[0.7, 0.1, 0.1, 0.1], [0.6, 0.2, 0.1, 0.1], [0.5, 0.3, 0.1, 0.1], [0.4, 0.4, 0.1, 0.1]]);
    near(values(loadBalancingLoss([route(mb1, 1, 0).stats, route(mb2, 1, 0).stats], 'global')), [1.15]);
  });

  it('finite-difference HVP, Lanczos and a line fit', async () => {
    const a = tf.tensor2d([[2, 1], [1, 3]]);
    const loss = (p: NamedTensors) => tf.mul(0.5, tf.sum(tf.mul(tf.reshape(p.t, [2, 1]), tf.matMul(a, tf.reshape(p.t, [2, 1]))))) as tf.Scalar;
    near(values(hessianVectorProduct(loss, { t: tf.tensor1d([0.3, -0.2]) }, { t: tf.tensor1d([1, 0]) }).t), [2, 1], 1e-3);
    const hvp: Hvp = (v) => Float64Array.from([2 * v[0] + v[1], v[0] + 3 * v[1]]);
    near([...(await lanczos(hvp, 2, 2, { v0: Float64Array.from([1, 0]) })).ritzValues], [1.381966, 3.618034]);
    expect(fitLine([0, 1, 2], [1, 3, 5]).slope).toBeCloseTo(2, 12);
  });
});
