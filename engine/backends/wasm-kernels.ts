import { registerWasmConvGradients } from './wasm-conv-grads';
import { registerWasmMatMul } from './wasm-matmul';

/**
 * The engine's kernels for the TF.js WASM backend: the convolution and pooling gradients it lacks
 * or gets wrong, and matrix products with their transposes made explicit. Call after
 * `@tensorflow/tfjs-backend-wasm` is imported; calling again does nothing.
 */
export function registerWasmKernels(): void {
  registerWasmConvGradients();
  registerWasmMatMul();
}
