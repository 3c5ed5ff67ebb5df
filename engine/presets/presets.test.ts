import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import { phasesOf, runPlan } from '../plan/run-plan';
import { POWER_A } from './power-scheduler';
import { epochStep as hardEpochStep } from './hard-batches';
import { PRESETS, presetById } from './index';
import type { ArmResult, AvailablePreset, Outcome, PresetResults } from './types';

type Partial1 = Partial<Omit<ArmResult, 'label' | 'seed'>>;

function result(label: string, seed: number, p: Partial1): ArmResult {
  const finalTestLoss = p.finalTestLoss ?? 1;
  return {
    label,
    seed,
    loss: p.loss ?? [],
    evalSteps: p.evalSteps ?? [100],
    testLoss: p.testLoss ?? [finalTestLoss],
    testAccuracy: p.testAccuracy ?? [p.finalTestAccuracy ?? 0.9],
    finalTestLoss,
    bestTestLoss: p.bestTestLoss ?? finalTestLoss,
    finalTestAccuracy: p.finalTestAccuracy ?? 0.9,
    finalTrainLoss: p.finalTrainLoss ?? finalTestLoss,
    extra: p.extra ?? {},
    wallMs: 0,
  };
}

/** Results for every arm of a preset: `seeds[i]` maps a label to seed i's numbers. */
function results(
  preset: AvailablePreset,
  seeds: readonly ((label: string) => Partial1)[],
): PresetResults {
  return Object.fromEntries(
    preset.arms.map((a) => [a.label, seeds.map((f, i) => result(a.label, i + 1, f(a.label)))]),
  );
}

const acc = (x: number): Partial1 => ({ finalTestAccuracy: x / 100 });
const loss = (x: number): Partial1 => ({ finalTestLoss: x });
const decay = (from: number, to: number, n: number) =>
  Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

const probeScores = (a: number): Partial1 => ({
  extra: {
    probeAccuracy_domain: a,
    probeAccuracy_brackets: a - 0.2,
    probeLoss_domain: 1 - a,
    probeLoss_brackets: 1.2 - a,
  },
});
/**
 * A hard-batches arm's test-accuracy curve: evaluated every 32 steps up to the end of epoch 5,
 * rising linearly to `final` (by label) there.
 */
function hardCurve(label: string, final: Record<string, number>): Partial1 {
  const keep = Number(label.split('=')[1]);
  const end = hardEpochStep(keep);
  const evalSteps = Array.from({ length: end / 32 }, (_, i) => 32 * (i + 1));
  const testAccuracy = evalSteps.map((s) => (final[label] * s) / end);
  return { evalSteps, testAccuracy, finalTestAccuracy: final[label] };
}

