import { phasesOf } from '../plan/run-plan';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { CHAR_LM, PAPERS } from './base';
import type { AvailablePreset, ArmResult } from './types';
import { all, bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const STEPS = 400;
const base = { ...CHAR_LM, steps: STEPS, metricsEvery: 20 };
const WSD10 = { ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.1 };
const arms = [
  { label: 'cosine', config: { ...base, schedule: { ...SCHEDULE_DEFAULTS.cosine, floorRatio: 0 } }, seeds: 3 },
  { label: 'constant', config: { ...base, schedule: { kind: 'constant', warmupFraction: 0.05 } as const }, seeds: 3 },
  { label: 'WSD 10%', config: { ...base, schedule: WSD10 }, seeds: 3 },
  { label: 'WSD 2.5%', config: { ...base, schedule: { ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.025 } }, seeds: 3 },
];

/** Test loss at the eval point nearest `step`. */
function at(r: ArmResult, step: number): number {
  let best = 0;
  r.evalSteps.forEach((s, i) => {
    if (Math.abs(s - step) < Math.abs(r.evalSteps[best] - step)) best = i;
  });
  return r.testLoss[best] ?? Number.NaN;
}

export const wsd: AvailablePreset = {
  id: 'wsd', number: 10, title: 'Warmup-Stable-Decay', paper: PAPERS.minicpm, available: true,
  claim: 'A constant learning rate followed by a short decay matches cosine, with most of the gain arriving in the decay window.',
  expectation: 'WSD(10%) ends within 1% of cosine’s final test loss; constant ends worst; WSD(10%)’s loss falls more in the decay window than in the equal stable window before it.',
  lookAt: 'The WSD test-loss curve drops steeply in its last 10% of steps; constant stays above the rest.',
  miniature: `Transformer d=32 char LM, ${STEPS} steps, AdamW 3e-3; the branches decayed from 50% and 75% are not run.`,
  arms, budgetSteps: STEPS, charts: ['testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss);
    const [cos, con, w10, w25] = [final('cosine'), final('constant'), final('WSD 10%'), final('WSD 2.5%')];
    const rel = w10.map((x, i) => (x - cos[i]) / cos[i]);
    // The decay window T…S of the plan of the steps the run took (a scaled-down run is shorter
    // than STEPS), and the stable window of the same length before it.
    const drops = results['WSD 10%'].slice(0, n).map((r) => {
      const S = r.evalSteps[r.evalSteps.length - 1] ?? STEPS;
      const T = phasesOf(WSD10, S).decayStart ?? S;
      return { decay: at(r, T) - at(r, S), stable: at(r, 2 * T - S) - at(r, T) };
    });
    const decayDrop = drops.map((d) => d.decay);
    const stableDrop = drops.map((d) => d.stable);
    const a = bySeed(n, (i) => rel[i] <= 0.01);
    const b = bySeed(n, (i) => con[i] > Math.max(cos[i], w10[i], w25[i]));
    const c = bySeed(n, (i) => decayDrop[i] > stableDrop[i]);
    return verdict(all(a.outcome, b.outcome, c.outcome), `Final test loss: cosine ${spread(cos)}, constant ${spread(con)}, WSD10 ${spread(w10)} (${spread(rel.map((x) => 100 * x))}% vs cosine), WSD2.5 ${spread(w25)}; WSD10 drop in decay window ${spread(decayDrop)} vs stable window ${spread(stableDrop)}.`, {
      cosine: mean(cos), constant: mean(con), wsd10: mean(w10), wsd25: mean(w25), decayDrop: mean(decayDrop), stableDrop: mean(stableDrop),
    });
  },
};
