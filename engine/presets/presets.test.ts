import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import { PRESETS, presetById } from './index';
import type { ArmResult, AvailablePreset, Outcome, PresetResults } from './types';

type Partial1 = Partial<Omit<ArmResult, 'label' | 'seed'>>;

function result(label: string, seed: number, p: Partial1): ArmResult {
  const finalTestLoss = p.finalTestLoss ?? 1;
  return {
    label, seed, loss: p.loss ?? [], evalSteps: p.evalSteps ?? [100], testLoss: p.testLoss ?? [finalTestLoss], testAccuracy: p.testAccuracy ?? [p.finalTestAccuracy ?? 0.9],
    finalTestLoss, bestTestLoss: p.bestTestLoss ?? finalTestLoss, finalTestAccuracy: p.finalTestAccuracy ?? 0.9, finalTrainLoss: p.finalTrainLoss ?? finalTestLoss,
    extra: p.extra ?? {}, wallMs: 0,
  };
}

/** Results for every arm of a preset: `seeds[i]` maps a label to seed i's numbers. */
function results(preset: AvailablePreset, seeds: readonly ((label: string) => Partial1)[]): PresetResults {
  return Object.fromEntries(preset.arms.map((a) => [a.label, seeds.map((f, i) => result(a.label, i + 1, f(a.label)))]));
}

const acc = (x: number): Partial1 => ({ finalTestAccuracy: x / 100 });
const loss = (x: number): Partial1 => ({ finalTestLoss: x });
const decay = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

/** Per preset: label → numbers for a seed that passes and one that fails. */
const SCENARIOS: Record<string, { pass: (l: string) => Partial1; fail: (l: string) => Partial1 }> = {
  'rmt-lr-batch': {
    pass: (l) => {
      const b = Number(l.split('=')[1]);
      return { extra: { etaMax: l.startsWith('sgd') ? 0.01 * b : 0.001 * Math.sqrt(b) } };
    },
    fail: (l) => ({ extra: { etaMax: 0.01 * Number(l.split('=')[1]) ** 0.2 } }),
  },
  'lamb-large-batch': {
    pass: (l) => acc(({ 'Adam B=32': 95, 'Adam B=512': 90, 'LAMB B=512': 94.5, 'LARS B=512': 94.2 } as Record<string, number>)[l]),
    fail: (l) => acc(({ 'Adam B=32': 95, 'Adam B=512': 94, 'LAMB B=512': 90, 'LARS B=512': 91 } as Record<string, number>)[l]),
  },
  'micro-batch-norm': {
    pass: (l) => acc(({ 'BN B=64': 95, 'BN B=2': 90, 'GN B=2': 94, 'GN+WS B=2': 94.8, 'BCN+WS B=2': 95.1 } as Record<string, number>)[l]),
    fail: (l) => acc(({ 'BN B=64': 95, 'BN B=2': 95, 'GN B=2': 94, 'GN+WS B=2': 92, 'BCN+WS B=2': 93 } as Record<string, number>)[l]),
  },
  'layer-norm': {
    pass: (l) => ({ loss: l.startsWith('layer') ? decay(1, 0.1, 200) : decay(1, 0.1, 600), finalTestLoss: l === 'batch B=4' ? 0.6 : 0.2 }),
    fail: (l) => ({ loss: l.startsWith('none') ? decay(1, 0.1, 100) : decay(1, 0.1, 600), finalTestLoss: l === 'layer B=4' ? 0.6 : 0.2 }),
  },
  muon: {
    pass: (l) => ({ evalSteps: [100, 200, 300], testLoss: l === 'Muon' ? [1.5, 1.2, 1.1] : [1.8, 1.5, 1.3], finalTestLoss: l === 'Muon' ? 1.1 : 1.3 }),
    fail: (l) => ({ evalSteps: [100, 200, 300], testLoss: l === 'Muon' ? [1.9, 1.6, 1.4] : [1.8, 1.5, 1.3], finalTestLoss: l === 'Muon' ? 1.4 : 1.3 }),
  },
  bitnet: {
    pass: (l) => acc(l === 'FP32' ? 95 : 94.5),
    fail: (l) => acc(l === 'FP32' ? 95 : l.includes('mean') ? 90 : 93),
  },
  wsd: {
    pass: (l) => ({ evalSteps: [320, 360, 400], testLoss: l === 'WSD 10%' ? [1.3, 1.28, 1.2] : [1.3, 1.25, 1.21], finalTestLoss: ({ cosine: 1.2, constant: 1.3, 'WSD 10%': 1.2, 'WSD 2.5%': 1.22 } as Record<string, number>)[l] }),
    fail: (l) => ({ evalSteps: [320, 360, 400], testLoss: [1.3, 1.25, 1.24], finalTestLoss: ({ cosine: 1.2, constant: 1.1, 'WSD 10%': 1.3, 'WSD 2.5%': 1.22 } as Record<string, number>)[l] }),
  },
  'power-scheduler': {
    pass: (l) => loss(({ 'power B=16': 1.2, 'wsd B=16': 1.19, 'power B=64': 1.1, 'wsd B=64': 1.15 } as Record<string, number>)[l]),
    fail: (l) => loss(({ 'power B=16': 1.4, 'wsd B=16': 1.19, 'power B=64': 1.3, 'wsd B=64': 1.15 } as Record<string, number>)[l]),
  },
  cct: { pass: (l) => acc(l === 'CNN' ? 95 : 94.8), fail: (l) => acc(l === 'CNN' ? 95 : 90) },
  'moe-balance': {
    pass: (l) => ({ finalTestLoss: 1.2, extra: { specialization: l === 'global LBL' ? 0.4 : 0.1, maxLoad: l === 'no LBL' ? 0.9 : 0.3 } }),
    fail: (l) => ({ finalTestLoss: l === 'global LBL' ? 1.5 : 1.2, extra: { specialization: l === 'global LBL' ? 0.05 : 0.1, maxLoad: 0.3 } }),
  },
  mesa: {
    pass: (l) => ({ finalTestLoss: l === 'float32' ? 1.2 : 1.205, extra: { storedActivationBytes: l === 'float32' ? 4000 : 1000 } }),
    fail: (l) => ({ finalTestLoss: l === 'float32' ? 1.2 : 1.4, extra: { storedActivationBytes: l === 'float32' ? 4000 : 3000 } }),
  },
  'low-precision': {
    pass: (l) => loss(({ fp32: 0.3, bf16: 0.301, 'fp8 unscaled': 0.6, 'fp8 scaled': 0.32, 'int8 weights': 0.3 } as Record<string, number>)[l]),
    fail: (l) => loss(({ fp32: 0.3, bf16: 0.4, 'fp8 unscaled': 0.3, 'fp8 scaled': 0.35, 'int8 weights': 0.3 } as Record<string, number>)[l]),
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
        return { extra: { params: 794 * w + 10 }, bestTestLoss: [0.5, 0.9, 0.3, 0.8, 0.4][[4, 8, 16, 32, 64].indexOf(w)] };
      }
      const b = Number(l.split('=')[1]);
      return { loss: Array.from({ length: 900 }, (_, i) => (i < 100 + 3200 / b ? 1 : i < 300 + 3200 / b ? 0.5 : 0.3)) };
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

  it('gives every unavailable preset a reason', () => {
    for (const p of PRESETS) if (!p.available) expect(p.reason.length).toBeGreaterThan(20);
  });

  it.each(available.map((p) => [p.id, p] as const))('%s: every arm parses as a RunConfig', (_, p) => {
    for (const a of p.arms) {
      const parsed = parseRunConfig(a.config);
      expect(parsed.ok ? 'ok' : `${a.label}: ${parsed.message}`).toBe('ok');
    }
    expect(new Set(p.arms.map((a) => a.label)).size).toBe(p.arms.length);
  });
});

