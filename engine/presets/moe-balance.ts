import { MODEL_DEFAULTS } from '../models/schema';
import { CHAR_LM, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { all, bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const arm = (label: string, lblAlpha: number, lblScope: 'micro' | 'global'): PresetArm => ({
  label,
  config: {
    ...CHAR_LM, batchSize: 16, microBatches: 16, steps: 200, metricsEvery: 50,
    model: { ...MODEL_DEFAULTS.moe, dim: 32, layers: 1, heads: 2, mlpRatio: 2, experts: 4, topK: 1, capacityFactor: 0, lblAlpha, lblScope },
  },
  seeds: 2,
  measures: ['expertLoad'],
});
const arms = [arm('no LBL', 0, 'micro'), arm('micro LBL', 0.01, 'micro'), arm('global LBL', 0.01, 'global')];

export const moeBalance: AvailablePreset = {
  id: 'moe-balance', number: 16, title: 'MoE load balancing: micro vs global batch', paper: PAPERS.moe, available: true,
  claim: 'Counting expert load over the global batch instead of each micro-batch lets experts specialize by domain without hurting the loss.',
  expectation: 'Global LBL’s specialization > micro LBL’s; global LBL’s test loss ≤ micro LBL’s (+1% noise allowance); no LBL collapses (one expert > 70% of tokens).',
  lookAt: 'The expert-load view: load per expert and the specialization score; test loss of the three arms.',
  miniature: 'One MoE layer (d=32, 4 experts, top-1) on the three char domains, micro-batch = 1 sequence, global batch 16, 200 steps, 2 seeds.',
  arms, budgetSteps: 200, charts: ['testLoss', 'expertLoad'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const spec = (l: string) => perSeed(results, l, (r) => r.extra.specialization ?? Number.NaN);
    const loss = (l: string) => perSeed(results, l, (r) => r.finalTestLoss);
    const [sm, sg] = [spec('micro LBL'), spec('global LBL')];
    const [lm, lg] = [loss('micro LBL'), loss('global LBL')];
    const maxLoad = perSeed(results, 'no LBL', (r) => r.extra.maxLoad ?? Number.NaN);
    const a = bySeed(n, (i) => (Number.isFinite(sg[i]) && Number.isFinite(sm[i]) ? sg[i] > sm[i] : null));
    const b = bySeed(n, (i) => lg[i] <= 1.01 * lm[i]);
    const c = bySeed(n, (i) => (Number.isFinite(maxLoad[i]) ? maxLoad[i] > 0.7 : null));
    return verdict(all(a.outcome, b.outcome, c.outcome), `Specialization micro ${spread(sm)}, global ${spread(sg)}; test loss micro ${spread(lm)}, global ${spread(lg)}; no-LBL max expert load ${spread(maxLoad)}.`, {
      specMicro: mean(sm), specGlobal: mean(sg), lossMicro: mean(lm), lossGlobal: mean(lg), noLblMaxLoad: mean(maxLoad),
    });
  },
};
