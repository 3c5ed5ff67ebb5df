import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { floatFormatQuantize, scaledFloatFormatQuantize, type FloatFormat } from './float-format';
import { symmetricIntQuantize } from './int-k';
import { absmaxQuantize } from './int8-activations';
import { lowerMedian, ternaryQuantize, ternaryScale } from './ternary';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const expectClose = (actual: number[], expected: number[], tol = 1e-6) =>
  expected.forEach((e, i) =>
    expect(Math.abs(actual[i] - e), `index ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(e)),
    ),
  );
const mse = (a: number[], b: number[]) => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0) / a.length;

// docs/algorithms.md#quantization.
const W = [0.4, -0.05, 0.12, -1.2, 0.03, 0.6, -0.3, 0.08, -0.1];

describe('BitNet b1.58 ternary weights', () => {
  it.each([
    ['absmean', 0.32, [1, 0, 0, -1, 0, 1, -1, 0, 0], 0.099311, 5 / 9],
    ['absmedian', 0.12, [1, 0, 1, -1, 0, 1, -1, 1, -1], 0.168111, 2 / 9],
  ] as const)('%s: γ = %f, codes, MSE and zero fraction', (scale, gamma, q, err, zeros) => {
    tf.tidy(() => {
      const w = tf.tensor1d(W);
      expect(ternaryScale(w, scale).dataSync()[0]).toBeCloseTo(gamma, 6);
      const wq = values(ternaryQuantize(w, scale));
      expectClose(
        wq,
        q.map((c) => c * gamma),
      );
      expect(mse(wq, W)).toBeCloseTo(err, 5);
      expect(wq.filter((x) => x === 0).length / W.length).toBeCloseTo(zeros, 9);
    });
  });

  it('median of an even count is the lower middle value (as torch.median)', () => {
    tf.tidy(() => {
      expect(lowerMedian(tf.tensor1d([4, 1, 3, 2])).dataSync()[0]).toBe(2);
      expect(
        lowerMedian(
          tf.tensor2d([
            [0.5, -7],
            [9, 1],
          ]),
        ).dataSync()[0],
      ).toBe(0.5);
      expect(lowerMedian(tf.tensor1d([5])).dataSync()[0]).toBe(5);
      expect(
        ternaryScale(tf.tensor1d([0.1, 0.2, 0.3, 0.4]), 'absmedian').dataSync()[0],
      ).toBeCloseTo(0.2, 7);
      expect(ternaryScale(tf.zeros([3]), 'absmedian').dataSync()[0]).toBeCloseTo(1e-5, 10);
    });
  });
});

describe('8-bit per-token activations', () => {
  const x = [0.5, -1, 0.25, 0.02, -0.3];
  it('scale 127: 63.5 rounds to 64 (half to even); dequantized values', () => {
    tf.tidy(() => {
      const xq = values(absmaxQuantize(tf.tensor2d([x]), 127));
      expectClose(
        xq.map((v) => Math.round(v * 127)),
        [64, -127, 32, 3, -38],
      );
      expectClose(xq, [0.503937, -1, 0.251969, 0.023622, -0.299213]);
    });
  });
  it('scale 128: codes [64, −128, 32, 3, −38], per row', () => {
    tf.tidy(() => {
      const xq = values(absmaxQuantize(tf.tensor2d([x, x.map((v) => 2 * v)]), 128));
      expectClose(
        xq.slice(0, 5).map((v) => v * 128),
        [64, -128, 32, 3, -38],
        1e-5,
      );
      expectClose(
        xq.slice(5).map((v) => v * 64),
        [64, -128, 32, 3, -38],
        1e-5,
      );
    });
  });
});

describe('emulated number formats (round to nearest even, saturating)', () => {
  const TABLE: [number, number, number, number][] = [
    [1.00390625, 1.0, 1.0, 1.0],
    [1.01171875, 1.015625, 1.0, 1.0],
    [0.1, 0.10009765625, 0.1015625, 0.09375],
    [3.14159, 3.140625, 3.25, 3.0],
    [-2.75, -2.75, -2.75, -3.0],
    [500, 500, 448, 512],
    [2 ** -10, 2 ** -10, 0, 2 ** -10],
  ];
  it.each(TABLE)('%f → bf16 %f, E4M3 %f, E5M2 %f', (x, bf16, e4m3, e5m2) => {
    tf.tidy(() => {
      const t = tf.tensor1d([x, -x]);
      for (const [format, want] of [
        ['bf16', bf16],
        ['e4m3', e4m3],
        ['e5m2', e5m2],
      ] as [FloatFormat, number][]) {
        expect(values(floatFormatQuantize(t, format)), format).toEqual(
          [want, -want].map((v) => Math.fround(v)),
        );
      }
    });
  });

  it('fp16 saturates at 65504, keeps its subnormals, and exact powers of two stay exact', () => {
    tf.tidy(() => {
      expect(
        values(floatFormatQuantize(tf.tensor1d([1e6, 2 ** -24, 2 ** -26, 0, 65519]), 'fp16')),
      ).toEqual([65504, 2 ** -24, 0, 0, 65504]);
      const powers = Array.from({ length: 40 }, (_, i) => 2 ** (i - 20));
      for (const f of ['bf16', 'fp16', 'e5m2'] as const)
        expect(values(floatFormatQuantize(tf.tensor1d(powers), f)).slice(6, 35)).toEqual(
          powers.slice(6, 35),
        );
      // Just below and at powers of two, where log() misjudges ⌊log₂⌋.
      const near = [
        Math.fround(2 - 2 ** -23),
        Math.fround(0.5 - 2 ** -25),
        8,
        Math.fround(8 - 2 ** -20),
      ];
      expect(values(floatFormatQuantize(tf.tensor1d(near), 'bf16'))).toEqual([2, 0.5, 8, 8]);
    });
  });

  it('per-tensor scaling maps the largest value to the format’s max and rescues small values', () => {
    tf.tidy(() => {
      const small = tf.tensor1d([1e-6, -3e-7, 2e-7]);
      expect(values(floatFormatQuantize(small, 'e4m3')).map(Math.abs)).toEqual([0, 0, 0]); // underflow
      const scaled = values(scaledFloatFormatQuantize(small, 'e4m3'));
      // E4M3 keeps 4 significant bits: relative error ≤ 2^−4.
      [1e-6, -3e-7, 2e-7].forEach((e, i) =>
        expect(Math.abs(scaled[i] - e) / Math.abs(e)).toBeLessThanOrEqual(1 / 16),
      );
      expect(scaled[0]).toBeCloseTo(1e-6, 12);
      expect(values(scaledFloatFormatQuantize(tf.zeros([3]), 'e5m2'))).toEqual([0, 0, 0]);
    });
  });

  it('int8 of [0.4, −1.27, 0.05, 0.9]: s = 0.01, q = [40, −127, 5, 90]', () => {
    tf.tidy(() => {
      const xq = values(symmetricIntQuantize(tf.tensor1d([0.4, -1.27, 0.05, 0.9]), 8));
      expect(xq.map((v) => Math.round(v / 0.01))).toEqual([40, -127, 5, 90]);
      expectClose(xq, [0.4, -1.27, 0.05, 0.9]);
      expect(
        values(symmetricIntQuantize(tf.tensor1d([0.7, -1, 0.2]), 4)).map((v) => Math.round(v * 7)),
      ).toEqual([5, -7, 1]);
      expect(() => symmetricIntQuantize(tf.tensor1d([1]), 1)).toThrow(/bits/);
    });
  });
});
