import { registerWasmConvGradients } from './wasm-conv-grads';
import { registerWasmGather } from './wasm-gather';
import { registerWasmIdentity } from './wasm-identity';
import { registerWasmMatMul } from './wasm-matmul';
import { registerWasmSign } from './wasm-sign';

/**
 * The engine's kernels for the TF.js WASM backend: the convolution and pooling gradients it lacks
 * or gets wrong, matrix products with their transposes made explicit, batches gathered as row
 * copies, an Identity that shares memory instead of copying it, and a Sign exact below float32's
 * epsilon. Call after `@tensorflow/tfjs-backend-wasm` is imported; calling again does nothing.
 */
export function registerWasmKernels(): void {
  registerWasmConvGradients();
  registerWasmMatMul();
  registerWasmGather();
  registerWasmIdentity();
  registerWasmSign();
}
