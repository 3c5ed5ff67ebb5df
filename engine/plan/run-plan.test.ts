import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { OPTIMIZER_DEFAULTS, OPTIMIZERS } from '../optim/schema';
import { SCHEDULE_INFO } from '../schedule/info';
import {
  parseScheduleConfig,
  SCHEDULE_DEFAULTS,
  ScheduleConfigSchema,
  SCHEDULES,
  type ScheduleConfig,
} from '../schedule/schema';
import { decayBranch, phasesOf, runPlan, scaledLr, type PlanConfig } from './run-plan';

/** A plan config: Adam at `lr`, batch 32 with no batch scaling unless `patch` says otherwise. */
const cfg = (schedule: ScheduleConfig, patch: Partial<PlanConfig> = {}, lr = 0.01): PlanConfig => ({
  optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr },
  schedule,
  steps: 1000,
  batchSize: 32,
  batchScaling: { rule: 'off', referenceBatch: 32 },
  ...patch,
});
const lrOf = (schedule: ScheduleConfig, patch: Partial<PlanConfig> = {}, lr = 0.01) =>
  runPlan(cfg(schedule, patch, lr)).lr;

describe('runPlan: schedules from configs', () => {
  it.each(SCHEDULES)(
    '%s: defaults parse, build, stay finite in [0, peak] and have UI text',
    (kind) => {
      const config = SCHEDULE_DEFAULTS[kind];
      expect(v.parse(ScheduleConfigSchema, config)).toEqual(config);
      for (const steps of [1, 2, 7, 1000, 100_000]) {
        const lr = lrOf(config, { steps });
        for (let s = 0; s <= steps; s += Math.max(1, Math.floor(steps / 97))) {
          const x = lr(s);
          expect(
            Number.isFinite(x) && x >= 0 && x <= 0.01 * (1 + 1e-12),
            `${kind} S=${steps} s=${s}: ${x}`,
          ).toBe(true);
        }
      }
      const info = SCHEDULE_INFO[kind];
      expect(info.summary.length).toBeGreaterThan(10);
      for (const field of Object.keys(config).filter((k) => k !== 'kind'))
        expect(info.fields[field as keyof typeof info.fields]).toBeTruthy();
    },
  );

  it('WSD: 5% warmup, 10% decay and T_half = (S − T)/5 by default', () => {
    const lr = lrOf(SCHEDULE_DEFAULTS.wsd);
    expect(lr(25)).toBeCloseTo(0.005, 12);
    expect(lr(50)).toBe(0.01);
    expect(lr(900)).toBe(0.01);
    expect(lr(920)).toBeCloseTo(0.005, 12);
    expect(lr(1000)).toBeCloseTo(0.01 / 32, 12);
  });

  it('warmup then cosine over the remaining steps', () => {
    const lr = lrOf({ kind: 'cosine', warmupFraction: 0.1, floorRatio: 0, cycles: 1 });
    expect(lr(50)).toBeCloseTo(0.005, 12);
    expect(lr(100)).toBe(0.01);
    expect(lr(550)).toBeCloseTo(0.005, 12);
    expect(lr(1000)).toBeCloseTo(0, 12);
  });

  it('step: drops at fractions of the budget', () => {
    const lr = lrOf(SCHEDULE_DEFAULTS.step);
    expect([0, 499, 500, 749, 750].map(lr).map((x) => +x.toPrecision(12))).toEqual([
      0.01, 0.01, 0.001, 0.001, 0.0001,
    ]);
    expect(phasesOf(SCHEDULE_DEFAULTS.step, 1000).drops).toEqual([500, 750]);
  });

  it('exponential reaches finalRatio at the end', () => {
    expect(lrOf(SCHEDULE_DEFAULTS.exponential)(1000)).toBeCloseTo(1e-4, 12);
  });

  it('power: a calibrated at the reference batch meets the peak at the end of warmup; explicit a is kept', () => {
    const config = { ...SCHEDULE_DEFAULTS.power, warmupFraction: 0.1 };
    const lr = lrOf(config, {}, 3e-3);
    expect(lr(100)).toBeCloseTo(3e-3, 12);
    expect(lr(200)).toBeCloseTo(0.00210667, 8);
    expect(lr(950)).toBeCloseTo(0.000369336, 8);
    expect(lrOf({ ...config, a: 0.0057491 }, {}, 3e-3)(400)).toBeCloseTo(0.00147935, 7);
  });

  it('rejects a bad budget, rate or batch and bad configs with clear messages', () => {
    expect(() => runPlan(cfg(SCHEDULE_DEFAULTS.constant, { steps: 0 }))).toThrow(
      /totalSteps must be a whole number of steps > 0/,
    );
    expect(() => runPlan(cfg(SCHEDULE_DEFAULTS.constant, {}, -1))).toThrow(/optimizer\.lr/);
    expect(() => runPlan(cfg(SCHEDULE_DEFAULTS.constant, { batchSize: 0 }))).toThrow(/batchSize/);
    expect(parseScheduleConfig({ kind: 'wsd' }).ok).toBe(false);
    const bad = parseScheduleConfig({ ...SCHEDULE_DEFAULTS.step, boundaries: [0.7, 0.3] });
    expect(bad.ok === false && bad.message).toMatch(/boundaries: boundaries must increase/);
    const far = parseScheduleConfig({ ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.8 });
    expect(far.ok === false && far.message).toMatch(/decayFraction/);
    expect(parseScheduleConfig({ kind: 'nope' }).ok).toBe(false);
  });
});

