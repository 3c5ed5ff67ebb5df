import {
  BatchMatMul,
  Transpose,
  type BatchMatMulAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { call, ours, replace, stockKernel } from './wasm-kernel-util';

/**
 * BatchMatMul for the TF.js WASM backend with transposed operands made explicit.
 *
 * The stock kernel hands a product to XNNPACK only when neither operand is transposed and both
 * have a batch of one; any other product runs a scalar triple loop several times slower. Training
 * a dense layer y = x·W needs both kinds: its gradients are dx = dy·Wᵀ and dW = xᵀ·dy, so two of
 * each layer's three products took the slow loop. Here a transposed operand of a single product
 * (batch one) is transposed first (a copy the size of the operand, against a product that reads it
 * once per row of the other) and the product goes to XNNPACK. Batched products (attention) keep
 * the stock kernel: it sends those to the loop whatever their transposes.
 */

/** The stock kernel, from before this module replaced it. */
let stock: KernelFunc | null = null;

const batchOfOne = (t: TensorInfo) => t.shape.slice(0, -2).every((d) => d === 1);

/** `t` with its last two axes swapped. */
function swapped(transpose: KernelFunc, t: TensorInfo, backend: KernelBackend) {
  const perm = t.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return call(transpose, backend, { x: t }, { perm });
}

function untransposed(base: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs } = args;
    const backend = args.backend as KernelBackend;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const { a, b } = inputs;
    if (!a || !b || (!transposeA && !transposeB) || !batchOfOne(a) || !batchOfOne(b))
      return base(args);
    const temps: TensorInfo[] = [];
    try {
      const left = transposeA ? swapped(transpose, a, backend) : a;
      if (left !== a) temps.push(left);
      const right = transposeB ? swapped(transpose, b, backend) : b;
      if (right !== b) temps.push(right);
      return call(base, backend, { a: left, b: right }, { transposeA: false, transposeB: false });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Replaces WASM's BatchMatMul with the form above. Call after `@tensorflow/tfjs-backend-wasm` is
 * imported; calling again does nothing.
 */
export function registerWasmMatMul(): void {
  if (ours(BatchMatMul)) return;
  stock ??= stockKernel(BatchMatMul, 'its matrix products');
  replace(BatchMatMul, untransposed(stock, stockKernel(Transpose, 'its matrix products')));
}
