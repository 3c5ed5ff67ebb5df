import { describe, expect, it } from 'vitest';
import { phasesOf } from '../plan/run-plan';
import { epochStep, HARD_EPOCHS } from './hard-batches';
import { PRESETS, presetById } from './index';
import { readLines, trailingMean } from './reads';
import type { ArmResult, AvailablePreset, PresetResults } from './types';

function seed(label: string, i: number, p: Partial<ArmResult>): ArmResult {
  return {
    label,
    seed: i,
    loss: [],
    evalSteps: [],
    testLoss: [],
    testAccuracy: [],
    finalTestLoss: Number.NaN,
    bestTestLoss: Number.NaN,
    finalTestAccuracy: Number.NaN,
    finalTrainLoss: Number.NaN,
    extra: {},
    wallMs: 0,
    ...p,
  };
}

/** Every arm with 3 seeds evaluated every `metricsEvery` steps to its end, loss falling with the step. */
function plausible(p: AvailablePreset): PresetResults {
  return Object.fromEntries(
    p.arms.map((a) => {
      const { steps, metricsEvery } = a.config;
      const evalSteps = Array.from(
        { length: Math.floor(steps / metricsEvery) },
        (_, k) => (k + 1) * metricsEvery,
      );
      return [
        a.label,
        [0, 1, 2].map((i) => {
          const testLoss = evalSteps.map((s) => 2 / (1 + s / 100) + 0.01 * i);
          return seed(a.label, i, {
            loss: Array.from({ length: steps }, (_, s) => 2 / (1 + s / 100)),
            evalSteps,
            testLoss,
            testAccuracy: testLoss.map((l) => 1 - l / 3),
            finalTestLoss: testLoss.at(-1),
            bestTestLoss: Math.min(...testLoss),
            finalTestAccuracy: 1 - (testLoss.at(-1) ?? 0) / 3,
            finalTrainLoss: testLoss.at(-1),
          });
        }),
      ];
    }),
  );
}

describe('readLines', () => {
  it('averages seeds per evaluation step and keeps their range; a seed not evaluated there adds nothing', () => {
    const results: PresetResults = {
      a: [
        seed('a', 0, { evalSteps: [10, 20, 30], testLoss: [3, 2, 1] }),
        seed('a', 1, { evalSteps: [10, 20, 30], testLoss: [5, 4, 3] }),
        seed('a', 2, { evalSteps: [10, 30], testLoss: [4, 2] }),
      ],
      b: [seed('b', 0, { evalSteps: [10], testLoss: [7] })],
    };
    const [a, b] = readLines(results, { title: 't', metric: 'testLoss', at: [] });
    expect(a.arm).toBe('a');
    expect(a.x).toEqual([10, 20, 30]);
    expect(a.y).toEqual([4, 3, 2]);
    expect(a.lo).toEqual([3, 2, 1]);
    expect(a.hi).toEqual([5, 4, 3]);
    expect(b.y).toEqual([7]);
    const only = readLines(results, { title: 't', metric: 'testLoss', arms: ['b'], at: [] });
    expect(only.map((l) => l.arm)).toEqual(['b']);
  });

  it('draws the training loss as the trailing mean the verdict used, at steps 1..n', () => {
    expect(trailingMean([4, 2, 0, 2], 2)).toEqual([4, 3, 1, 1]);
    const results: PresetResults = {
      a: [seed('a', 0, { loss: [4, 2, 0, 2] }), seed('a', 1, { loss: [0, 0, 0, 0] })],
    };
    const [a] = readLines(results, { title: 't', metric: 'loss', smooth: 2, at: [] });
    expect(a.x).toEqual([1, 2, 3, 4]);
    expect(a.y).toEqual([2, 1.5, 0.5, 0.5]);
    expect(a.hi).toEqual([4, 3, 1, 1]);
    expect(a.lo).toEqual([0, 0, 0, 0]);
  });
});

describe('what each verdict says it read', () => {
  const available = PRESETS.filter((p): p is AvailablePreset => p.available);

  it.each(available.map((p) => [p.id, p] as const))(
    '%s: its charts name only its arms, and read steps within them',
    (_, p) => {
      const results = plausible(p);
      const { reads } = p.verdict(results);
      const labels = new Set(p.arms.map((a) => a.label));
      const longest = Math.max(...p.arms.map((a) => a.config.steps));
      for (const r of reads) {
        for (const l of r.arms ?? []) expect(labels.has(l), `${r.title}: ${l}`).toBe(true);
        for (const m of r.at) {
          expect(m.step, `${r.title}: ${m.label}`).toBeGreaterThan(0);
          expect(m.step, `${r.title}: ${m.label}`).toBeLessThanOrEqual(longest);
        }
        for (const level of r.levels ?? []) expect(Number.isFinite(level.value)).toBe(true);
        expect(readLines(results, r).length).toBe((r.arms ?? p.arms).length);
      }
    },
  );

  it('wsd marks S−2D, S−D and S of the WSD 10% arm, each an evaluation step', () => {
    const p = presetById('wsd') as AvailablePreset;
    const arm = p.arms.find((a) => a.label === 'WSD 10%');
    if (!arm) throw new Error('no WSD 10% arm');
    const { totalSteps: S, decayStart } = phasesOf(arm.config.schedule, arm.config.steps);
    const D = S - (decayStart ?? S);
    const [main] = p.verdict(plausible(p)).reads;
    expect(main.at.map((m) => m.step)).toEqual([S - 2 * D, S - D, S]);
    for (const m of main.at) expect(m.step % arm.config.metricsEvery).toBe(0);
  });

  it('hard-batches marks epoch 5 of each arm', () => {
    const p = presetById('hard-batches') as AvailablePreset;
    const [read] = p.verdict(plausible(p)).reads;
    expect(read.at.map((m) => m.step)).toEqual([1, 0.5, 0.25].map((k) => epochStep(k)));
    expect(read.at.every((m) => m.label.startsWith(`epoch ${HARD_EPOCHS}`))).toBe(true);
  });

  it('the presets the gallery runs in the browser each show at least one chart', () => {
    for (const id of [
      'lamb-large-batch',
      'hard-batches',
      'micro-batch-norm',
      'layer-norm',
      'sorted-net',
      'muon',
      'bitnet',
      'wsd',
      'power-scheduler',
      'cct',
      'scaling-laws',
    ]) {
      const p = presetById(id) as AvailablePreset;
      expect(p.verdict(plausible(p)).reads.length, id).toBeGreaterThan(0);
    }
  });
});
