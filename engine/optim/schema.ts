import * as v from 'valibot';
import { int, positive, real } from '../schema-helpers';

/** Config schemas for every optimizer a run can name; `kind` selects the variant. */

const beta = real(0, 0.9999);
const beta2 = real(0, 0.999999);
const decay = real(0, 10);

const SgdSchema = v.strictObject({ kind: v.literal('sgd'), lr: positive(100) });
const MomentumSchema = v.strictObject({
  kind: v.literal('momentum'),
  lr: positive(100),
  momentum: beta,
});
const NesterovSchema = v.strictObject({
  kind: v.literal('nesterov'),
  lr: positive(100),
  momentum: beta,
});

const AdamSchema = v.strictObject({
  kind: v.literal('adam'),
  lr: positive(10),
  beta1: beta,
  beta2,
  eps: positive(1),
});
const AdamwSchema = v.strictObject({
  ...AdamSchema.entries,
  kind: v.literal('adamw'),
  weightDecay: decay,
});
const RmspropSchema = v.strictObject({
  kind: v.literal('rmsprop'),
  lr: positive(10),
  decay: beta,
  eps: positive(1),
  momentum: beta,
});
const AdagradSchema = v.strictObject({
  kind: v.literal('adagrad'),
  lr: positive(10),
  initialAccumulator: real(0, 10),
  eps: positive(1),
});

const LambSchema = v.strictObject({
  ...AdamSchema.entries,
  kind: v.literal('lamb'),
  weightDecay: decay,
  excludeBiasAndNorm: v.boolean(),
});
const LarsSchema = v.strictObject({
  kind: v.literal('lars'),
  lr: positive(100),
  momentum: beta,
  trustCoefficient: positive(1),
  weightDecay: decay,
  nesterov: v.boolean(),
  excludeBiasAndNorm: v.boolean(),
});
const LionSchema = v.strictObject({
  kind: v.literal('lion'),
  lr: positive(1),
  beta1: beta,
  beta2: beta,
  weightDecay: decay,
});
const MuonSchema = v.strictObject({
  kind: v.literal('muon'),
  lr: positive(10),
  beta,
  nesterov: v.boolean(),
  nsSteps: int(1, 10),
  weightDecay: decay,
  adamLr: positive(10),
  adamBeta1: beta,
  adamBeta2: beta2,
  adamEps: positive(1),
  adamWeightDecay: decay,
});

export const OptimizerConfigSchema = v.variant('kind', [
  SgdSchema,
  MomentumSchema,
  NesterovSchema,
  AdamSchema,
  AdamwSchema,
  RmspropSchema,
  AdagradSchema,
  LambSchema,
  LarsSchema,
  LionSchema,
  MuonSchema,
]);

export type OptimizerConfig = v.InferOutput<typeof OptimizerConfigSchema>;
export type OptimizerKind = OptimizerConfig['kind'];
export type OptimizerConfigOf<K extends OptimizerKind> = Extract<OptimizerConfig, { kind: K }>;

export const OPTIMIZERS: readonly OptimizerKind[] = [
  'sgd',
  'momentum',
  'nesterov',
  'adam',
  'adamw',
  'rmsprop',
  'adagrad',
  'lamb',
  'lars',
  'lion',
  'muon',
];

/**
 * Defaults used when the user picks an optimizer: the papers' hyper-parameters, with learning
 * rates sized for the playground's small models (Adam's 0.01 is ten times the paper's 1e-3; Lion
 * takes 3× less than AdamW; Muon's AdamW side takes Adam's 0.01, not the reference's 3e-4).
 * LARS keeps its own 1.0: excluded biases step with the plain rate, and 5 already diverges.
 */
export const OPTIMIZER_DEFAULTS: { readonly [K in OptimizerKind]: OptimizerConfigOf<K> } = {
  sgd: { kind: 'sgd', lr: 0.1 },
  momentum: { kind: 'momentum', lr: 0.05, momentum: 0.9 },
  nesterov: { kind: 'nesterov', lr: 0.05, momentum: 0.9 },
  adam: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  adamw: { kind: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  rmsprop: { kind: 'rmsprop', lr: 0.01, decay: 0.9, eps: 1e-8, momentum: 0 },
  adagrad: { kind: 'adagrad', lr: 0.3, initialAccumulator: 0.1, eps: 1e-7 },
  lamb: {
    kind: 'lamb',
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-6,
    weightDecay: 0.01,
    excludeBiasAndNorm: true,
  },
  lars: {
    kind: 'lars',
    lr: 1,
    momentum: 0.9,
    trustCoefficient: 0.001,
    weightDecay: 0,
    nesterov: false,
    excludeBiasAndNorm: true,
  },
  lion: { kind: 'lion', lr: 0.003, beta1: 0.9, beta2: 0.99, weightDecay: 0 },
  muon: {
    kind: 'muon',
    lr: 0.02,
    beta: 0.95,
    nesterov: true,
    nsSteps: 5,
    weightDecay: 0,
    adamLr: 0.01,
    adamBeta1: 0.9,
    adamBeta2: 0.95,
    adamEps: 1e-10,
    adamWeightDecay: 0,
  },
};

export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;
export type RegularizationKind = (typeof REGULARIZATIONS)[number];

/**
 * A penalty on the kernel-role weights, for any optimizer (see `optim/regularization.ts`):
 * L1 adds rate·Σ|w| to the loss, L2 adds (rate/2)·Σw². A run without the field has none.
 */
export const RegularizationSchema = v.strictObject({
  kind: v.picklist(REGULARIZATIONS),
  rate: real(0, 10),
});

export type RegularizationConfig = v.InferOutput<typeof RegularizationSchema>;

export const REGULARIZATION_OFF: RegularizationConfig = { kind: 'none', rate: 0 };
