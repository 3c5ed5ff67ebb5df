import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatFormatQuantize, scaledFloatFormatQuantize, type FloatFormat } from './float-format';
import { registerWasmKernels } from '../backends/wasm-kernels';
import { prepareWasm } from '../backends/wasm.test-helper';

// The emulated formats on the WASM backend must round exactly as on cpu: its int32 ClipByValue
// clips float bit patterns, which once turned exponents into garbage indices.
// Magnitudes from 1e-12 to 1e5 (what weights, activations and gradients hold), with the engine's
// WASM kernels: the stock Sign kernel flushed everything below 1.2e-7 to zero.
const VALUES = [
  0, 1, -1, 0.1, -0.3, 3.14159, 448, 500, -1e5, 1e-3, 1e-5, -2.5e-7, 6e4, 7e4, 0.0625, 1.5, 2.75,
  0.0173, -17.3, 1e-8, -3e-10, 1e-12,
];

async function quantizeOn(
  backend: string,
  format: FloatFormat,
  scaled: boolean,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor1d(VALUES);
  const y = scaled ? scaledFloatFormatQuantize(x, format) : floatFormatQuantize(x, format);
  const out = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return out;
}

describe('emulated float formats on the WASM backend', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmKernels);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const format of ['bf16', 'fp16', 'e4m3', 'e5m2'] as const) {
    for (const scaled of [false, true]) {
      it(`${format}${scaled ? ' with per-tensor scaling' : ''} equals the cpu backend`, async () => {
        const cpu = await quantizeOn('cpu', format, scaled);
        const wasm = await quantizeOn('wasm', format, scaled);
        // + 0 turns −0 into 0: the sign of a zero is not part of the format's value.
        expect(Array.from(wasm, (v) => v + 0)).toEqual(Array.from(cpu, (v) => v + 0));
      });
    }
  }
});
