import * as v from 'valibot';
import { int, parseWith, real, type ParseResult } from '../schema-helpers';
import { DECAY_SHAPES } from './wsd';

/**
 * Config schemas for every schedule a run can name; `kind` selects the variant. Lengths are
 * fractions of the run's step budget, so one config works for any budget; the rate itself is
 * the optimizer's `lr` (the peak). Each fraction pair that must fit the budget is capped at ½.
 */

/** Fraction of the budget spent in linear warmup from 0. */
const warmupFraction = real(0, 0.5);
const ratio = real(0, 1);

const ConstantSchema = v.strictObject({ kind: v.literal('constant'), warmupFraction });
const StepSchema = v.strictObject({
  kind: v.literal('step'),
  warmupFraction,
  /** Where the rate drops, as fractions of the budget, increasing. */
  boundaries: v.pipe(
    v.array(v.pipe(v.number(), v.finite(), v.gtValue(0), v.ltValue(1))),
    v.maxLength(8),
    v.check((b) => b.every((x, i) => i === 0 || x > b[i - 1]), 'boundaries must increase'),
  ),
  factor: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1)),
});
const ExponentialSchema = v.strictObject({
  kind: v.literal('exponential'),
  warmupFraction,
  finalRatio: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1)),
});
const CosineSchema = v.strictObject({
  kind: v.literal('cosine'),
  warmupFraction,
  floorRatio: ratio,
  cycles: int(1, 20),
});
const WsdSchema = v.strictObject({
  kind: v.literal('wsd'),
  warmupFraction,
  decayFraction: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(0.5)),
  shape: v.picklist(DECAY_SHAPES),
  floorRatio: ratio,
  /** Exponential shape: T_half as a fraction of the decay length (0.2 = (S − T)/5). */
  halfLifeFraction: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1)),
});
const PowerSchema = v.strictObject({
  kind: v.literal('power'),
  warmupFraction,
  /** b, the exponent of the law. */
  exponent: real(-1, -0.01),
  /** a; absent: calibrated so that at `referenceBatch` the law meets the peak when warmup ends. */
  a: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
  referenceBatch: int(1, 4096),
  decayFraction: real(0, 0.5),
  /** d: the final decay ends at d times where it started. */
  decayFloor: ratio,
});
const OneCycleSchema = v.strictObject({
  kind: v.literal('onecycle'),
  /** Fraction of the budget spent rising to the peak (torch's pct_start). */
  warmupFraction: v.pipe(v.number(), v.finite(), v.gtValue(0), v.ltValue(1)),
  divFactor: real(1, 1e4),
  finalDivFactor: real(1, 1e6),
});

export const ScheduleConfigSchema = v.variant('kind', [
  ConstantSchema,
  StepSchema,
  ExponentialSchema,
  CosineSchema,
  WsdSchema,
  PowerSchema,
  OneCycleSchema,
]);

export type ScheduleConfig = v.InferOutput<typeof ScheduleConfigSchema>;
export type ScheduleKind = ScheduleConfig['kind'];
export type ScheduleConfigOf<K extends ScheduleKind> = Extract<ScheduleConfig, { kind: K }>;

export const SCHEDULES: readonly ScheduleKind[] = [
  'constant',
  'step',
  'exponential',
  'cosine',
  'wsd',
  'power',
  'onecycle',
];

/**
 * Defaults used when the user picks a schedule (docs/algorithms.md#schedules and the papers' own).
 */
export const SCHEDULE_DEFAULTS: { readonly [K in ScheduleKind]: ScheduleConfigOf<K> } = {
  constant: { kind: 'constant', warmupFraction: 0 },
  step: { kind: 'step', warmupFraction: 0, boundaries: [0.5, 0.75], factor: 0.1 },
  exponential: { kind: 'exponential', warmupFraction: 0, finalRatio: 0.01 },
  cosine: { kind: 'cosine', warmupFraction: 0.05, floorRatio: 0, cycles: 1 },
  wsd: {
    kind: 'wsd',
    warmupFraction: 0.05,
    decayFraction: 0.1,
    shape: 'exponential',
    floorRatio: 0,
    halfLifeFraction: 0.2,
  },
  power: {
    kind: 'power',
    warmupFraction: 0.05,
    exponent: -0.51,
    referenceBatch: 32,
    decayFraction: 0.1,
    decayFloor: 0,
  },
  onecycle: { kind: 'onecycle', warmupFraction: 0.3, divFactor: 25, finalDivFactor: 1e4 },
};

/** Parses a schedule config; the message names the first few problems by path. */
export function parseScheduleConfig(input: unknown): ParseResult<ScheduleConfig> {
  return parseWith(ScheduleConfigSchema, input, 3);
}
