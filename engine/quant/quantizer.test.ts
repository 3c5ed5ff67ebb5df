import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Buffers, type LayerContext } from '../layers/context';
import { denseApply } from '../layers/dense';
import type { Role } from '../params';
import { floatFormat, floatFormatGradient, floatFormatQuantize } from './float-format';
import { quantizeWeight, quantizerFromConfig, quantizesRole } from './from-config';
import { bitLinearInput } from './int8-activations';
import {
  QUANT_DEFAULT,
  QUANT_PRESETS,
  QuantConfigSchema,
  WEIGHT_FORMATS,
  ACTIVATION_FORMATS,
  type QuantConfig,
} from './schema';
import * as v from 'valibot';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const rand = (shape: [number, number], seed: number) =>
  tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor2D;
/** The declared roles of the layers these tests apply, as `createParams` would return them. */
const ROLES: Readonly<Record<string, Role>> = {
  'dense0/w': 'kernel',
  'dense0/b': 'bias',
  'head/w': 'head',
  'head/b': 'bias',
};
const ctxOf = (config: QuantConfig, buffers = new Buffers()): LayerContext => ({
  training: true,
  step: 0,
  quant: quantizerFromConfig(config, buffers, ROLES, { mesa: { rounding: 0.5 } }),
  buffers,
});

describe('straight-through gradients', () => {
  it.each(WEIGHT_FORMATS.filter((f) => f !== 'none'))(
    '%s: dense gradient at the latent weights equals the float layer’s at the quantized weights',
    (format) => {
      tf.tidy(() => {
        const x = rand([6, 5], 1);
        const w = rand([5, 4], 2);
        const b = tf.zeros([4]);
        const target = rand([6, 4], 3);
        const loss = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.tanh(y), target)));
        const ctx = ctxOf({ ...QUANT_DEFAULT, weights: format });
        const gq = tf.grad((wv: tf.Tensor) =>
          loss(denseApply({ w: wv, b }, x, 'linear', ctx, 'dense0')),
        )(w);
        const wq = quantizeWeight(w, format);
        const gf = tf.grad((wv: tf.Tensor) => loss(tf.add(tf.matMul(x, wv), b)))(wq);
        values(gq).forEach((g, i) => expect(g).toBeCloseTo(values(gf)[i], 6));
        // With a loss linear in the output, it is exactly the float layer's gradient at the latent weights.
        const c = rand([6, 4], 4);
        const lin = tf.grad((wv: tf.Tensor) =>
          tf.sum(tf.mul(denseApply({ w: wv, b }, x, 'linear', ctx, 'dense0'), c)),
        )(w);
        values(lin).forEach((g, i) =>
          expect(g).toBeCloseTo(values(tf.matMul(x, c, true, false))[i], 5),
        );
      });
    },
  );

  it('activations: gradient passes the quantizer unchanged (through BitLinear’s RMSNorm)', () => {
    tf.tidy(() => {
      const x = rand([3, 8], 5);
      const c = rand([3, 8], 6);
      const rms = (t: tf.Tensor) =>
        tf.mul(t, tf.rsqrt(tf.add(tf.mean(tf.square(t), -1, true), 1e-5)));
      const gq = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(bitLinearInput(t, 127), c)))(x);
      const gf = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(rms(t), c)))(x);
      values(gq).forEach((g, i) => expect(g).toBeCloseTo(values(gf)[i], 5));
      const ge = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(floatFormat(t, 'e4m3'), c)))(x);
      expect(values(ge)).toEqual(values(c));
    });
  });

  it('gradient fake-quant: identity forward, dy rounded to the format; fp8 underflows without scaling', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3]);
      const dy = tf.tensor1d([0.1, 3.14159, 1e-7]);
      expect(values(floatFormatGradient(x, 'e5m2'))).toEqual([1, 2, 3]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(floatFormatGradient(t, 'e5m2'), dy)))(x);
      expect(values(g)).toEqual(values(floatFormatQuantize(dy, 'e5m2')));
      expect(values(g)[2]).toBe(0);
      const scaled = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(floatFormatGradient(t, 'e5m2', true), tf.mul(dy, 1e-6))),
      )(x);
      expect(values(scaled)[2]).toBeGreaterThan(0);
    });
  });
});

