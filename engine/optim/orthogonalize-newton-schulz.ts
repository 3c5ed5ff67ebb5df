import * as tf from '@tensorflow/tfjs-core';
import { mapNamed } from '../tree';
import { EMPTY_STATE, type EmptyState, type GradientTransformation } from './transform';

/** Quintic Newton–Schulz coefficients (a, b, c) of Muon's reference implementation. */
export const NS_COEFFICIENTS = [3.4445, -4.775, 2.0315] as const;

/**
 * NS₅ (Jordan et al., "Muon", https://kellerjordan.github.io/posts/muon/): X = G/(‖G‖_F + 1e-7),
 * transposed first when rows > cols; then `steps` times A = XXᵀ, B = b·A + c·A², X = a·X + B·X.
 * The result is close to, not exactly, UVᵀ: its singular values land roughly in [0.7, 1.2].
 */
export function newtonSchulz(g: tf.Tensor2D, steps = 5): tf.Tensor2D {
  return tf.tidy(() => {
    const [a, b, c] = NS_COEFFICIENTS;
    const tall = g.shape[0] > g.shape[1];
    let x: tf.Tensor2D = tf.div(g, tf.add(tf.norm(g), 1e-7));
    if (tall) x = tf.transpose(x);
    for (let i = 0; i < steps; i++) {
      const A = tf.matMul(x, x, false, true);
      const B = tf.add(tf.mul(A, b), tf.mul(tf.matMul(A, A), c));
      x = tf.add(tf.mul(x, a), tf.matMul(B, x));
    }
    return tall ? tf.transpose(x) : x;
  });
}

export interface NewtonSchulzOptions {
  /** Newton–Schulz iterations (5). */
  readonly steps?: number;
}

/**
 * Replaces each update of rank ≥ 2 by NS₅ of it, times √max(1, fan_out/fan_in). TF.js kernels are
 * `[in, out]` (conv `[kh, kw, Cin, Cout]`, flattened to `[kh·kw·Cin, Cout]`), so fan_out/fan_in =
 * cols/rows, the reference's PyTorch `size(-2)/size(-1)`. Rank-0/1 updates pass through. Stateless.
 */
export function orthogonalizeNewtonSchulz({
  steps = 5,
}: NewtonSchulzOptions = {}): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update(updates) {
      const out = mapNamed(updates, (u) => {
        if (u.rank < 2) return u;
        const cols = u.shape[u.rank - 1];
        const rows = u.size / cols;
        const o = newtonSchulz(tf.reshape(u, [rows, cols]), steps);
        return tf.reshape(tf.mul(o, Math.sqrt(Math.max(1, cols / rows))), u.shape);
      });
      return [out, EMPTY_STATE] as const;
    },
  };
}
