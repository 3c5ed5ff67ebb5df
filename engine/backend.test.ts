import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { kernelsFor, releaseBackend, selectBackend } from './backend';
import { DATA_DEFAULTS, MODEL_DEFAULTS } from './config';

// The app's registerWasm points the WASM backend at bundler URLs; in Node it reads the package's files.
vi.mock('./backends/wasm', async () => {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmConvGradients } = await import('./backends/wasm-conv-grads');
  const dir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  return {
    registerWasm: async () => {
      setWasmPaths(dir);
      registerWasmConvGradients();
    },
  };
});

const cnn = { model: MODEL_DEFAULTS.cnn, batchSize: 32, data: DATA_DEFAULTS.mnist };

describe('selectBackend in Node (no WebGPU, no WebGL)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a forced WASM choice trains a CNN there: the convolution gradients are registered', async () => {
    const report = await selectBackend('wasm', kernelsFor(cnn.model), cnn);
    expect(report).toEqual({ name: 'wasm', reason: 'chosen by you' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto takes WASM over CPU for a CNN and says why nothing else ran', async () => {
    await tf.setBackend('cpu');
    const report = await selectBackend('auto', kernelsFor(cnn.model), cnn);
    expect(report.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.reason).toMatch(/^auto: wasm, the only faster-than-CPU backend that started \(/);
    expect(report.reason).toContain('navigator.gpu is missing');
    expect(report.reason).toContain('OffscreenCanvas');
  });

  it('a released backend frees its instance and starts again when set', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    await tf.setBackend('cpu');
    x.dispose();
    releaseBackend('wasm');
    expect('wasm' in tf.engine().registry).toBe(false);
    expect(await tf.setBackend('wasm')).toBe(true);
    const y = tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(await y.data())).toEqual([4, 4, 4, 4]);
    tf.dispose(y);
    releaseBackend('wasm'); // the active backend is kept
    expect(tf.getBackend()).toBe('wasm');
  });
});
