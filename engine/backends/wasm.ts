import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import { registerWasmKernels } from './wasm-kernels';

/**
 * Points the WASM backend at the binaries the bundler emitted (they are hashed assets) and
 * registers the engine's WASM kernels (`wasm-kernels.ts`): the convolution and pooling gradients it
 * lacks or gets wrong, so convolutional models train there, and matrix products that reach XNNPACK
 * with a transposed operand.
 *
 * The threaded SIMD binary is not shipped: it loads only on a cross-origin isolated page (COOP and
 * COEP headers), which the hosted app is not, and isolation would break the embed widget on other
 * origins and every cross-origin resource without CORP headers. Single-threaded it is, on purpose:
 * the flag below keeps TF.js from reaching for the missing binary even where isolation appears.
 */
export async function registerWasm(): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // The map must name all three binaries; the threaded entry is never fetched with the flag off.
  setWasmPaths(
    {
      'tfjs-backend-wasm.wasm': plainWasm,
      'tfjs-backend-wasm-simd.wasm': simdWasm,
      'tfjs-backend-wasm-threaded-simd.wasm': simdWasm,
    },
    true,
  );
  registerWasmKernels();
}
