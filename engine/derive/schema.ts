import * as v from 'valibot';
import { int, positive, real } from '../schema-helpers';

/**
 * A run derived from a trained run (docs/algorithms.md#derived-runs): its weights start from the
 * parent's final weights instead of the seed, pruned to the child's widths or copied as they are.
 * TF.js-free.
 */
export const DeriveInitSchema = v.strictObject({
  from: v.literal('parent'),
  /**
   * MLPs: keep, in each hidden layer, the units with the largest mean |activation| over the first
   * `calibration` training examples, as many as the child's `model.hidden` says.
   */
  prune: v.optional(v.strictObject({ calibration: int(1, 8000) })),
});

/**
 * Logit distillation from the parent's frozen weights: the loss is
 * (1 − weight) · CE(student, labels) + weight · τ² · KL(softmax(t/τ) ‖ softmax(s/τ)).
 */
export const DistillSchema = v.strictObject({
  temperature: positive(100),
  weight: real(0, 1),
});

export type DeriveInit = v.InferOutput<typeof DeriveInitSchema>;
export type DistillConfig = v.InferOutput<typeof DistillSchema>;

/** The defaults the UI starts from: Minitron's calibration batch and τ = 1, KD only. */
export const PRUNE_DEFAULT = { calibration: 1024 } as const;
export const DISTILL_DEFAULT: DistillConfig = { temperature: 1, weight: 1 };
