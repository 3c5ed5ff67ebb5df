import { Identity, type KernelFunc } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ours, replace } from './wasm-kernel-util';

/**
 * Identity for the TF.js WASM backend that shares its input's memory, as the cpu and WebGL
 * backends' Identity kernels do (and WASM's own Reshape): the output is the same data with one
 * more reference. Tensors never change in place, so sharing is safe.
 *
 * The stock kernel copies. TF.js clones every tensor a gradient will need while it records the
 * forward pass, so each training step copied its activations and, for a batch gathered from the
 * training split, the whole split: 8,000 MNIST rows (25 MB) a step.
 */
const shared: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs;
  if (!x) throw new Error("Identity on WASM: input 'x' is missing");
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Replaces WASM's Identity with the sharing form. Call after `@tensorflow/tfjs-backend-wasm` is
 * imported; calling again does nothing.
 */
export function registerWasmIdentity(): void {
  if (!ours(Identity)) replace(Identity, shared);
}
