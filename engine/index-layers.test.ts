import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// The public surface, part 2: norms, layers, quantizers, losses and diagnostics, from index.ts.
import {
  absmaxQuantize,
  attentionApply,
  attentionInit,
  batchChannelNormApply,
  batchChannelNormInit,
  batchNormApply,
  batchNormInit,
  blockApply,
  blockInit,
  Buffers,
  causalMask,
  cnnModel,
  conv2dApply,
  conv2dInit,
  createMesaMatMul,
  createRng,
  defaultGroups,
  denseApply,
  denseInit,
  embeddingApply,
  embeddingInit,
  expertCapacity,
  fitLine,
  floatFormat,
  floatFormatGradient,
  groupNormApply,
  groupNormInit,
  hessianVectorProduct,
  inferenceContext,
  lanczos,
  layerNormApply,
  layerNormInit,
  linearApply,
  linearInit,
  loadBalancingLoss,
  maxPool,
  mesaQuantize,
  microBatchLoss,
  mlpModel,
  moeApply,
  moeInit,
  normApply,
  normInit,
  NORMS,
  quantizerFromConfig,
  QUANT_DEFAULT,
  rmsNormApply,
  rmsNormInit,
  route,
  sequencePoolApply,
  sequencePoolInit,
  splitMicroBatches,
  stopGradient,
  straightThrough,
  symmetricInt,
  ternary,
  type Hvp,
  type NamedTensors,
} from './index';
import { values, near } from './index.test-helper';

describe('norms and layers from engine/index.ts', () => {
  const rng = createRng(1);
  const tensors = (inits: ReturnType<typeof normInit>) =>
    Object.fromEntries(
      Object.entries(inits).map(([k, p]) => [k, tf.tensor(p.values, [...p.shape])]),
    );
  const train = () => ({ ...inferenceContext(new Buffers()), training: true });
  const x4 = tf.tensor4d(
    Array.from({ length: 2 * 2 * 2 * 8 }, (_, i) => Math.sin(i)),
    [2, 2, 2, 8],
  );

  it('every norm by kind keeps the shape; the named ones match their kind', () => {
    for (const kind of NORMS)
      expect(normApply(kind, tensors(normInit(kind, 8)), x4, train(), 'n').shape).toEqual([
        2, 2, 2, 8,
      ]);
    expect(defaultGroups(8)).toBe(2);
    const same = (a: tf.Tensor, b: tf.Tensor) => near(values(a), values(b), 1e-6);
    same(
      layerNormApply(tensors(layerNormInit(8)), x4),
      normApply('layer', tensors(normInit('layer', 8)), x4, train(), 'n'),
    );
    same(
      rmsNormApply(tensors(rmsNormInit(8)), x4),
      normApply('rms', tensors(normInit('rms', 8)), x4, train(), 'n'),
    );
    same(
      groupNormApply(tensors(groupNormInit(8)), x4, 2),
      normApply('group', tensors(normInit('group', 8)), x4, train(), 'n'),
    );
    same(
      batchNormApply(tensors(batchNormInit(8)), x4, train(), 'n'),
      normApply('batch', tensors(normInit('batch', 8)), x4, train(), 'n'),
    );
    const bcn = batchChannelNormApply(
      tensors(batchChannelNormInit({ channels: 8, groups: 2 })),
      x4,
      train(),
      'n',
      2,
    );
    same(bcn, normApply('batch-channel', tensors(normInit('batch-channel', 8)), x4, train(), 'n'));
    // Group-normalized: each (sample, group) has mean 0.
    near(values(tf.mean(tf.reshape(bcn, [2, 2, 2, 2, 4]), [1, 2, 4])), [0, 0, 0, 0]);
  });

  it('dense, linear, conv, pool, embedding, attention, sequence pooling, block, MoE', () => {
    const ctx = inferenceContext();
    const dense = tensors(denseInit(rng, { inputs: 3, units: 4, init: 'he' }));
    expect(denseApply(dense, tf.ones([2, 3]), 'relu', ctx, 'd').shape).toEqual([2, 4]);
    const lin = tensors(linearInit(rng, 3, 5));
    expect(linearApply(lin.w, tf.ones([2, 7, 3]), ctx, 'l', { bias: lin.b }).shape).toEqual([
      2, 7, 5,
    ]);
    const conv = tensors(conv2dInit(rng, { size: 3, inputs: 1, filters: 4, bias: true }));
    const image = conv2dApply(conv, tf.ones([1, 6, 6, 1]) as tf.Tensor4D, ctx, 'c', {
      standardize: true,
    });
    expect(maxPool(image, 2, 2).shape).toEqual([1, 3, 3, 4]);
    const table = tensors(embeddingInit(rng, 10, 4));
    const tokens = embeddingApply(
      table.table,
      tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'),
      ctx,
      'e',
    ) as tf.Tensor3D;
    expect(tokens.shape).toEqual([1, 3, 4]);
    const spec = { dim: 4, heads: 2, causal: true };
    expect(attentionApply(tensors(attentionInit(rng, spec)), tokens, spec, ctx, 'a').shape).toEqual(
      [1, 3, 4],
    );
    expect(values(causalMask(2)).length).toBe(4);
    near(
      values(
        sequencePoolApply(
          { w: tf.tensor2d([[1], [-1]]), b: tf.zeros([1]) },
          tf.tensor3d([
            [
              [1, 0],
              [0, 1],
              [2, 2],
            ],
          ]),
          ctx,
          's',
        ),
      ),
      [1.154698, 0.579488],
    );
    expect(sequencePoolInit(rng, 4).w.shape).toEqual([4, 1]);
    const block = {
      ...spec,
      mlpRatio: 2,
      norm: 'layer' as const,
      order: 'pre-ln' as const,
      moe: { experts: 2, topK: 1, capacityFactor: 0 },
    };
    const out = blockApply(tensors(blockInit(rng, block)), tokens, block, ctx, 'blk');
    expect(out.y.shape).toEqual([1, 3, 4]);
    expect(out.routing?.tokens).toBe(3);
    const moeSpec = { dim: 4, hidden: 6, experts: 2, topK: 1, capacityFactor: 1 };
    const moe = moeApply(
      tensors(moeInit(rng, moeSpec)),
      tf.reshape(tokens, [3, 4]) as tf.Tensor2D,
      moeSpec,
      ctx,
      'moe',
    );
    expect(moe.y.shape).toEqual([3, 4]);
    expect(expertCapacity(1.25, 2, 16, 4)).toBe(10);
  });

  it('models: an MLP and a CNN forward pass with their loss', () => {
    const mlp = mlpModel(
      { kind: 'mlp', hidden: [4], activation: 'relu', norm: 'rms', weightStandardization: false },
      { inputs: 2, outputs: 3 },
    );
    const mp = tensors(mlp.init(rng));
    const { logits } = mlp.apply(mp, tf.ones([5, 2]), inferenceContext());
    expect(logits.shape).toEqual([5, 3]);
    expect(Number.isFinite(mlp.lossFn(logits, tf.tensor1d([0, 1, 2, 0, 1])).dataSync()[0])).toBe(
      true,
    );
    const cnn = cnnModel(
      { kind: 'cnn', channels: [4], norm: 'group', weightStandardization: true },
      { side: 6, channels: 1, classes: 3 },
    );
    expect(
      cnn.apply(tensors(cnn.init(rng)), tf.ones([2, 6, 6, 1]), inferenceContext()).logits.shape,
    ).toEqual([2, 3]);
  });

  it('stopGradient passes values and blocks gradients', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(stopGradient(x), x)))(tf.tensor1d([2, 3]));
    expect(values(g)).toEqual([2, 3]);
  });
});

