import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FORMATS, floatFormatQuantize, type FloatFormat } from './float-format';

/**
 * A plain-number reference for the emulated formats: find the exponent by comparison with exact
 * powers of two, divide by the grid step, round half to even, saturate. It shares no code or
 * trick with the tensor version (which rounds with Veltkamp's split).
 */
function reference(x: number, format: FloatFormat): number {
  const { mantissa: m, bias, max } = FORMATS[format];
  const a = Math.abs(x);
  if (a === 0) return 0;
  if (!Number.isFinite(a)) throw new Error(`reference: ${x} is not finite`);
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e -= 1;
  while (2 ** (e + 1) <= a) e += 1;
  const step = 2 ** (Math.max(e, 1 - bias) - m);
  const r = a / step;
  const f = Math.floor(r);
  const rounded = r - f > 0.5 || (r - f === 0.5 && f % 2 === 1) ? f + 1 : f;
  return Math.sign(x) * Math.min(rounded * step, max);
}

/** Deterministic float32 values: random significands over a wide range of exponents. */
function samples(count: number, seed: number): number[] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => {
    const e = Math.floor(next() * 60) - 40;
    return Math.fround((next() < 0.5 ? -1 : 1) * (1 + next()) * 2 ** e);
  });
}

/** Exact midpoints between neighbouring values of the format: where ties-to-even decides. */
function midpoints(format: FloatFormat): number[] {
  const { mantissa: m, bias } = FORMATS[format];
  const out: number[] = [];
  for (let e = 1 - bias - 3; e <= Math.min(bias, 12); e++) {
    const step = 2 ** (Math.max(e, 1 - bias) - m);
    for (let k = 0; k < 2 ** (m + 1); k += 1) {
      const v = 2 ** e + (k + 0.5) * step;
      if (v < 2 ** (e + 1) && Math.fround(v) === v) out.push(v, -v);
    }
  }
  return out;
}

describe('emulated float formats equal a plain-number reference', () => {
  for (const format of ['bf16', 'fp16', 'e4m3', 'e5m2'] as const) {
    it(`${format}: 4,000 random values, every midpoint, and values past the max`, () => {
      const max = FORMATS[format].max;
      const xs = [
        ...samples(4000, 7),
        ...midpoints(format),
        max,
        -max,
        // Past the max (bf16's max is near float32's, so capped below float32's largest).
        Math.fround(Math.min(max * 1.01, 3.4e38)),
        Math.fround(Math.min(max * 1e3, 3.4e38)),
        0,
      ];
      const got = tf.tidy(() =>
        Array.from(floatFormatQuantize(tf.tensor1d(xs), format).dataSync()),
      );
      const bad = xs
        .map((x, i) => [x, got[i], Math.fround(reference(x, format))] as const)
        .filter(([, g, want]) => g + 0 !== want + 0);
      expect(bad.slice(0, 5), `${bad.length} of ${xs.length} differ`).toEqual([]);
    });
  }
});