describe('verdicts on synthetic results', () => {
  it('wsd measures its decay window in the steps the run took, also when scaled down', () => {
    const p = presetById('wsd') as AvailablePreset;
    // A run at a fifth of the budget: 80 steps, evaluated every 4.
    const steps = Array.from({ length: 20 }, (_, i) => 4 * (i + 1));
    const curve = steps.map((s) => (s <= 72 ? 2 - s / 720 : 1.9 - (s - 72) / 40));
    const scaled = (l: string): Partial1 => ({ evalSteps: steps, testLoss: curve, finalTestLoss: ({ cosine: 1.7, constant: 1.9, 'WSD 10%': 1.7, 'WSD 2.5%': 1.72 } as Record<string, number>)[l] });
    const v = p.verdict(results(p, [scaled, scaled]));
    expect(v.numbers.decayDrop).toBeGreaterThan(0.15);
    expect(v.numbers.stableDrop).toBeLessThan(0.02);
    expect(v.outcome, v.summary).toBe('pass');
  });

  it('covers every available preset', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(available.map((p) => p.id).sort());
  });

  const cases: [string, Outcome][] = available.flatMap((p) => [[p.id, 'pass'], [p.id, 'fail'], [p.id, 'inconclusive']] as [string, Outcome][]);
  it.each(cases)('%s → %s', (id, outcome) => {
    const p = available.find((x) => x.id === id) as AvailablePreset;
    const s = SCENARIOS[id];
    // Scaling laws runs one seed per arm: its inconclusive case is a batch size that never reaches a target.
    const seeds = outcome === 'pass' ? [s.pass, s.pass] : outcome === 'fail' ? [s.fail, s.fail] : id === 'scaling-laws' ? [(l: string) => (l.startsWith('B=') ? { loss: [1, 1, 1] } : s.pass(l))] : [s.pass, s.fail];
    const v = p.verdict(results(p, seeds));
    expect(v.outcome, v.summary).toBe(outcome);
    expect(v.summary.length).toBeGreaterThan(10);
  });
});
