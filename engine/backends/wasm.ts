import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmConvGradients } from './wasm-conv-grads';

/**
 * Points the WASM backend at the binaries the bundler emitted (they are hashed assets) and adds
 * the convolution and pooling gradients it lacks or gets wrong, so convolutional models train there.
 */
export async function registerWasm(): Promise<void> {
  setWasmPaths(
    {
      'tfjs-backend-wasm.wasm': plainWasm,
      'tfjs-backend-wasm-simd.wasm': simdWasm,
      'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
    },
    true,
  );
  registerWasmConvGradients();
}
