import * as v from 'valibot';
import { int, parseWith, type ParseResult } from './schema-helpers';
import { DATA_DEFAULTS, DataConfigSchema, isToy2D, type DataConfig } from './data/schema';
import { MODEL_DEFAULTS, MODEL_STEPS, ModelConfigSchema } from './models/schema';
import {
  OPTIMIZER_DEFAULTS,
  OptimizerConfigSchema,
  REGULARIZATION_OFF,
  RegularizationSchema,
} from './optim/schema';
import { BATCH_SCALING_RULES } from './plan/run-plan';
import { SCHEDULE_DEFAULTS, ScheduleConfigSchema } from './schedule/schema';
import { QUANT_DEFAULT, QuantConfigSchema } from './quant/schema';
import { BATCHING_PLAIN, BatchingSchema } from './data/hard-batches';
import { DeriveInitSchema, DistillSchema } from './derive/schema';
import { SortedConfigSchema } from './models/sorted-schema';

export * from './data/schema';
export * from './models/schema';
export * from './derive/schema';

export { OPTIMIZER_DEFAULTS, OPTIMIZERS, OptimizerConfigSchema } from './optim/schema';
export { REGULARIZATIONS, REGULARIZATION_OFF, RegularizationSchema } from './optim/schema';
export type { OptimizerConfig, OptimizerKind } from './optim/schema';
export type { RegularizationConfig, RegularizationKind } from './optim/schema';
export { BATCHINGS, BATCHING_PLAIN, BatchingSchema } from './data/hard-batches';
export type { BatchingConfig, BatchingKind } from './data/hard-batches';
export * from './models/sorted-schema';

/**
 * The one schema for a run. The UI form, the worker, the URL codec, persistence and import all
 * parse with it. Each top-level field is hot (may change while the run trains) or cold (changing
 * it means a new run); see `FIELD_TEMPERATURE`.
 */

export const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type BackendChoice = (typeof BACKENDS)[number];

export const RunConfigSchema = v.strictObject({
  seed: int(0, 2 ** 31 - 1),
  data: DataConfigSchema,
  model: ModelConfigSchema,
  optimizer: OptimizerConfigSchema,
  /**
   * L1 or L2 penalty on the kernel weights, for any optimizer; absent means none (configs saved
   * before it keep parsing).
   */
  regularization: v.optional(RegularizationSchema),
  /** How the learning rate moves over the run; the optimizer's lr is its peak. */
  schedule: ScheduleConfigSchema,
  /** Fake quantization of weights, activations and gradients; may be switched on mid-run (warm-start QAT). */
  quant: QuantConfigSchema,
  batchSize: int(1, 4096),
  /**
   * Gradient accumulation: the batch is split into this many micro-batches, each run forward on
   * its own (BatchNorm statistics, MoE routing counts per micro-batch), and one step is taken.
   */
  microBatches: int(1, 64),
  /**
   * Which mini-batches an epoch trains on: all (plain), or the hardest fraction δ by loss, scored
   * at the start of each epoch (engine/data/hard-batches.ts). Absent means plain.
   */
  batching: v.optional(BatchingSchema),
  /** How the learning rate follows the batch size, from the batch size it was tuned at. */
  batchScaling: v.strictObject({
    rule: v.picklist(BATCH_SCALING_RULES),
    referenceBatch: int(1, 1024),
  }),
  /** Total optimizer steps; the run finishes there. */
  steps: int(1, 1_000_000),
  /** Metrics are read back from the device once every this many steps. */
  metricsEvery: int(1, 1000),
  backend: v.picklist(BACKENDS),
  /** A derived run: start from the parent run's weights (pruned or not); absent, from the seed. */
  init: v.optional(DeriveInitSchema),
  /** Logit distillation from the parent's frozen weights (needs `init.from: 'parent'`). */
  distill: v.optional(DistillSchema),
  /**
   * Sorted (nested-width) training of an MLP: each step trains the first k units of every hidden
   * layer for a drawn width fraction; absent means off (engine/models/sorted-schema.ts).
   */
  sorted: v.optional(SortedConfigSchema),
});

