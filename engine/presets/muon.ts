import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { CHAR_LM, PAPERS } from './base';
import type { AvailablePreset } from './types';
import { bySeed, evalStepsToTarget, mean, perSeed, seedCount, spread, verdict } from './verdict';

const STEPS = 300;
const arms = [
  { label: 'AdamW', config: { ...CHAR_LM, steps: STEPS }, seeds: 3 },
  { label: 'Muon', config: { ...CHAR_LM, steps: STEPS, optimizer: { ...OPTIMIZER_DEFAULTS.muon, adamLr: 3e-3, adamWeightDecay: 0.01 } }, seeds: 3 },
];

export const muon: AvailablePreset = {
  id: 'muon', number: 8, title: 'Muon vs AdamW', paper: PAPERS.lact, available: true,
  claim: 'Muon (orthogonalized momentum on hidden matrices) reaches the same validation loss in fewer steps than AdamW.',
  expectation: 'Muon reaches AdamW’s final test loss within 90% of the steps (pass); never within the budget is a fail.',
  lookAt: 'Test loss against steps: Muon’s curve should cross AdamW’s final value before the end.',
  miniature: `Transformer d=32, 2 layers, on the generated char corpus, ${STEPS} steps, B=16; Muon for hidden matrices with AdamW (3e-3) for the rest.`,
  arms, budgetSteps: STEPS, charts: ['testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(results, ['AdamW', 'Muon']);
    const targets = perSeed(results, 'AdamW', (r) => r.finalTestLoss);
    const total = perSeed(results, 'AdamW', (r) => r.evalSteps[r.evalSteps.length - 1] ?? Number.NaN);
    const reach = results.Muon.slice(0, n).map((r, i) => evalStepsToTarget(r, targets[i]));
    const v = bySeed(n, (i) => (!Number.isFinite(reach[i]) ? false : reach[i] <= 0.9 * total[i] ? true : null));
    return verdict(v.outcome, `AdamW final test loss ${spread(targets)}; Muon reaches it at step ${spread(reach)} of ${mean(total)}; Muon final ${spread(perSeed(results, 'Muon', (r) => r.finalTestLoss))}.`, {
      adamwFinal: mean(targets), muonFinal: mean(perSeed(results, 'Muon', (r) => r.finalTestLoss)), muonStepsToAdamwFinal: mean(reach),
    });
  },
};
