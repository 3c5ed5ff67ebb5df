import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MNIST_ASSET, parseMnist, type Mnist } from '../data/mnist';
import { loadNodeAsset } from '../data/node-assets';
import { DATA_DEFAULTS, MODEL_DEFAULTS, type CctConfig, type CnnConfig } from '../config';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext } from '../layers/context';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { createImageTask } from '../tasks/image';
import { registerWasmConvGradients } from './wasm-conv-grads';
import { maxRelError, on, prepareWasm } from './wasm.test-helper';

interface Case {
  readonly x: [number, number, number, number];
  readonly w: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid' | number;
}

const CASES: readonly Case[] = [
  { x: [2, 5, 5, 2], w: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [2, 5, 5, 2], w: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { x: [3, 7, 6, 1], w: [3, 3, 1, 4], strides: 1, pad: 1 }, // CCT tokenizer conv: explicit pad 1
  { x: [2, 6, 6, 3], w: [3, 3, 3, 2], strides: 2, pad: 'valid' }, // the last row/column is never read
  { x: [2, 7, 7, 3], w: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 2], w: [2, 2, 2, 5], strides: 2, pad: 'same' }, // even kernel: padding all on the bottom/right
  { x: [1, 9, 7, 2], w: [3, 2, 2, 3], strides: [2, 3], pad: 'valid' },
  { x: [3, 10, 10, 8], w: [5, 5, 8, 8], strides: 1, pad: 'same' },
  { x: [2, 4, 4, 3], w: [1, 1, 3, 4], strides: 1, pad: 'valid' },
];

/** Gradients of Σ conv2d(x, w)·r with respect to x and w, on the current backend. */
function convGrads(c: Case, seed: number): { dx: Float32Array; dw: Float32Array; y: Float32Array } {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal(c.w, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const yShape = tf.conv2d(x, w, c.strides, c.pad).shape;
    const r = tf.randomNormal(yShape, 0, 1, 'float32', seed + 2);
    const f = (xv: tf.Tensor, wv: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.strides, c.pad), r));
    const [dx, dw] = tf.grads(f)([x, w]);
    return {
      dx: dx.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
      y: tf.conv2d(x, w, c.strides, c.pad).dataSync() as Float32Array,
    };
  });
}

describe('WASM convolution gradients', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmConvGradients);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('registers the filter gradient the WASM package lacks', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
    registerWasmConvGradients(); // a second call is a no-op, not a duplicate-registration warning or a lost fallback
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES.map((c, i) => [i, c] as const))(
    'case %i: x %j equals the cpu backend',
    async (i, c) => {
      const cpu = await on('cpu', () => convGrads(c, 10 + i));
      const wasm = await on('wasm', () => convGrads(c, 10 + i));
      expect(maxRelError(wasm.y, cpu.y)).toBeLessThan(1e-5); // same inputs on both backends
      expect(maxRelError(wasm.dw, cpu.dw)).toBeLessThan(1e-5);
      expect(maxRelError(wasm.dx, cpu.dx)).toBeLessThan(1e-5);
    },
  );

  it.each([
    [2, 2, 'valid'],
    [3, 2, 1], // CCT tokenizer pooling
    [3, 2, 'same'],
    [2, 1, 'valid'], // overlapping windows
  ] as const)(
    'MaxPoolGrad %i×%i/%s equals the cpu backend, ties included',
    async (size, stride, pad) => {
      const grads = () =>
        tf.tidy(() => {
          // A constant band (an image's background) makes whole windows tie for their maximum.
          const x = tf.concat(
            [tf.fill([2, 4, 9, 3], 0.25), tf.randomNormal([2, 5, 9, 3], 0, 1, 'float32', 5)],
            1,
          ) as tf.Tensor4D;
          const r = tf.randomNormal(tf.maxPool(x, size, stride, pad).shape, 0, 1, 'float32', 6);
          return tf
            .grad((xv: tf.Tensor) =>
              tf.sum(tf.mul(tf.maxPool(xv as tf.Tensor4D, size, stride, pad), r)),
            )(x)
            .dataSync() as Float32Array;
        });
      const cpu = await on('cpu', grads);
      const wasm = await on('wasm', grads);
      expect(maxRelError(wasm, cpu)).toBeLessThan(1e-6);
    },
  );

  it('disposes its intermediates', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 2, 2, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const dyS1 = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const before = tf.engine().backend.numDataIds();
    const dw = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
      );
    const dx = tf
      .engine()
      .runKernel(
        'Conv2DBackpropInput',
        { dy: dyS1, filter: w },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] },
      );
    expect(tf.engine().backend.numDataIds()).toBe(before + 2); // the two results, nothing else
    tf.dispose([x, dy, w, dyS1, dw, dx]);
  });

  it('rejects what it does not support with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
        ),
    ).toThrow(/NHWC/);
    tf.dispose([x, dy]);
  });
});