export type RunConfig = v.InferOutput<typeof RunConfigSchema>;

/** Hot fields may change mid-run (`reconfigure`); cold fields define the run. */
export const FIELD_TEMPERATURE = {
  seed: 'cold',
  data: 'cold',
  model: 'cold',
  optimizer: 'hot',
  regularization: 'hot',
  schedule: 'hot',
  quant: 'hot',
  batchSize: 'hot',
  microBatches: 'hot',
  batching: 'cold',
  batchScaling: 'hot',
  steps: 'hot',
  metricsEvery: 'hot',
  backend: 'cold',
  init: 'cold',
  distill: 'cold',
  sorted: 'hot',
} as const satisfies Record<keyof RunConfig, 'hot' | 'cold'>;

export type HotField = {
  [K in keyof typeof FIELD_TEMPERATURE]: (typeof FIELD_TEMPERATURE)[K] extends 'hot' ? K : never;
}[keyof typeof FIELD_TEMPERATURE];

export type HotPatch = Partial<Pick<RunConfig, HotField>>;

/** The hot fields of a config: what `reconfigure` takes. */
export function hotFields(config: RunConfig): HotPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(FIELD_TEMPERATURE) as (keyof RunConfig)[]) {
    if (FIELD_TEMPERATURE[key] === 'hot') out[key] = config[key];
  }
  return out as HotPatch;
}

export const HotPatchSchema = v.strictObject({
  optimizer: v.optional(OptimizerConfigSchema),
  regularization: v.optional(RegularizationSchema),
  schedule: v.optional(ScheduleConfigSchema),
  quant: v.optional(QuantConfigSchema),
  batchSize: v.optional(RunConfigSchema.entries.batchSize),
  microBatches: v.optional(RunConfigSchema.entries.microBatches),
  batchScaling: v.optional(RunConfigSchema.entries.batchScaling),
  steps: v.optional(RunConfigSchema.entries.steps),
  metricsEvery: v.optional(RunConfigSchema.entries.metricsEvery),
  sorted: v.optional(SortedConfigSchema),
});

export const DEFAULT_CONFIG: RunConfig = {
  seed: 1,
  data: DATA_DEFAULTS.spiral,
  model: MODEL_DEFAULTS.mlp,
  optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 0.03 },
  regularization: REGULARIZATION_OFF,
  // Cosine decay to zero, no warmup: the first run ends settled instead of overfitting at full
  // rate (engine/defaults.test.ts); with no warmup, runs with a huge step budget start as before.
  schedule: { ...SCHEDULE_DEFAULTS.cosine, warmupFraction: 0 },
  quant: QUANT_DEFAULT,
  batchSize: 32,
  microBatches: 1,
  batching: BATCHING_PLAIN,
  batchScaling: { rule: 'off', referenceBatch: 32 },
  steps: MODEL_STEPS.mlp,
  metricsEvery: 10,
  backend: 'auto',
};

/**
 * Defaults of each variant of the fields that have a `kind`: picking a kind starts from these.
 * The URL codec and the UI use it; a new variant field registers here.
 */
export const VARIANT_DEFAULTS = {
  data: DATA_DEFAULTS,
  model: MODEL_DEFAULTS,
  optimizer: OPTIMIZER_DEFAULTS,
  schedule: SCHEDULE_DEFAULTS,
} as const satisfies Partial<Record<keyof RunConfig, Readonly<Record<string, object>>>>;

export { describeIssues, quoteInput, type ParseResult } from './schema-helpers';

export function parseRunConfig(input: unknown): ParseResult<RunConfig> {
  return parseWith(RunConfigSchema, input);
}

export function parseHotPatch(input: unknown): ParseResult<HotPatch> {
  return parseWith(HotPatchSchema, input);
}

/** Whether the model predicts classes (cross-entropy) or a number (mean squared error). */
export function taskOf(data: DataConfig): 'classification' | 'regression' {
  return isToy2D(data) && data.kind === 'plane' ? 'regression' : 'classification';
}
