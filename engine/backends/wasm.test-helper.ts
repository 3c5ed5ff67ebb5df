import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Test helpers for the WASM backend in Node. The app's `registerWasm` points the backend at the
 * bundler's hashed URLs; in Node it reads the package's own binaries.
 */

/** The WASM package's dist/ folder, with its trailing slash. */
export const WASM_DIR =
  join(
    dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  ) + '/';

/** Loads the WASM backend, points it at `WASM_DIR` and runs `register` (the engine's kernels, or some of them). */
export async function prepareWasm(register?: () => void): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(WASM_DIR);
  register?.();
}

/** Runs `fn` on `backend`, once it is ready. */
export async function on<T>(backend: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  await tf.ready();
  return fn();
}

/** max |a − b| over max |b| (or over `floor` where b is smaller, e.g. a gradient that is zero in exact arithmetic). */
export function maxRelError(a: Float32Array, b: Float32Array, floor = 1e-6): number {
  expect(a.length).toBe(b.length);
  let scale = floor;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return err / scale;
}