describe('runPlan: the step convention at phase boundaries', () => {
  it('warmup: update 1 is at peak/W, update W at the peak', () => {
    const plan = runPlan(cfg({ kind: 'constant', warmupFraction: 0.1 }, { steps: 100 }));
    expect(plan.phases).toEqual({ totalSteps: 100, warmupSteps: 10, decayStart: null, drops: [] });
    expect(plan.lr(1)).toBeCloseTo(0.001, 12);
    expect(plan.lr(9)).toBeLessThan(0.01);
    expect(plan.lr(10)).toBe(0.01);
  });

  it('WSD: the stable phase ends at T = S − round(fS), where round((1 − f)S) would be one later', () => {
    // f·S = 0.5 rounds up to 1, so T = 19; (1 − f)·S = 19.5 would round to 20.
    const wsd = {
      ...SCHEDULE_DEFAULTS.wsd,
      warmupFraction: 0,
      decayFraction: 0.025,
      shape: 'linear' as const,
    };
    const plan = runPlan(cfg(wsd, { steps: 20 }));
    expect(plan.phases.decayStart).toBe(19);
    expect(plan.lr(19)).toBe(0.01);
    expect(plan.lr(20)).toBeCloseTo(0, 12);
  });

  it('WSD: warmup, stable and decay meet at the plan’s boundaries', () => {
    const plan = runPlan(cfg({ ...SCHEDULE_DEFAULTS.wsd, shape: 'linear' }));
    const { warmupSteps: W, decayStart: T } = plan.phases;
    expect([W, T]).toEqual([50, 900]);
    expect(plan.lr(W - 1)).toBeLessThan(0.01);
    expect([plan.lr(W), plan.lr(900)]).toEqual([0.01, 0.01]);
    expect(plan.lr(901)).toBeCloseTo(0.01 * (1 - 1 / 100), 12);
  });

  it('power: the law up to T = S − D, the final decay after', () => {
    const plan = runPlan(cfg(SCHEDULE_DEFAULTS.power, {}, 3e-3));
    expect(plan.phases).toMatchObject({ warmupSteps: 50, decayStart: 900 });
    expect(plan.lr(50)).toBeCloseTo(3e-3, 12);
    const law = plan.lr(899) * (900 / 899) ** -0.51;
    expect(plan.lr(900)).toBeCloseTo(law, 12);
    expect(plan.lr(901)).toBeLessThan(law * (901 / 900) ** -0.51);
    expect(plan.lr(1000)).toBeCloseTo(0, 12); // decayFloor 0
    expect(
      runPlan(cfg({ ...SCHEDULE_DEFAULTS.power, decayFraction: 0 })).phases.decayStart,
    ).toBeNull();
  });
});

