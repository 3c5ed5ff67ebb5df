import * as v from 'valibot';

/** Config schemas for every optimizer a run can name; `kind` selects the variant. */

const real = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
const positive = (max: number) => v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(max));

const SgdSchema = v.strictObject({
  kind: v.literal('sgd'),
  lr: positive(100),
});

const AdamSchema = v.strictObject({
  kind: v.literal('adam'),
  lr: positive(10),
  beta1: real(0, 0.9999),
  beta2: real(0, 0.999999),
  eps: positive(1),
});

export const OptimizerConfigSchema = v.variant('kind', [SgdSchema, AdamSchema]);

export type OptimizerConfig = v.InferOutput<typeof OptimizerConfigSchema>;
export type OptimizerKind = OptimizerConfig['kind'];

export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam'];

/** Defaults used when the user picks an optimizer. */
export const OPTIMIZER_DEFAULTS: { readonly [K in OptimizerKind]: Extract<OptimizerConfig, { kind: K }> } = {
  sgd: { kind: 'sgd', lr: 0.1 },
  adam: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
};