describe('quantizers from engine/index.ts: forward values and straight-through gradients', () => {
  const x = tf.tensor1d([0.5, -1, 0.25, 0.02, -0.3]);
  const gradOf = (f: (t: tf.Tensor) => tf.Tensor) =>
    values(tf.grad((t: tf.Tensor) => tf.sum(f(t)))(x));
  it('each quantizer round-trips close to its input and passes the gradient through', () => {
    near(
      values(absmaxQuantize(tf.reshape(x, [1, 5]), 127)),
      [0.503937, -1, 0.251969, 0.023622, -0.299213],
    );
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
    const { q } = mesaQuantize(
      tf.tensor1d([-0.8, -0.1, 0, 0.35, 1.2]),
      { alpha: tf.scalar(2), beta: tf.scalar(-0.8) },
      0.5,
    );
    expect(values(q)).toEqual([0, 89, 102, 147, 255]);
    const mm = createMesaMatMul(new Buffers(), { rounding: 0.5 });
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[3], [4]]);
    expect(values(mm(a, b, 'm'))).toEqual([11]);
  });

  it('quantizerFromConfig: a ternary dense layer sees ternary weights', () => {
    const buffers = new Buffers();
    const quant = quantizerFromConfig({ ...QUANT_DEFAULT, weights: 'ternary-absmean' }, buffers, {
      'dense0/w': 'kernel',
    });
    const w = tf.tensor2d([
      [0.4, -0.05],
      [0.12, -1.2],
    ]);
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
    const forward = (i: tf.Tensor1D) => ({
      loss: tf.mean(tf.gather(data, i)) as tf.Scalar,
      routing: [],
    });
    near(values(microBatchLoss(idx, 2, forward)), [2.5]);
    const mb2 = tf.tensor2d([
      [0.1, 0.1, 0.7, 0.1],
      [0.1, 0.1, 0.1, 0.7],
      [0.1, 0.1, 0.6, 0.2],
      [0.1, 0.1, 0.2, 0.6],
    ]);
    const mb1 = tf.tensor2d([
      [0.7, 0.1, 0.1, 0.1],
      [0.6, 0.2, 0.1, 0.1],
      [0.5, 0.3, 0.1, 0.1],
      [0.4, 0.4, 0.1, 0.1],
    ]);
    near(
      values(loadBalancingLoss([route(mb1, 1, 0).stats, route(mb2, 1, 0).stats], 'global')),
      [1.15],
    );
  });

  it('finite-difference HVP, Lanczos and a line fit', async () => {
    const a = tf.tensor2d([
      [2, 1],
      [1, 3],
    ]);
    const loss = (p: NamedTensors) =>
      tf.mul(
        0.5,
        tf.sum(tf.mul(tf.reshape(p.t, [2, 1]), tf.matMul(a, tf.reshape(p.t, [2, 1])))),
      ) as tf.Scalar;
    near(
      values(
        hessianVectorProduct(loss, { t: tf.tensor1d([0.3, -0.2]) }, { t: tf.tensor1d([1, 0]) }).t,
      ),
      [2, 1],
      1e-3,
    );
    const hvp: Hvp = (v) => Float64Array.from([2 * v[0] + v[1], v[0] + 3 * v[1]]);
    near(
      [...(await lanczos(hvp, 2, 2, { v0: Float64Array.from([1, 0]) })).ritzValues],
      [1.381966, 3.618034],
    );
    expect(fitLine([0, 1, 2], [1, 3, 5]).slope).toBeCloseTo(2, 12);
  });
});
