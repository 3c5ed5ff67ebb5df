import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmGather } from './wasm-gather';
import { ours } from './wasm-kernel-util';
import { on, prepareWasm } from './wasm.test-helper';

/** [x shape, x dtype, indices, indices shape, axis]: row gathers, and an axis the stock kernel keeps. */
const CASES: readonly (readonly [number[], 'float32' | 'int32', number[], number[], number])[] = [
  [[10, 6], 'float32', [3, 0, 9, 3], [4], 0], // a batch of rows, one twice
  [[10], 'int32', [7, 1, 1], [3], 0], // labels
  [[5, 2, 3], 'float32', [4, 2, 0, 1], [2, 2], 0], // 2-D indices of 3-D rows
  [[4, 5], 'float32', [4, 0], [2], 1], // columns: the stock kernel
  [[6, 3], 'float32', [], [0], 0],
];

function gathered([shape, dtype, idx, idxShape, axis]: (typeof CASES)[number]): {
  values: number[];
  shape: number[];
} {
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Array.from({ length: n }, (_, i) => (dtype === 'int32' ? i : i * 0.5 - 3)),
      shape,
      dtype,
    );
    const g = tf.gather(x, tf.tensor(idx, idxShape, 'int32'), axis);
    return { values: Array.from(g.dataSync()), shape: g.shape };
  });
}

describe('WASM row gather', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmGather);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replaces the stock kernel once', () => {
    expect(ours('GatherV2')).toBe(true);
    registerWasmGather();
    expect(ours('GatherV2')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, c] as const))(
    'case %i: %j equals the cpu backend',
    async (_i, c) => {
      const cpu = await on('cpu', () => gathered(c));
      const wasm = await on('wasm', () => gathered(c));
      expect(wasm).toEqual(cpu);
    },
  );

  it('refuses an index outside the rows, as the stock kernel does', async () => {
    await on('wasm', () =>
      tf.tidy(() => {
        const x = tf.zeros([3, 2]);
        expect(() => tf.gather(x, tf.tensor1d([1, 3], 'int32'))).toThrow(/index value 3/);
        expect(() => tf.gather(x, tf.tensor1d([-1], 'int32'))).toThrow(/index value -1/);
      }),
    );
  });
});
