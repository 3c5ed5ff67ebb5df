import type { RunConfig } from '../config';
import { MODEL_DEFAULTS, type Objective } from '../models/schema';
import { PROBE_EXAMPLES } from '../tasks/objectives/probe-data';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm, PresetResults } from './types';
import { above, mean, pairedDiff, perSeed, seedCount, spread, verdict } from './verdict';

const STEPS = 600;
const PROBES = ['domain', 'brackets'] as const;

const config = (objective: Objective): RunConfig => ({
  ...SMALL_LM,
  steps: STEPS,
  metricsEvery: 150,
  model: { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 2, heads: 2, mlpRatio: 2, objective },
});

const arm = (label: string, objective: Objective): PresetArm => ({
  label,
  config: config(objective),
  seeds: 3,
  measures: ['probes'],
  lrGrid: LR_GRID_3,
});

const arms = [arm('MLM', 'mlm'), arm('ELECTRA', 'electra')];

/** Per seed: a probe's held-out accuracy (or loss), or the mean accuracy over both probes. */
function probe(results: PresetResults, label: string, key: string, n: number): number[] {
  return perSeed(results, label, (r) => r.extra[key] ?? Number.NaN).slice(0, n);
}
function meanAccuracy(results: PresetResults, label: string, n: number): number[] {
  const each = PROBES.map((p) => probe(results, label, `probeAccuracy_${p}`, n));
  return each[0].map((_, i) => mean(each.map((xs) => xs[i])));
}

export const electra: AvailablePreset = {
  id: 'electra',
  number: 15,
  title: 'ELECTRA vs masked language modelling',
  paper: PAPERS.electra,
  available: true,
  claim:
    'Replaced-token detection learns better representations than masked language modelling at equal compute.',
  expectation:
    'At equal pretraining steps, ELECTRA’s linear-probe accuracy (mean of the domain and bracket-validity probes, held-out examples) is higher than MLM’s (paired over 3 seeds, outside 2 standard errors). Probe losses are reported beside it, since both accuracies may saturate.',
  lookAt:
    'The probes view of each arm: held-out accuracy and loss of the domain and bracket-validity probes; the pretraining losses are on different scales (MLM cross-entropy vs MLM_gen + 50·RTD).',
  miniature: `Bidirectional d=16, 2-layer encoders (the same size for MLM and for ELECTRA’s discriminator; ELECTRA’s generator is d=8, 1 layer) on the three char domains with 16-character windows, 15% masking, λ=50, ${STEPS} steps at batch 16 for both; rates from a 3-point grid per arm on the validation split. Probes: logistic regression on mean-pooled final hidden states, ${PROBE_EXAMPLES} training and ${PROBE_EXAMPLES} held-out examples each, 200 full-batch steps.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const [mlm, el] = [meanAccuracy(results, 'MLM', n), meanAccuracy(results, 'ELECTRA', n)];
    const d = pairedDiff(el, mlm);
    const numbers: Record<string, number> = { accMlm: mean(mlm), accElectra: mean(el) };
    const parts = PROBES.map((p) => {
      const [am, ae] = ['MLM', 'ELECTRA'].map((l) => probe(results, l, `probeAccuracy_${p}`, n));
      const [lm, le] = ['MLM', 'ELECTRA'].map((l) => probe(results, l, `probeLoss_${p}`, n));
      Object.assign(numbers, {
        [`${p}AccMlm`]: mean(am),
        [`${p}AccElectra`]: mean(ae),
        [`${p}LossMlm`]: mean(lm),
        [`${p}LossElectra`]: mean(le),
      });
      return `${p}: accuracy MLM ${spread(am)}, ELECTRA ${spread(ae)}; loss MLM ${spread(lm)}, ELECTRA ${spread(le)}`;
    });
    return verdict(
      above(d),
      `Mean probe accuracy MLM ${spread(mlm)}, ELECTRA ${spread(el)} (ELECTRA − MLM ${spread(d)}). ${parts.join('. ')}.`,
      numbers,
    );
  },
};
