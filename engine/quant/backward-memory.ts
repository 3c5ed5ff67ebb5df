import * as tf from '@tensorflow/tfjs-core';

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/**
 * Bytes of the tensors a gradient tape keeps for its backward pass (every node's `saved`
 * tensors), counted once per underlying buffer, leaving out the buffers in `exclude` (the
 * parameters, which are kept anyway). A measurement of what the engine stores, in the dtype it
 * stores it in: an 8-bit code held in a float32 tensor counts 4 bytes.
 */
export function savedBytes(
  tape: readonly { readonly saved?: readonly tf.Tensor[] }[],
  exclude: readonly tf.Tensor[],
): number {
  const skip = new Set<object>(exclude.map((t) => t.dataId));
  const seen = new Set<object>();
  let bytes = 0;
  for (const node of tape) {
    for (const t of node.saved ?? []) {
      if (skip.has(t.dataId) || seen.has(t.dataId)) continue;
      seen.add(t.dataId);
      bytes += t.size * (BYTES[t.dtype] ?? 4);
    }
  }
  return bytes;
}

/**
 * Runs `loss` under a gradient tape and measures what the tape saved for backward (see
 * `savedBytes`); computes the gradients and drops them. Call inside no tidy of the caller's.
 */
export function measureBackwardBytes(
  loss: (...params: tf.Tensor[]) => tf.Scalar,
  params: readonly tf.Tensor[],
): number {
  let bytes = 0;
  tf.tidy(() => {
    tf.valueAndGrads((...ps: tf.Tensor[]) => {
      const value = loss(...ps);
      bytes = savedBytes(tf.engine().state.activeTape ?? [], params);
      return value;
    })([...params]);
  });
  return bytes;
}