describe('quantizerFromConfig', () => {
  it('quantizes hidden kernels only; embedding and head on request; never biases, norms, routers', () => {
    expect(quantizesRole('kernel', QUANT_DEFAULT)).toBe(true);
    for (const role of ['head', 'embedding', 'bias', 'norm', 'router'] as const)
      expect(quantizesRole(role, QUANT_DEFAULT)).toBe(false);
    const all = { ...QUANT_DEFAULT, quantizeEmbeddingAndHead: true };
    expect([
      quantizesRole('head', all),
      quantizesRole('embedding', all),
      quantizesRole('bias', all),
    ]).toEqual([true, true, false]);
    tf.tidy(() => {
      const q = quantizerFromConfig(QUANT_PRESETS['b1.58-absmedian'], new Buffers(), ROLES);
      const x = rand([2, 4], 8);
      // Roles are the declared ones: a layer's input is quantized before any weight() call.
      expect(q.activation(x, 'dense0')).not.toBe(x);
      expect(q.activation(x, 'head')).toBe(x);
      const w = rand([4, 3], 7);
      expect(q.weight(w, 'kernel', 'head/w')).toBe(w); // declared 'head' wins over the role passed
      expect(q.weight(w, 'head', 'head/w')).toBe(w);
      expect(q.weight(w, 'bias', 'dense0/b')).toBe(w);
      expect(
        new Set(values(q.weight(w, 'kernel', 'dense0/w')).map((x) => Math.abs(x).toFixed(6))).size,
      ).toBeLessThanOrEqual(2);
      expect(q.activation(x, 'head')).toBe(x);
      expect(q.activation(x, 'unknown')).toBe(x);
      expect(q.activation(x, 'dense0')).not.toBe(x);
    });
  });

  it.each([
    ...ACTIVATION_FORMATS.map((a) => ({
      ...QUANT_DEFAULT,
      activations: a,
      weights: 'int4' as const,
    })),
    ...Object.values(QUANT_PRESETS),
  ])('stays finite on ordinary, zero and huge inputs: %j', (config) => {
    expect(v.parse(QuantConfigSchema, config)).toEqual(config);
    tf.tidy(() => {
      const ctx = ctxOf(config);
      for (const scale of [1, 0, 1e30]) {
        const x = tf.mul(rand([5, 4], 9), scale) as tf.Tensor2D;
        const w = rand([4, 3], 10);
        const b = tf.zeros([3]);
        const [gw] = tf.grads((wv: tf.Tensor) =>
          tf.sum(tf.square(denseApply({ w: wv, b }, x, 'relu', ctx, 'dense0'))),
        )([w]);
        const y = denseApply({ w, b }, x, 'relu', ctx, 'dense0');
        expect(
          values(y).every(Number.isFinite) && (scale === 1e30 || values(gw).every(Number.isFinite)),
          `scale ${scale}`,
        ).toBe(true);
      }
    });
  });

  it('Mesa and gradient quantization reach the matMul hook even when weights stay float', () => {
    const buffers = new Buffers();
    tf.tidy(() => {
      const ctx = ctxOf({ ...QUANT_DEFAULT, mesa: true }, buffers);
      denseApply(
        { w: rand([4, 3], 11), b: tf.zeros([3]) },
        rand([5, 4], 12) as tf.Tensor2D,
        'relu',
        ctx,
        'dense0',
      );
      denseApply(
        { w: rand([3, 2], 13), b: tf.zeros([2]) },
        rand([5, 3], 14) as tf.Tensor2D,
        'linear',
        ctx,
        'head',
        'head',
      );
    });
    expect(buffers.names().sort()).toEqual([
      'dense0/mesa.alpha',
      'dense0/mesa.beta',
      'head/mesa.alpha',
      'head/mesa.beta',
    ]);
    const evalBuffers = new Buffers();
    tf.tidy(() => {
      const quant = quantizerFromConfig({ ...QUANT_DEFAULT, mesa: true }, evalBuffers, ROLES, {
        training: false,
      });
      denseApply(
        { w: rand([4, 3], 11), b: tf.zeros([3]) },
        rand([5, 4], 12) as tf.Tensor2D,
        'relu',
        { training: false, step: 0, quant, buffers: evalBuffers },
        'dense0',
      );
    });
    expect(evalBuffers.names()).toEqual([]);
    buffers.dispose();
  });
});
