import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { kernelsFor, releaseBackend, selectBackend } from './backend';
import { DATA_DEFAULTS, DEFAULT_CONFIG, MODEL_DEFAULTS } from './config';
import { QUANT_PRESETS } from './quant/schema';

// The app's registerWasm points the WASM backend at bundler URLs; in Node it reads the package's files.
vi.mock('./backends/wasm', async () => {
  const { prepareWasm } = await import('./backends/wasm.test-helper');
  const { registerWasmKernels } = await import('./backends/wasm-kernels');
  return { registerWasm: () => prepareWasm(registerWasmKernels) };
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

  it('auto trains a small dense run on the fused path, with cpu for the views, without a probe', async () => {
    const report = await selectBackend('auto', [], DEFAULT_CONFIG);
    expect(report).toMatchObject({ name: 'cpu', fused: true });
    expect(report.probe).toBeUndefined();
  });

  it('auto times the cpu backend against WASM on an MLP the fused path does not take', async () => {
    const quantized = { ...DEFAULT_CONFIG, quant: QUANT_PRESETS.int8 };
    const report = await selectBackend('auto', [], quantized);
    expect(report.fused).toBeUndefined();
    expect(report.probe?.map((m) => m.name).sort()).toEqual(['cpu', 'wasm']);
    expect(['cpu', 'wasm']).toContain(report.name);
  });

  it('a released backend frees its instance and starts again when set', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    await tf.setBackend('cpu');
    x.dispose();
    releaseBackend('wasm');
    expect('wasm' in tf.engine().registry).toBe(false);
    expect(await tf.setBackend('wasm')).toBe(true);
    const y = tf.conv2d(
      tf.ones([1, 3, 3, 1]) as tf.Tensor4D,
      tf.ones([2, 2, 1, 1]) as tf.Tensor4D,
      1,
      'valid',
    );
    expect(Array.from(await y.data())).toEqual([4, 4, 4, 4]);
    tf.dispose(y);
    releaseBackend('wasm'); // the active backend is kept
    expect(tf.getBackend()).toBe('wasm');
  });
});
