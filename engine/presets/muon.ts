import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset } from './types';
import {
  above,
  evalStepsToTarget,
  mean,
  pairedDiff,
  perSeed,
  seedCount,
  spread,
  verdict,
} from './verdict';

const STEPS = 400;
const base = { ...SMALL_LM, steps: STEPS, metricsEvery: 20 };
const arms = [
  { label: 'AdamW', config: base, seeds: 3, lrGrid: LR_GRID_3 },
  {
    label: 'Muon',
    config: {
      ...base,
      optimizer: { ...OPTIMIZER_DEFAULTS.muon, adamLr: 3e-3, adamWeightDecay: 0.01 },
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
  },
];

export const muon: AvailablePreset = {
  id: 'muon',
  number: 8,
  title: 'Muon vs AdamW',
  paper: PAPERS.lact,
  available: true,
  claim:
    'Muon (orthogonalized momentum on hidden matrices) reaches the same validation loss in fewer steps than AdamW.',
  expectation:
    'Paired over seeds, Muon reaches AdamW’s final test loss in under 90% of the steps (fraction < 0.9 by more than 2 standard errors); never reaching it counts as 100%.',
  lookAt: 'Test loss against steps: Muon’s curve should cross AdamW’s final value before the end.',
  miniature: `Transformer d=16, 2 layers, context 16, on the generated char corpus, ${STEPS} steps, B=16; Muon for hidden matrices with AdamW for the rest; each arm’s rates (Muon’s and its AdamW part together) from a 3-point grid.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(results, ['AdamW', 'Muon']);
    const targets = perSeed(results, 'AdamW', (r) => r.finalTestLoss).slice(0, n);
    const total = perSeed(
      results,
      'AdamW',
      (r) => r.evalSteps[r.evalSteps.length - 1] ?? Number.NaN,
    ).slice(0, n);
    const reach = results.Muon.slice(0, n).map((r, i) => evalStepsToTarget(r, targets[i]));
    // Never within the budget: the whole budget (the most favourable reading for AdamW's side).
    const fraction = reach.map((s, i) => (Number.isFinite(s) ? s / total[i] : 1));
    const outcome = above(
      pairedDiff(
        fraction.map(() => 0.9),
        fraction,
      ),
    );
    const muonFinal = perSeed(results, 'Muon', (r) => r.finalTestLoss);
    return verdict(
      outcome,
      `AdamW final test loss ${spread(targets)}; Muon reaches it at ${spread(fraction.map((x) => 100 * x))}% of the steps (want < 90%); Muon final ${spread(muonFinal)}.`,
      {
        adamwFinal: mean(targets),
        muonFinal: mean(muonFinal),
        muonFractionToAdamwFinal: mean(fraction),
      },
      [
        {
          title: 'Test loss: where Muon first reaches AdamW’s final loss (mean over seeds)',
          metric: 'testLoss',
          at: [
            {
              step: Math.round(mean(reach.map((s, i) => (Number.isFinite(s) ? s : total[i])))),
              label: 'Muon reaches it',
            },
            { step: mean(total), label: 'final' },
          ],
          levels: [{ value: mean(targets), label: 'AdamW final' }],
        },
      ],
    );
  },
};
