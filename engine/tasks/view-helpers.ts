import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import type { RouterStats } from '../layers/moe-routing';
import type { NormKind } from '../models/schema';
import { trainModeReadOnly } from './frozen-buffers';
import type { ExpertLoadView, NormGapView } from './views';

/** Reads a tensor computed in `tidy(make)` with one async `data()` and disposes it. */
export async function readTidy(make: () => tf.Tensor): Promise<Float32Array | Int32Array> {
  const t = tf.tidy(make);
  const values = (await t.data()) as Float32Array | Int32Array;
  t.dispose();
  return values;
}

/**
 * Loss and accuracy of the same examples in train mode (batch statistics; the running ones left
 * alone) and in eval mode (running statistics): the BatchNorm train/eval gap.
 */
export async function normGapView(
  norm: NormKind,
  examples: number,
  ctx: LayerContext,
  lossAndAccuracy: (ctx: LayerContext) => [tf.Scalar, tf.Scalar],
): Promise<NormGapView> {
  const v = await readTidy(() =>
    tf.stack([
      ...lossAndAccuracy(trainModeReadOnly(ctx)),
      ...lossAndAccuracy({ ...ctx, training: false }),
    ]),
  );
  return {
    kind: 'norm-gap',
    norm,
    examples,
    train: { loss: v[0], accuracy: v[1] },
    eval: { loss: v[2], accuracy: v[3] },
  };
}

/**
 * Specialization (docs/algorithms.md#load-balancing-loss): with r_d(i) the share of domain-d
 * assignments routed to expert i,
 * Spec = 1 − mean_d H(r_d)/ln N_E. `counts[d][i]`; domains without tokens are skipped.
 */
export function specialization(counts: readonly (readonly number[])[]): number {
  const experts = counts[0]?.length ?? 0;
  const entropies = counts
    .filter((row) => row.reduce((a, b) => a + b, 0) > 0)
    .map((row) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row.reduce((h, c) => (c > 0 ? h - (c / total) * Math.log(c / total) : h), 0);
    });
  if (entropies.length === 0 || experts < 2) return 0;
  return 1 - entropies.reduce((a, b) => a + b, 0) / entropies.length / Math.log(experts);
}

/** Each MoE layer's assignment and kept masks stacked `[2, T, N_E]`, kept out of the tidy. */
export function routingMasks(routing: readonly RouterStats[]): tf.Tensor3D[] {
  return routing.map((s) => tf.stack([s.assignments, s.kept]) as tf.Tensor3D);
}

/**
 * Expert load of every MoE layer from one forward pass's `routingMasks` (disposed here); with
 * `domain` (one id per routed token, in routing order) and more than one domain, the specialization.
 */
export async function expertLoadView(
  masks: readonly tf.Tensor3D[],
  domain: Int32Array | null,
  domains: readonly string[],
): Promise<ExpertLoadView> {
  const experts = masks[0]?.shape[2] ?? 0;
  const load: number[][] = [];
  const dropped: number[] = [];
  const specs: number[] = [];
  for (const mask of masks) {
    const tokens = mask.shape[1];
    const values = await mask.data();
    mask.dispose();
    const assigned = values.subarray(0, tokens * experts);
    const kept = values.subarray(tokens * experts);
    const perExpert = new Array<number>(experts).fill(0);
    const perDomain = domains.map(() => new Array<number>(experts).fill(0));
    let keptTotal = 0;
    for (let t = 0; t < tokens; t++) {
      for (let i = 0; i < experts; i++) {
        const a = assigned[t * experts + i];
        perExpert[i] += a;
        keptTotal += kept[t * experts + i];
        if (domain && a > 0) perDomain[domain[t]][i] += a;
      }
    }
    const total = perExpert.reduce((a, b) => a + b, 0) || 1;
    load.push(perExpert.map((c) => c / total));
    dropped.push(1 - keptTotal / total);
    specs.push(specialization(perDomain));
  }
  const spec =
    domain && domains.length > 1 && specs.length > 0
      ? specs.reduce((a, b) => a + b, 0) / specs.length
      : null;
  return { kind: 'expert-load', experts, load, dropped, specialization: spec, domains };
}
