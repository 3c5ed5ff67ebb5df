import { registerWasmConvGradients } from './wasm-conv-grads';
import { registerWasmGather } from './wasm-gather';
import { registerWasmIdentity } from './wasm-identity';
import { registerWasmMatMul } from './wasm-matmul';

/**
 * The engine's kernels for the TF.js WASM backend: the convolution and pooling gradients it lacks
 * or gets wrong, matrix products with their transposes made explicit, batches gathered as row
 * copies, and an Identity that shares memory instead of copying it. Call after `@tensorflow/tfjs-backend-wasm` is imported; calling again does nothing.
 */
export function registerWasmKernels(): void {
  registerWasmConvGradients();
  registerWasmMatMul();
  registerWasmGather();
  registerWasmIdentity();
}
