import {
  BatchMatMul,
  Transpose,
  util,
  type BatchMatMulAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { call, ours, replace, stockKernel } from './wasm-kernel-util';

/**
 * BatchMatMul for the TF.js WASM backend with transposed operands made explicit and batched
 * products split into single ones.
 *
 * The stock kernel hands a product to XNNPACK only when neither operand is transposed and both
 * have a batch of one; any other product runs a scalar triple loop several times slower. Training
 * a dense layer y = x·W needs both kinds: its gradients are dx = dy·Wᵀ and dW = xᵀ·dy, so two of
 * each layer's three products took the slow loop. Here a transposed operand is transposed first (a
 * copy the size of the operand, against a product that reads it once per row of the other) and
 * the product goes to XNNPACK.
 *
 * Attention's products are batched (one per example and head). Where each matrix product is
 * large enough to repay the copies (`SPLIT_MIN_MACS` multiply-adds), each one is copied out of the
 * batch, multiplied by XNNPACK and copied into the result: for CCT's 49-token attention (64
 * products of 49×16·16×49) that took 0.8 GFLOP/s in the loop. Smaller ones (a 16-character
 * context) stay in the loop, which beats the copies there.
 */

/** Multiply-adds of one product of a batch from which splitting the batch pays (measured). */
export const SPLIT_MIN_MACS = 8192;

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

/** Batch size of a product's operand (1 for a plain matrix). */
const batchOf = (t: TensorInfo) => util.sizeFromShape(t.shape.slice(0, -2));

function untransposed(base: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs } = args;
    const backend = args.backend as BackendWasm;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const { a, b } = inputs;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return base(args);
    const single = batchOfOne(a) && batchOfOne(b);
    const split = !single && splittable(a, b, transposeA, transposeB);
    // XNNPACK takes single untransposed products only: transpose first, or split a batch.
    if (!split && !(single && (transposeA || transposeB))) return base(args);
    const temps: TensorInfo[] = [];
    try {
      const left = transposeA ? swapped(transpose, a, backend) : a;
      if (left !== a) temps.push(left);
      const right = transposeB ? swapped(transpose, b, backend) : b;
      if (right !== b) temps.push(right);
      return split
        ? splitProduct(base, backend, left, right)
        : call(base, backend, { a: left, b: right }, { transposeA: false, transposeB: false });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Whether a batched product splits: batches equal, or one side a single matrix shared by all, and
 * each product at least `SPLIT_MIN_MACS`.
 */
export function splittable(a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean): boolean {
  const [ra, rb] = [a.shape.length, b.shape.length];
  if (ra < 2 || rb < 2) return false;
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  const [ba, bb] = [batchOf(a), batchOf(b)];
  const sameBatch =
    (ra === rb && a.shape.slice(0, -2).every((d, i) => d === b.shape[i])) || ba === 1 || bb === 1;
  return sameBatch && Math.max(ba, bb) > 1 && m * k * n >= SPLIT_MIN_MACS;
}

/**
 * a `[..., m, k]` · b `[..., k, n]` (no transposes), one XNNPACK product per batch entry: each
 * operand's matrix copied into a tensor of its own, multiplied by the stock kernel (batch one),
 * and the result copied into place. The copies and the product tensors are freed at once.
 */
function splitProduct(
  base: KernelFunc,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const [ra, rb] = [a.shape.length, b.shape.length];
  const [m, k, n] = [a.shape[ra - 2], a.shape[ra - 1], b.shape[rb - 1]];
  const [ba, bb] = [batchOf(a), batchOf(b)];
  const batch = Math.max(ba, bb);
  const outer = (ba >= bb ? a : b).shape.slice(0, -2);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const matrix = (t: TensorInfo, i: number, rows: number, cols: number) => {
    const one = backend.makeOutput([1, rows, cols], 'float32');
    const size = rows * cols;
    backend
      .typedArrayFromHeap(one)
      .set(backend.typedArrayFromHeap(t).subarray(i * size, (i + 1) * size));
    return one;
  };
  const shared = (t: TensorInfo, rows: number, cols: number) =>
    batchOf(t) === 1 ? matrix(t, 0, rows, cols) : null;
  const fixedA = shared(a, m, k);
  const fixedB = shared(b, k, n);
  try {
    for (let i = 0; i < batch; i++) {
      const left = fixedA ?? matrix(a, i, m, k);
      const right = fixedB ?? matrix(b, i, k, n);
      const product = call(
        base,
        backend,
        { a: left, b: right },
        { transposeA: false, transposeB: false },
      );
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), i * m * n);
      backend.disposeData(product.dataId);
      if (!fixedA) backend.disposeData(left.dataId);
      if (!fixedB) backend.disposeData(right.dataId);
    }
  } finally {
    if (fixedA) backend.disposeData(fixedA.dataId);
    if (fixedB) backend.disposeData(fixedB.dataId);
  }
  return out;
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
