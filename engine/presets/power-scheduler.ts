import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { CHAR_LM, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { all, bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const STEPS = 300;
const arm = (kind: 'power' | 'wsd', batchSize: number): PresetArm => ({
  label: `${kind} B=${batchSize}`,
  config: {
    ...CHAR_LM, batchSize, steps: STEPS,
    schedule: kind === 'power' ? { ...SCHEDULE_DEFAULTS.power, referenceBatch: 16 } : SCHEDULE_DEFAULTS.wsd,
  },
  seeds: 3,
});
const arms = [arm('power', 16), arm('wsd', 16), arm('power', 64), arm('wsd', 64)];

export const powerScheduler: AvailablePreset = {
  id: 'power-scheduler', number: 11, title: 'Power scheduler', paper: PAPERS.power, available: true,
  claim: 'A learning rate that follows a power law of tokens seen transfers across batch sizes without re-tuning.',
  expectation: 'At each batch size Power is within 2% of the better arm’s final test loss, and at B=64 it beats WSD run at the B=16 peak rate.',
  lookAt: 'The lr chart: Power’s rate decays with tokens seen and rises with batch size; test loss at B=64.',
  miniature: `Char LM d=32, B ∈ {16, 64}, ${STEPS} steps at one peak lr (AdamW 3e-3, tuned at neither). "Best" is the better of the two arms, not a per-setting LR sweep; no μP.`,
  arms, budgetSteps: STEPS, charts: ['testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss);
    const [p16, w16, p64, w64] = [final('power B=16'), final('wsd B=16'), final('power B=64'), final('wsd B=64')];
    const within = bySeed(n, (i) => p16[i] <= 1.02 * Math.min(p16[i], w16[i]) && p64[i] <= 1.02 * Math.min(p64[i], w64[i]));
    const beats = bySeed(n, (i) => p64[i] < w64[i]);
    return verdict(all(within.outcome, beats.outcome), `Final test loss B=16: power ${spread(p16)}, WSD ${spread(w16)}; B=64: power ${spread(p64)}, WSD ${spread(w64)}.`, {
      power16: mean(p16), wsd16: mean(w16), power64: mean(p64), wsd64: mean(w64),
    });
  },
};
