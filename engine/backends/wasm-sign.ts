import { Sign, type KernelFunc } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ours, replace, stockKernel } from './wasm-kernel-util';

/**
 * Sign for the TF.js WASM backend that is exact for every magnitude: 1 for x > 0, −1 for x < 0,
 * 0 for ±0 and NaN (the cpu and WebGL kernels' answers), computed on the heap.
 *
 * The stock kernel returns 0 for |x| below float32's epsilon (about 1.2e-7), as if such values were
 * zero. Lion's update is a sign, so its coordinates with a small interpolated momentum did not
 * move; L1 decay skipped small weights; and the emulated float formats, which restore the sign
 * last, flushed every value below 1.2e-7 to zero whatever the format could hold: bf16 gradients
 * underflowed like fp8 ones.
 */

/** The stock kernel, from before this module replaced it (non-float32 inputs). */
let stock: KernelFunc | null = null;

function exactSign(base: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs;
    if (!x || x.dtype !== 'float32') return base(args);
    const out = backend.makeOutput(x.shape, 'float32');
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    for (let i = 0; i < from.length; i++) {
      const v = from[i];
      to[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
    }
    return out;
  };
}

/**
 * Replaces WASM's Sign with the exact form. Call after `@tensorflow/tfjs-backend-wasm` is
 * imported; calling again does nothing.
 */
export function registerWasmSign(): void {
  if (ours(Sign)) return;
  stock ??= stockKernel(Sign, 'its signs');
  replace(Sign, exactSign(stock));
}