describe('runPlan: batch-size scaling of the peak', () => {
  it('scales every kind but power by √(B/B₀) for Adam and B/B₀ for SGD', () => {
    const scaled = { batchSize: 128, batchScaling: { rule: 'auto' as const, referenceBatch: 32 } };
    for (const kind of SCHEDULES) {
      const plain = runPlan(cfg(SCHEDULE_DEFAULTS[kind]));
      const adam = runPlan(cfg(SCHEDULE_DEFAULTS[kind], scaled));
      const factor = kind === 'power' ? 1 : 2;
      expect(adam.batchFactor).toBe(factor);
      expect(adam.peakLr).toBeCloseTo(0.01 * factor, 12);
      // Power reads the batch size itself (samples seen = step·B), so only the others compare.
      if (kind !== 'power') expect(adam.lr(500)).toBeCloseTo(plain.lr(500) * factor, 12);
    }
    const sgd = runPlan({
      ...cfg(SCHEDULE_DEFAULTS.constant, scaled),
      optimizer: OPTIMIZER_DEFAULTS.sgd,
    });
    expect(sgd.batchFactor).toBe(4);
  });

  // docs/algorithms.md#learning-rate-and-batch-size: η₀ = 0.1 (SGD), 1e-3 (Adam), B₀ = 32.
  it.each([
    { batch: 8, sgd: 0.025, adam: 0.0005 },
    { batch: 128, sgd: 0.4, adam: 0.002 },
    { batch: 512, sgd: 1.6, adam: 0.004 },
  ])('scaledLr B=$batch: SGD $sgd, Adam $adam', ({ batch, sgd, adam }) => {
    expect(scaledLr(0.1, batch, 32, 'linear', 'sgd')).toBeCloseTo(sgd, 12);
    expect(scaledLr(1e-3, batch, 32, 'sqrt', 'adam')).toBeCloseTo(adam, 12);
    expect(scaledLr(0.1, batch, 32, 'auto', 'sgd')).toBeCloseTo(sgd, 12);
    expect(scaledLr(1e-3, batch, 32, 'auto', 'adam')).toBeCloseTo(adam, 12);
    expect(scaledLr(0.1, batch, 32, 'off', 'sgd')).toBe(0.1);
  });

  it('scaledLr auto: linear for the SGD family, square root for the Adam family', () => {
    for (const kind of ['sgd', 'momentum', 'nesterov', 'lars'] as const)
      expect(scaledLr(1, 128, 32, 'auto', kind)).toBe(4);
    for (const kind of ['adam', 'adamw', 'lamb', 'rmsprop', 'adagrad', 'lion', 'muon'] as const)
      expect(scaledLr(1, 128, 32, 'auto', kind)).toBe(2);
    for (const kind of OPTIMIZERS) expect(scaledLr(0.3, 32, 32, 'auto', kind)).toBe(0.3);
    expect(() => scaledLr(0.1, 0, 32, 'linear', 'sgd')).toThrow();
  });
});

describe('decayBranch ("Decay now")', () => {
  const config = {
    ...DEFAULT_CONFIG,
    steps: 1000,
    schedule: { ...SCHEDULE_DEFAULTS.wsd, shape: 'linear' as const },
  };

  it('a branch from the stable phase keeps the decay length and starts it with the next update', () => {
    const branch = decayBranch(config, 400);
    if (!branch) throw new Error('expected a branch');
    expect(branch.steps).toBe(500);
    const plan = runPlan({ ...config, ...branch });
    expect(plan.phases).toMatchObject({ decayStart: 400, warmupSteps: 50, totalSteps: 500 });
    expect(plan.lr(400)).toBe(config.optimizer.lr);
    expect(plan.lr(401)).toBeLessThan(config.optimizer.lr);
    expect(plan.lr(500)).toBeCloseTo(0, 12);
  });

  it('none outside the stable phase or for other schedules', () => {
    expect(decayBranch(config, 0)).toBeNull();
    expect(decayBranch(config, 49)).toBeNull(); // warming up
    expect(decayBranch(config, 50)).not.toBeNull();
    expect(decayBranch(config, 899)).not.toBeNull();
    expect(decayBranch(config, 900)).toBeNull(); // already decaying
    expect(decayBranch({ ...config, schedule: SCHEDULE_DEFAULTS.cosine }, 400)).toBeNull();
  });
});