/** Per preset: label → numbers for a seed that passes and one that fails. */
const table = (t: Record<string, number>) => (l: string) => t[l];
const SCENARIOS: Record<string, { pass: (l: string) => Partial1; fail: (l: string) => Partial1 }> =
  {
    'rmt-lr-batch': {
      pass: (l) => {
        const b = Number(l.split('=')[1]);
        return { extra: { etaMax: l.startsWith('sgd') ? 0.01 * b : 0.001 * Math.sqrt(b) } };
      },
      fail: (l) => ({ extra: { etaMax: 0.01 * Number(l.split('=')[1]) ** 0.2 } }),
    },
    'lamb-large-batch': {
      pass: (l) =>
        acc(
          table({ 'Adam B=32': 95, 'Adam B=2048': 90, 'LAMB B=2048': 94.5, 'LARS B=2048': 94.2 })(
            l,
          ),
        ),
      fail: (l) =>
        acc(table({ 'Adam B=32': 95, 'Adam B=2048': 94, 'LAMB B=2048': 90, 'LARS B=2048': 91 })(l)),
    },
    'hard-batches': {
      pass: (l) => hardCurve(l, { 'δ=1': 0.9, 'δ=0.5': 0.92, 'δ=0.25': 0.91 }),
      fail: (l) => hardCurve(l, { 'δ=1': 0.92, 'δ=0.5': 0.9, 'δ=0.25': 0.88 }),
    },
    'micro-batch-norm': {
      pass: (l) =>
        acc(
          table({
            'BN B=64': 95,
            'BN B=2': 90,
            'GN B=2': 94,
            'GN+WS B=2': 94.8,
            'BCN+WS B=2': 95.1,
          })(l),
        ),
      fail: (l) =>
        acc(
          table({ 'BN B=64': 95, 'BN B=2': 95, 'GN B=2': 94, 'GN+WS B=2': 92, 'BCN+WS B=2': 93 })(
            l,
          ),
        ),
    },
    'layer-norm': {
      pass: (l) => ({
        loss: l.startsWith('layer') ? decay(1, 0.1, 200) : decay(1, 0.1, 600),
        finalTestLoss: l === 'batch B=4' ? 0.6 : 0.2,
      }),
      fail: (l) => ({
        loss: l.startsWith('none') ? decay(1, 0.1, 100) : decay(1, 0.1, 600),
        finalTestLoss: l === 'layer B=4' ? 0.6 : 0.2,
      }),
    },
    muon: {
      pass: (l) => ({
        evalSteps: [100, 200, 300],
        testLoss: l === 'Muon' ? [1.5, 1.2, 1.1] : [1.8, 1.5, 1.3],
        finalTestLoss: l === 'Muon' ? 1.1 : 1.3,
      }),
      fail: (l) => ({
        evalSteps: [100, 200, 300],
        testLoss: l === 'Muon' ? [1.9, 1.6, 1.4] : [1.8, 1.5, 1.3],
        finalTestLoss: l === 'Muon' ? 1.4 : 1.3,
      }),
    },
    bitnet: {
      pass: (l) => ({
        finalTestAccuracy: l === 'FP32' ? 0.95 : 0.945,
        finalTestLoss: table({ 'LM FP32': 1.2, 'LM b1.58': 1.3, 'LM b1.58 2x wide': 1.21 })(l) ?? 1,
      }),
      fail: (l) => ({
        finalTestAccuracy: l === 'FP32' ? 0.95 : l.includes('mean') ? 0.9 : 0.93,
        finalTestLoss: table({ 'LM FP32': 1.2, 'LM b1.58': 1.1, 'LM b1.58 2x wide': 1.5 })(l) ?? 1,
      }),
    },
    wsd: {
      pass: (l) => ({
        evalSteps: [800, 900, 1000],
        testLoss: l === 'WSD 10%' ? [1.3, 1.28, 1.2] : [1.3, 1.25, 1.21],
        finalTestLoss:
          table({ cosine: 1.2, constant: 1.3, 'WSD 10%': 1.2, 'WSD 2.5%': 1.22 })(l) ?? 1.25,
      }),
      fail: (l) => ({
        evalSteps: [800, 900, 1000],
        testLoss: [1.3, 1.25, 1.24],
        finalTestLoss:
          table({
            cosine: 1.2,
            constant: 1.1,
            'WSD 10%': 1.3,
            'WSD 2.5%': 1.22,
            'WSD from 50%': 1.4,
          })(l) ?? 1.25,
      }),
    },
    'power-scheduler': {
      pass: (l) =>
        loss(
          l.startsWith('power B=16')
            ? 1.2
            : l.startsWith('wsd B=16')
              ? 1.19
              : l.startsWith('power B=64')
                ? 1.1
                : 1.15,
        ),
      fail: (l) =>
        loss(
          l.startsWith('power B=16')
            ? 1.4
            : l.startsWith('wsd B=16')
              ? 1.19
              : l.startsWith('power B=64')
                ? 1.3
                : 1.15,
        ),
    },
    cct: {
      pass: (l) => acc(({ CNN: 95, CCT: 94.8 } as Record<string, number>)[l] ?? 91),
      fail: (l) => acc(l === 'CNN' ? 95 : 90),
    },
    gpicl: {
      // Few tasks memorize, the fresh arm's unseen accuracy rises; failing: nothing is learned
      // and the loss is not at a plateau (so the verdict may fail rather than wait).
      pass: (l) => ({
        extra: l.startsWith('2^4')
          ? { trainLate: 0.9, unseenEarly: 0.25, unseenLate: 0.26, plateau: 0, plateauSteps: 0 }
          : { trainLate: 0.6, unseenEarly: 0.3, unseenLate: 0.55, plateau: 0, plateauSteps: 0 },
      }),
      fail: (l) => ({
        extra: l.startsWith('2^4')
          ? { trainLate: 0.9, unseenEarly: 0.25, unseenLate: 0.45, plateau: 0, plateauSteps: 0 }
          : { trainLate: 0.3, unseenEarly: 0.3, unseenLate: 0.25, plateau: 0, plateauSteps: 0 },
      }),
    },
    'moe-balance': {
      pass: (l) => ({
        finalTestLoss: 1.2,
        extra: {
          specialization: l === 'global LBL' ? 0.4 : 0.1,
          maxLoad: l === 'no LBL' ? 0.9 : 0.3,
        },
      }),
      fail: (l) => ({
        finalTestLoss: l === 'global LBL' ? 1.5 : 1.2,
        extra: { specialization: l === 'global LBL' ? 0.05 : 0.1, maxLoad: 0.3 },
      }),
    },
    mesa: {
      pass: (l) => ({
        finalTestLoss: l === 'float32' ? 1.2 : 1.205,
        extra: { measuredBackwardBytes: l === 'float32' ? 4000 : 1000 },
      }),
      fail: (l) => ({
        finalTestLoss: l === 'float32' ? 1.2 : 1.4,
        extra: { measuredBackwardBytes: l === 'float32' ? 4000 : 3000 },
      }),
    },
    electra: {
      pass: (l) => probeScores(l === 'ELECTRA' ? 0.9 : 0.8),
      fail: (l) => probeScores(l === 'ELECTRA' ? 0.7 : 0.8),
    },
    'low-precision': {
      pass: (l) =>
        loss(
          table({
            fp32: 0.3,
            bf16: 0.301,
            'fp8 unscaled': 0.6,
            'fp8 scaled': 0.32,
            'int8 weights': 0.3,
          })(l),
        ),
      fail: (l) =>
        loss(
          table({
            fp32: 0.3,
            bf16: 0.4,
            'fp8 unscaled': 0.3,
            'fp8 scaled': 0.35,
            'int8 weights': 0.3,
          })(l),
        ),
    },
    'sorted-net': {
      // Test accuracy at full and quarter width, per arm (the 'widths' measure).
      pass: (l) => ({
        extra:
          l === 'Standard'
            ? { 'testAccuracy@1': 0.95, 'testAccuracy@0.25': 0.4 }
            : { 'testAccuracy@1': 0.945, 'testAccuracy@0.25': 0.93 },
      }),
      fail: (l) => ({
        extra:
          l === 'Standard'
            ? { 'testAccuracy@1': 0.95, 'testAccuracy@0.25': 0.9 }
            : { 'testAccuracy@1': 0.9, 'testAccuracy@0.25': 0.6 },
      }),
    },
    'scaling-laws': {
      // L = (1e3/N)^0.3 + 0.1; steps to target fall as S_min + k/B with k growing at the lower target.
      pass: (l) => {
        if (l.startsWith('width')) {
          const w = Number(l.split(' ')[1]);
          const n = 794 * w + 10;
          return { extra: { params: n }, bestTestLoss: (1e3 / n) ** 0.3 + 0.1 };
        }
        const b = Number(l.split('=')[1]);
        const s6 = Math.round(100 + 800 / b);
        const s4 = Math.round(200 + 12800 / b);
        return { loss: Array.from({ length: 2000 }, (_, i) => (i < s6 ? 1 : i < s4 ? 0.5 : 0.3)) };
      },
      fail: (l) => {
        if (l.startsWith('width')) {
          const w = Number(l.split(' ')[1]);
          return {
            extra: { params: 794 * w + 10 },
            bestTestLoss: [0.5, 0.9, 0.3, 0.8, 0.4, 0.9][[8, 16, 32, 64, 128, 256].indexOf(w)],
          };
        }
        const b = Number(l.split('=')[1]);
        return {
          loss: Array.from({ length: 900 }, (_, i) =>
            i < 100 + 3200 / b ? 1 : i < 300 + 3200 / b ? 0.5 : 0.3,
          ),
        };
      },
    },
    minitron: {
      pass: (l) => ({
        ...acc(
          table({ 'teacher 256': 97, 'pruned + KD': 95, 'pruned + labels': 94, 'scratch 64': 90 })(
            l,
          ),
        ),
        ...loss(
          table({
            'teacher 256': 0.1,
            'pruned + KD': 0.2,
            'pruned + labels': 0.22,
            'scratch 64': 0.35,
          })(l),
        ),
      }),
      // KD below labels in accuracy and above in loss: "KD ≥ labels" fails.
      fail: (l) => ({
        ...acc(
          table({ 'teacher 256': 97, 'pruned + KD': 90, 'pruned + labels': 94, 'scratch 64': 90 })(
            l,
          ),
        ),
        ...loss(
          table({
            'teacher 256': 0.1,
            'pruned + KD': 0.3,
            'pruned + labels': 0.22,
            'scratch 64': 0.35,
          })(l),
        ),
      }),
    },
    'sft-recipe': {
      // Best cell B=64, lr=1e-3; early gradient norm rises with the final loss; warmup changes nothing.
      pass: (l) => {
        const final = l.startsWith('pretrain')
          ? 2
          : l === 'B=64 lr=0.001'
            ? 1
            : l.startsWith('constant')
              ? 1.2
              : 1.3 + Number(l.split('=')[1].split(' ')[0]) / 1000;
        return { finalTestLoss: final, extra: { earlyGradNorm: 2 * final } };
      },
      // Best cell B=16, lr=3e-3 by far; gradient norm falls as the loss rises; warmup 0.1 worse.
      fail: (l) => {
        const final = l.startsWith('pretrain')
          ? 2
          : l === 'B=16 lr=0.003'
            ? 0.8
            : l === 'constant, warmup'
              ? 1.3
              : l.startsWith('constant')
                ? 1.2
                : 1.5 + Number(l.split('=')[1].split(' ')[0]) / 1000;
        return { finalTestLoss: final, extra: { earlyGradNorm: 5 - final } };
      },
    },
  };

