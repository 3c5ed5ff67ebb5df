import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  classifyFault,
  exhaustDeviceMemory,
  loseDevice,
  nextBackend,
  watchDeviceLoss,
} from './device-faults';

describe('running out of memory', () => {
  it('a tensor far beyond the device is refused, freed, and named as out of memory with what to do', async () => {
    const tensors = tf.memory().numTensors;
    const err = await exhaustDeviceMemory().catch((e: unknown) => e);
    expect(tf.memory().numTensors).toBe(tensors);
    const fault = classifyFault(err, 'cpu');
    expect(fault.kind).toBe('oom');
    expect(fault.message).toMatch(
      /^This run ran out of memory \(cpu\) and stopped; other runs are not affected\. Try a smaller model, batch size or sequence length\. \(.+\)$/,
    );
  });

  it.each([
    [
      'webgl',
      'Requested texture size [65536x1024] greater than WebGL maximum on this browser / GPU [16384x16384].',
      /ran out of GPU memory \(webgl\)/,
    ],
    [
      'wasm',
      'Aborted(Cannot enlarge memory arrays to size 4294967296 bytes (OOM).)',
      /ran out of memory \(wasm\)/,
    ],
    ['webgpu', 'Out of memory', /ran out of GPU memory \(webgpu\)/],
  ] as const)('%s: "%s" is out of memory', (backend, message, expected) => {
    const fault = classifyFault(new Error(message), backend);
    expect(fault).toEqual({ kind: 'oom', message: expect.stringMatching(expected) });
    expect(fault.message).toContain(message);
  });

  it('any other error keeps its own message', () => {
    const err = (() => {
      try {
        tf.tidy(() => tf.add(tf.zeros([2, 3]), tf.zeros([4, 5])));
      } catch (e) {
        return e;
      }
    })();
    const fault = classifyFault(err, 'cpu');
    expect(fault.kind).toBe('internal');
    expect(fault.message).toMatch(/Operands could not be broadcast/);
  });
});

describe('device loss', () => {
  it('the next backend is the next one in the fallback order', () => {
    expect(['webgpu', 'webgl', 'wasm', 'cpu'].map((b) => nextBackend(b as 'webgpu'))).toEqual([
      'webgl',
      'wasm',
      'cpu',
      'cpu',
    ]);
  });

  it('the cpu backend has no device to lose or watch', () => {
    let calls = 0;
    const stop = watchDeviceLoss(() => calls++);
    expect(loseDevice()).toBe(false);
    stop();
    expect(calls).toBe(0);
  });
});
