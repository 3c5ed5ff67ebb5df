import * as v from 'valibot';

/**
 * What the diagnostics found for one run, as it is exported with the run (the comparison JSON)
 * and read back. Plain data; NaN travels as null. Lengths are bounded so a file stays small.
 */

const num = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? Number.NaN),
);
const MAX_POINTS = 10_000;

const LrFinderSchema = v.strictObject({
  fromStep: v.number(),
  suggested: num,
  divergedAt: num,
  wallMs: num,
  points: v.pipe(v.array(v.strictObject({ lr: v.number(), loss: num })), v.maxLength(1000)),
});

const SharpnessPointSchema = v.strictObject({
  step: v.number(),
  lambdaMax: num,
  lr: num,
  /** The stability threshold at that step (2/lr for SGD); null for optimizers without one. */
  threshold: v.nullable(v.number()),
  iterations: v.number(),
  converged: v.boolean(),
  /** λ_max(P⁻¹H) with Adam's preconditioner P rather than λ_max(H). */
  preconditioned: v.optional(v.boolean()),
  ms: num,
});

const BatchHessianSchema = v.strictObject({
  step: v.number(),
  points: v.pipe(
    v.array(
      v.strictObject({
        batchSize: v.number(),
        mean: num,
        values: v.pipe(v.array(num), v.maxLength(100)),
      }),
    ),
    v.maxLength(100),
  ),
});

const CriticalBatchSchema = v.strictObject({
  /** The sweep this run belongs to, its target loss and the run's steps to it. */
  sweep: v.string(),
  target: v.number(),
  batchSize: v.number(),
  stepsToTarget: v.nullable(v.number()),
  /** The sweep's fit once it had one: B_crit with its bootstrap interval. */
  fit: v.optional(
    v.strictObject({ bCrit: num, lo: num, hi: num, level: v.number(), sMin: num, k: num }),
  ),
});

export const DiagnosticsRecordSchema = v.strictObject({
  lrFinder: v.optional(LrFinderSchema),
  sharpness: v.optional(v.pipe(v.array(SharpnessPointSchema), v.maxLength(MAX_POINTS))),
  sharpnessNow: v.optional(SharpnessPointSchema),
  batchHessian: v.optional(BatchHessianSchema),
  criticalBatch: v.optional(CriticalBatchSchema),
});

export type DiagnosticsRecord = v.InferOutput<typeof DiagnosticsRecordSchema>;
export type SharpnessRecord = v.InferOutput<typeof SharpnessPointSchema>;
export type CriticalBatchRecord = v.InferOutput<typeof CriticalBatchSchema>;