const available = PRESETS.filter((p): p is AvailablePreset => p.available);

describe('PRESETS', () => {
  it('lists the 19 presets of docs/algorithms.md#paper-gallery in order, with unique ids', () => {
    expect(PRESETS.map((p) => p.number)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(19);
    expect(presetById('wsd')?.number).toBe(10);
  });

  it.each(available.map((p) => [p.id, p] as const))(
    '%s: paired seeds (at least 3) and log-spaced grids of at least 3 rates',
    (_, p) => {
      for (const a of p.arms) {
        expect(a.seeds, a.label).toBeGreaterThanOrEqual(3);
        if (a.lrGrid) {
          expect(a.lrGrid.length, a.label).toBeGreaterThanOrEqual(3);
          const ratios = a.lrGrid.slice(1).map((f, i) => f / a.lrGrid![i]);
          for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 9);
          expect(ratios[0]).toBeGreaterThan(1);
        }
        if (a.lrFrom !== undefined)
          expect(
            p.arms.find((b) => b.label === a.lrFrom)?.lrGrid?.length ?? 0,
            a.label,
          ).toBeGreaterThanOrEqual(3);
      }
    },
  );

  it('power scheduler: a is stored in the config, so only the run length changing leaves the law unchanged', () => {
    const p = presetById('power-scheduler') as AvailablePreset;
    const power = p.arms.filter(
      (a) => a.config.schedule.kind === 'power' && a.config.batchSize === 16,
    );
    expect(power.map((a) => a.config.steps)).toEqual([300, 600]);
    const [short, long] = power.map((a) => a.config);
    expect(short.schedule.kind === 'power' && short.schedule.a).toBe(POWER_A);
    expect(long.schedule.kind === 'power' && long.schedule.a).toBe(POWER_A);
    // Past both warmups and before either decay, the two plans give the same rate at every step.
    const [a, b] = [runPlan(short), runPlan(long)];
    for (const step of [40, 100, 200, 250]) expect(b.lr(step)).toBeCloseTo(a.lr(step), 12);
    // Without a stored a, the law would be calibrated from each run's own warmup and differ.
    const unstored = (c: typeof short) =>
      runPlan({ ...c, schedule: { ...c.schedule, a: undefined } as typeof c.schedule });
    expect(Math.abs(unstored(long).lr(100) - unstored(short).lr(100))).toBeGreaterThan(1e-6);
  });

  it('gives every unavailable preset a reason', () => {
    for (const p of PRESETS) if (!p.available) expect(p.reason.length).toBeGreaterThan(20);
  });

  it.each(available.map((p) => [p.id, p] as const))(
    '%s: every arm parses as a RunConfig',
    (_, p) => {
      for (const a of p.arms) {
        const parsed = parseRunConfig(a.config);
        expect(parsed.ok ? 'ok' : `${a.label}: ${parsed.message}`).toBe('ok');
      }
      expect(new Set(p.arms.map((a) => a.label)).size).toBe(p.arms.length);
    },
  );
});