describe('convolutional models: the whole backward pass on WASM', () => {
  let mnist: Mnist;
  beforeAll(async () => {
    await prepareWasm(registerWasmConvGradients);
    const parsed = parseMnist(await loadNodeAsset(MNIST_ASSET));
    if (!parsed.ok) throw new Error(parsed.message);
    mnist = parsed.value;
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  const data = { ...DATA_DEFAULTS.mnist, trainSamples: 100 };
  const BATCH = [3, 14, 15, 92, 65, 35, 89, 79];

  /** The loss of one training batch and its gradient for every parameter, on `backend`. */
  async function lossAndGrads(
    backend: 'cpu' | 'wasm',
    model: CnnConfig | CctConfig,
  ): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
    await tf.setBackend(backend);
    const task = createImageTask(data, model, mnist, 1);
    const params = createParams(task.init(createRng(7)));
    const buffers = new Buffers();
    const ctx: LayerContext = { training: true, step: 0, quant: IDENTITY_QUANTIZER, buffers };
    const names = params.names;
    const { value, grads } = tf.tidy(() =>
      tf.valueAndGrads((...ps: tf.Tensor[]) =>
        task.batchLoss(
          Object.fromEntries(names.map((n, i) => [n, ps[i]])),
          tf.tensor1d(BATCH, 'int32'),
          ctx,
          1,
        ),
      )(names.map((n) => params.values[n])),
    );
    const out = {
      loss: (await value.data())[0],
      grads: Object.fromEntries(
        await Promise.all(
          names.map(async (n, i) => [n, (await grads[i].data()) as Float32Array] as const),
        ),
      ),
    };
    tf.dispose([value, ...grads]);
    disposeParams(params);
    buffers.dispose();
    task.dispose();
    return out;
  }

  const MODELS: [string, CnnConfig | CctConfig][] = [
    ['CNN + BatchNorm', { ...MODEL_DEFAULTS.cnn, channels: [4, 8], norm: 'batch' }],
    ['CNN + GroupNorm', { ...MODEL_DEFAULTS.cnn, channels: [4, 4], norm: 'group' }],
    ['CNN without norm (conv biases)', { ...MODEL_DEFAULTS.cnn, channels: [4, 8], norm: 'none' }],
    // Not Weight Standardization: its zero-mean kernels give exactly zero in exact arithmetic on any
    // flat patch (background, stroke interiors), so ReLU's input sits at ±1e-7 there and its
    // derivative, hence the bias gradients, hangs on each backend's rounding.
    [
      'CCT (explicit padding, 3×3/2 pooling)',
      { ...MODEL_DEFAULTS.cct, convLayers: 2, dim: 8, layers: 1, heads: 1, mlpRatio: 1 },
    ],
  ];
  it.each(MODELS)(
    "%s: loss and every parameter gradient equal the cpu backend's",
    async (_name, model) => {
      const cpu = await lossAndGrads('cpu', model);
      const wasm = await lossAndGrads('wasm', model);
      expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5 * Math.abs(cpu.loss));
      expect(Object.keys(wasm.grads)).toEqual(Object.keys(cpu.grads));
      expect(Object.keys(cpu.grads).some((n) => n.includes('/w'))).toBe(true);
      // Errors relative to each gradient's size, or to a thousandth of the largest where a gradient is
      // zero in exact arithmetic (the sequence-pooling bias: softmax ignores a shared shift).
      const largest = Math.max(
        ...Object.values(cpu.grads).map((g) => Math.max(...g.map(Math.abs))),
      );
      for (const name of Object.keys(cpu.grads)) {
        expect({
          name,
          error: maxRelError(wasm.grads[name], cpu.grads[name], 1e-3 * largest),
        }).toEqual({ name, error: expect.closeTo(0, 3) });
      }
    },
  );
});
