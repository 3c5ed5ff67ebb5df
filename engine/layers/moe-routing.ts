import * as tf from '@tensorflow/tfjs-core';
import type { LblScope } from '../models/schema';

/** What one MoE layer's router did on one micro-batch; the load-balancing loss is built from these. */
export interface RouterStats {
  /** Tokens T routed. */
  readonly tokens: number;
  readonly topK: number;
  /** count_i: top-K assignments per expert, before capacity dropping. Constant (no gradient). */
  readonly counts: tf.Tensor1D;
  /** P_i = mean_t p_{t,i}: mean router probability per expert. Carries the gradient. */
  readonly meanProbs: tf.Tensor1D;
  /** `[T, N_E]` p_{t,i}: the router probability of each token. Carries the gradient. */
  readonly probs: tf.Tensor2D;
  /** `[T, N_E]` 0/1: token t was assigned to expert i (before dropping). Constant. */
  readonly assignments: tf.Tensor2D;
  /** `[T, N_E]` 0/1: assignments that fit the capacity. Constant. */
  readonly kept: tf.Tensor2D;
}

/** Expert capacity C = ⌈cf·K·T/N_E⌉ tokens; cf = 0 means dropless (C = T). */
export function expertCapacity(
  capacityFactor: number,
  topK: number,
  tokens: number,
  experts: number,
): number {
  return capacityFactor > 0 ? Math.ceil((capacityFactor * topK * tokens) / experts) : tokens;
}

/**
 * Top-K routing of router probabilities p `[T, N_E]` (docs/algorithms.md#mixture-of-experts). Gates
 * ĝ_i = p_i for K = 1
 * (Switch) and p_i/Σ_{j∈TopK} p_j for K ≥ 2; zero outside the top K. With a capacity, tokens
 * claim slots in order (all first choices, then second choices, ...); overflow gets gate 0, so
 * the token keeps only its residual. Ties go to the lower expert index.
 */
export function route(
  probs: tf.Tensor2D,
  topK: number,
  capacityFactor: number,
): { gates: tf.Tensor2D; stats: RouterStats } {
  const [t, e] = probs.shape;
  const k = Math.min(topK, e);
  const packed = routingMasks(probs, k, expertCapacity(capacityFactor, k, t, e));
  const assignments = tf.slice(packed, [0, 0], [t, e]);
  const kept = tf.slice(packed, [0, e], [t, e]);
  const chosen = tf.mul(probs, assignments);
  const gates = k === 1 ? chosen : tf.div(chosen, tf.sum(chosen, 1, true));
  return {
    gates: tf.mul(gates, kept),
    stats: {
      tokens: t,
      topK: k,
      counts: tf.sum(assignments, 0),
      meanProbs: tf.mean(probs, 0),
      probs,
      assignments,
      kept,
    },
  };
}

/**
 * The statistics of `groups` equal runs of consecutive tokens, as if each run had been routed on
 * its own: micro-batches that ran forward as one batch. Valid only without a capacity (dropless
 * routing keeps every assignment whatever the batch), which the caller checks.
 */
export function splitRouterStats(stats: RouterStats, groups: number): RouterStats[] {
  const [t, e] = stats.probs.shape;
  if (groups === 1) return [stats];
  if (t % groups !== 0) throw new Error(`${t} tokens do not split into ${groups} equal groups`);
  const per = t / groups;
  const grouped = (x: tf.Tensor2D) => tf.reshape(x, [groups, per, e]);
  const counts = tf.unstack(tf.sum(grouped(stats.assignments), 1)) as tf.Tensor1D[];
  const meanProbs = tf.unstack(tf.mean(grouped(stats.probs), 1)) as tf.Tensor1D[];
  const probs = tf.split(stats.probs, groups) as tf.Tensor2D[];
  const assignments = tf.split(stats.assignments, groups) as tf.Tensor2D[];
  const kept = tf.split(stats.kept, groups) as tf.Tensor2D[];
  return counts.map((c, j) => ({
    tokens: per,
    topK: stats.topK,
    counts: c,
    meanProbs: meanProbs[j],
    probs: probs[j],
    assignments: assignments[j],
    kept: kept[j],
  }));
}

/**
 * `[T, 2·N_E]`: the assignment mask, then the kept mask. Computed inside `customGrad` with a zero
 * gradient, so top-k and comparisons (no TF.js gradients) stay off the tape.
 */
function routingMasks(probs: tf.Tensor2D, k: number, capacity: number): tf.Tensor2D {
  const masks = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
    const p = input as tf.Tensor2D;
    const [t, e] = p.shape;
    const { indices } = tf.topk(p, k);
    let assignments: tf.Tensor = tf.zeros([t, e]);
    let kept: tf.Tensor = tf.zeros([t, e]);
    let claimed: tf.Tensor = tf.zeros([e]);
    for (let r = 0; r < k; r++) {
      const choice = tf.cast(
        tf.oneHot(tf.reshape(tf.slice(indices, [0, r], [t, 1]), [t]), e),
        'float32',
      );
      // Slot of each token in its expert: earlier tokens of this rank, plus all earlier ranks.
      const position = tf.add(tf.cumsum(choice, 0, true), claimed);
      kept = tf.add(kept, tf.mul(choice, tf.cast(tf.less(position, capacity), 'float32')));
      assignments = tf.add(assignments, choice);
      claimed = tf.add(claimed, tf.sum(choice, 0));
    }
    return { value: tf.concat([assignments, kept], 1), gradFunc: () => tf.zerosLike(p) };
  });
  return masks(probs) as tf.Tensor2D;
}

/**
 * Load-balancing loss LBL = N_E·Σ_i f_i·P_i over the micro-batches j of one layer
 * (docs/algorithms.md#load-balancing-loss):
 * - micro: f_i = count_i/(K·T) per micro-batch, LBL averaged over j;
 * - global: f_i from the counts of all micro-batches, P_i still per micro-batch, averaged over j.
 * It is 1 when routing is balanced. f carries no gradient, P does.
 */
export function loadBalancingLoss(perMicro: readonly RouterStats[], scope: LblScope): tf.Scalar {
  if (perMicro.length === 0) throw new Error('load-balancing loss of no micro-batches');
  const experts = perMicro[0].counts.shape[0];
  const fractions = (s: RouterStats) => tf.div(s.counts, s.topK * s.tokens);
  const globalF =
    scope === 'global'
      ? tf.div(
          tf.addN(perMicro.map((s) => s.counts)),
          perMicro.reduce((n, s) => n + s.topK * s.tokens, 0),
        )
      : null;
  const terms = perMicro.map((s) =>
    tf.mul(experts, tf.sum(tf.mul(globalF ?? fractions(s), s.meanProbs))),
  );
  return tf.div(tf.addN(terms), perMicro.length) as tf.Scalar;
}