describe('verdicts on synthetic results', () => {
  it('wsd reads its windows at exact evaluations: a missing one is inconclusive, never a neighbour', () => {
    const p = presetById('wsd') as AvailablePreset;
    for (const a of p.arms) {
      const { totalSteps: S, decayStart } = phasesOf(a.config.schedule, a.config.steps);
      const D = S - (decayStart ?? S);
      if (a.label === 'WSD 10%' || a.label.startsWith('WSD from'))
        for (const s of [S - 2 * D, S - D, S])
          expect(s % a.config.metricsEvery, `${a.label} at ${s}`).toBe(0);
    }
    const off = (l: string): Partial1 => ({
      ...SCENARIOS.wsd.pass(l),
      evalSteps: [810, 910, 1000],
    });
    expect(p.verdict(results(p, [off, off, off])).outcome).toBe('inconclusive');
  });

  it('hard-batches reads epoch 5’s step: with no evaluation there it is inconclusive', () => {
    const p = presetById('hard-batches') as AvailablePreset;
    expect(p.arms.map((a) => a.config.steps)).toEqual([640, 320, 160]);
    const pass = SCENARIOS['hard-batches'].pass;
    // The same numbers, but every evaluation one step late: no evaluation at epoch 5's step.
    const late = (l: string): Partial1 => {
      const r = pass(l);
      return { ...r, evalSteps: r.evalSteps?.map((s) => s + 1) };
    };
    expect(p.verdict(results(p, [pass, pass, pass])).outcome).toBe('pass');
    expect(p.verdict(results(p, [late, late, late])).outcome).toBe('inconclusive');
    const v = p.verdict(results(p, [pass, pass, pass]));
    // Per compute: δ=1 at 320 steps has half its final accuracy in this synthetic curve.
    expect(v.numbers.plainAtHalfSteps).toBeCloseTo(0.45, 9);
    expect(v.numbers.halfMinusPlain).toBeCloseTo(0.02, 9);
  });

  it('covers every available preset', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(available.map((p) => p.id).sort());
  });

  const cases: [string, Outcome][] = available.flatMap(
    (p) =>
      [
        [p.id, 'pass'],
        [p.id, 'fail'],
        [p.id, 'inconclusive'],
      ] as [string, Outcome][],
  );
  it.each(cases)('%s → %s', (id, outcome) => {
    const p = available.find((x) => x.id === id) as AvailablePreset;
    const s = SCENARIOS[id];
    // Inconclusive: a seed that passes beside one that fails puts both inside the interval.
    const seeds =
      outcome === 'pass'
        ? [s.pass, s.pass, s.pass]
        : outcome === 'fail'
          ? [s.fail, s.fail, s.fail]
          : [s.pass, s.fail];
    const v = p.verdict(results(p, seeds));
    expect(v.outcome, v.summary).toBe(outcome);
    expect(v.summary.length).toBeGreaterThan(10);
  });
});
