import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { scheduleFromConfig } from './from-config';
import { SCHEDULE_INFO } from './info';
import { parseScheduleConfig, SCHEDULE_DEFAULTS, ScheduleConfigSchema, SCHEDULES } from './schema';

const env = { peakLr: 0.01, totalSteps: 1000, batchSize: 32 };

describe('scheduleFromConfig', () => {
  it.each(SCHEDULES)('%s: defaults parse, build, stay finite in [0, peak] and have UI text', (kind) => {
    const config = SCHEDULE_DEFAULTS[kind];
    expect(v.parse(ScheduleConfigSchema, config)).toEqual(config);
    for (const totalSteps of [1, 2, 7, 1000, 100_000]) {
      const lr = scheduleFromConfig(config, { ...env, totalSteps });
      for (let s = 0; s <= totalSteps; s += Math.max(1, Math.floor(totalSteps / 97))) {
        const x = lr(s);
        expect(Number.isFinite(x) && x >= 0 && x <= env.peakLr * (1 + 1e-12), `${kind} S=${totalSteps} s=${s}: ${x}`).toBe(true);
      }
    }
    const info = SCHEDULE_INFO[kind];
    expect(info.summary.length).toBeGreaterThan(10);
    for (const field of Object.keys(config).filter((k) => k !== 'kind')) expect(info.fields[field as keyof typeof info.fields]).toBeTruthy();
  });

  it('WSD: 5% warmup, 10% decay and T_half = (S − T)/5 by default', () => {
    const lr = scheduleFromConfig(SCHEDULE_DEFAULTS.wsd, env);
    expect(lr(25)).toBeCloseTo(0.005, 12);
    expect(lr(50)).toBe(0.01);
    expect(lr(900)).toBe(0.01);
    expect(lr(920)).toBeCloseTo(0.005, 12);
    expect(lr(1000)).toBeCloseTo(0.01 / 32, 12);
  });

  it('warmup then cosine over the remaining steps', () => {
    const lr = scheduleFromConfig({ kind: 'cosine', warmupFraction: 0.1, floorRatio: 0, cycles: 1 }, env);
    expect(lr(50)).toBeCloseTo(0.005, 12);
    expect(lr(100)).toBe(0.01);
    expect(lr(550)).toBeCloseTo(0.005, 12);
    expect(lr(1000)).toBeCloseTo(0, 12);
  });

  it('step: drops at fractions of the budget', () => {
    const lr = scheduleFromConfig(SCHEDULE_DEFAULTS.step, env);
    expect([0, 499, 500, 749, 750].map(lr).map((x) => +x.toPrecision(12))).toEqual([0.01, 0.01, 0.001, 0.001, 0.0001]);
  });

  it('exponential reaches finalRatio at the end', () => {
    expect(scheduleFromConfig(SCHEDULE_DEFAULTS.exponential, env)(1000)).toBeCloseTo(1e-4, 12);
  });

  it('power: a calibrated at the reference batch meets the peak at the end of warmup; explicit a is kept', () => {
    const config = { ...SCHEDULE_DEFAULTS.power, warmupFraction: 0.1 };
    const lr = scheduleFromConfig(config, { peakLr: 3e-3, totalSteps: 1000, batchSize: 32 });
    expect(lr(100)).toBeCloseTo(3e-3, 12);
    expect(lr(200)).toBeCloseTo(0.00210667, 8);
    expect(lr(950)).toBeCloseTo(0.000369336, 8);
    const explicit = scheduleFromConfig({ ...config, a: 0.0057491 }, { peakLr: 3e-3, totalSteps: 1000, batchSize: 32 });
    expect(explicit(400)).toBeCloseTo(0.00147935, 7);
  });

  it('batch scaling applies to every kind except power', () => {
    const scaling = { rule: 'sqrt' as const, refBatch: 8, optimizer: 'adam' as const };
    for (const kind of SCHEDULES) {
      const plain = scheduleFromConfig(SCHEDULE_DEFAULTS[kind], env);
      const scaled = scheduleFromConfig(SCHEDULE_DEFAULTS[kind], { ...env, scaling });
      expect(scaled(500)).toBeCloseTo(plain(500) * (kind === 'power' ? 1 : 2), 12);
    }
  });

  it('rejects a bad run environment and bad configs with clear messages', () => {
    expect(() => scheduleFromConfig(SCHEDULE_DEFAULTS.constant, { ...env, totalSteps: 0 })).toThrow(/totalSteps must be a whole number of steps > 0/);
    expect(() => scheduleFromConfig(SCHEDULE_DEFAULTS.constant, { ...env, peakLr: -1 })).toThrow(/peakLr/);
    expect(parseScheduleConfig({ kind: 'wsd' }).ok).toBe(false);
    const bad = parseScheduleConfig({ ...SCHEDULE_DEFAULTS.step, boundaries: [0.7, 0.3] });
    expect(bad.ok === false && bad.message).toMatch(/boundaries: boundaries must increase/);
    const far = parseScheduleConfig({ ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.8 });
    expect(far.ok === false && far.message).toMatch(/decayFraction/);
    expect(parseScheduleConfig({ kind: 'nope' }).ok).toBe(false);
  });
});
