import { GatherV2, util, type GatherV2Attrs, type KernelFunc } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ours, replace, stockKernel } from './wasm-kernel-util';

/**
 * GatherV2 along the first axis for the TF.js WASM backend, as row copies on the WASM heap.
 *
 * A training batch is a gather of rows from the split (`tf.gather(x, indices)`). The stock kernel
 * computes every output element's address on its own and took about 1.4 ms for 32 MNIST rows (25k
 * elements), a fifth of an MLP step once its products ran on XNNPACK. Here each row is one
 * `TypedArray.set`. Other axes and batched gathers keep the stock kernel.
 */

/** The stock kernel, from before this module replaced it. */
let stock: KernelFunc | null = null;

function rowGather(base: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, indices } = args.inputs;
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    if (!x || !indices || x.shape.length === 0 || indices.dtype !== 'int32') return base(args);
    if (util.parseAxisParam(axis, x.shape)[0] !== 0 || batchDims !== 0) return base(args);
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return base(args);
    const rows = x.shape[0];
    const row = util.sizeFromShape(x.shape.slice(1));
    const which = backend.readSync(indices.dataId) as Int32Array;
    for (const k of which)
      if (!(k >= 0 && k < rows))
        throw new Error(`GatherV2: the index value ${k} is not in [0, ${rows - 1}]`);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    if (which.length === 0 || row === 0) return out;
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    for (let i = 0; i < which.length; i++)
      to.set(from.subarray(which[i] * row, (which[i] + 1) * row), i * row);
    return out;
  };
}

/**
 * Replaces WASM's GatherV2 with the form above. Call after `@tensorflow/tfjs-backend-wasm` is
 * imported; calling again does nothing.
 */
export function registerWasmGather(): void {
  if (ours(GatherV2)) return;
  stock ??= stockKernel(GatherV2, 'its row gathers');
  replace(GatherV2, rowGather(stock));
}
