import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * How the engine replaces kernels of the TF.js WASM backend (`wasm-conv-grads.ts`,
 * `wasm-matmul.ts`): look up a stock kernel, run it on tensor infos, and register a replacement
 * that keeps the stock kernel's setup and is marked as the engine's, so registering twice is a
 * no-op.
 */
export const WASM = 'wasm';

/** The kernel registered for WASM under `name` now; `forWhat` names the caller in the error. */
export function stockKernel(name: string, forWhat: string): KernelFunc {
  const config = getKernel(name, WASM);
  if (!config) throw new Error(`the WASM backend has no ${name} kernel, which ${forWhat} need`);
  return config.kernelFunc;
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  if (Array.isArray(out)) {
    if (out.length !== 1)
      throw new Error(`expected one output from a WASM kernel, got ${out.length}`);
    return out[0];
  }
  return out;
}

/** Runs one stock kernel on `backend`; the caller owns (and disposes) the result. */
export function call(
  fn: KernelFunc,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  return single(fn({ inputs, backend, attrs }));
}

/** Marks the configs the engine registers. */
const MARK = Symbol('engine/wasm-kernels');
type MarkedConfig = KernelConfig & { readonly [MARK]?: true };

/** Whether the kernel registered for WASM under `name` is the engine's replacement. */
export function ours(name: string): boolean {
  const config: MarkedConfig | undefined = getKernel(name, WASM);
  return config?.[MARK] === true;
}

/** Registers `kernelFunc` under `name`, keeping the stock kernel's setup (its WASM function binding). */
export function replace(name: string, kernelFunc: KernelFunc): void {
  const stock = getKernel(name, WASM);
  if (stock) unregisterKernel(name, WASM);
  const config: MarkedConfig = {
    kernelName: name,
    backendName: WASM,
    kernelFunc,
    ...(stock?.setupFunc ? { setupFunc: stock.setupFunc } : {}),
    ...(stock?.disposeFunc ? { disposeFunc: stock.disposeFunc } : {}),
    [MARK]: true,
  };
  registerKernel(config);
}
