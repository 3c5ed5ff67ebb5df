import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatFormatQuantize } from '../quant/float-format';
import { ours } from './wasm-kernel-util';
import { registerWasmSign } from './wasm-sign';
import { on, prepareWasm } from './wasm.test-helper';

const VALUES = [
  1,
  -2,
  1e-3,
  1e-6,
  1e-7,
  -1e-7,
  5e-8,
  1e-20,
  -1e-30,
  1e-39,
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
];

describe('WASM Sign', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmSign);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replaces the stock kernel once', async () => {
    await on('wasm', () => undefined);
    expect(ours('Sign')).toBe(true);
    registerWasmSign();
    expect(ours('Sign')).toBe(true);
  });

  it('equals the cpu backend at every magnitude, below float32 epsilon included', async () => {
    const sign = async () => {
      const x = tf.tensor1d(VALUES);
      const y = tf.sign(x);
      const out = Array.from(await y.data(), (v) => v + 0);
      tf.dispose([x, y]);
      return out;
    };
    const cpu = await on('cpu', sign);
    expect(cpu.slice(0, 10)).toEqual([1, -1, 1, 1, 1, -1, 1, 1, -1, 1]);
    expect(await on('wasm', sign)).toEqual(cpu);
  });

  it('keeps int32 on the stock kernel', async () => {
    const out = await on('wasm', () => tf.sign(tf.tensor1d([3, -4, 0], 'int32')).dataSync());
    expect(Array.from(out)).toEqual([1, -1, 0]);
  });

  it('lets bf16 keep small gradients on WASM: 1e-8 and 1e-20 are not flushed to zero', async () => {
    const q = await on('wasm', () =>
      Array.from(floatFormatQuantize(tf.tensor1d([1e-8, -1e-20, 1e-30]), 'bf16').dataSync()),
    );
    q.forEach((v, i) => expect(Math.abs(v / [1e-8, -1e-20, 1e-30][i] - 1)).toBeLessThan(4e-3));
  });
});
