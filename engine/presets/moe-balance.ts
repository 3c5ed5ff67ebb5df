import { MODEL_DEFAULTS } from '../models/schema';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
import {
  above,
  all,
  atMost,
  mean,
  pairedDiff,
  perSeed,
  seedCount,
  spread,
  verdict,
} from './verdict';

const STEPS = 400;
const L = 16;
const arm = (
  label: string,
  lblAlpha: number,
  lblScope: 'micro' | 'global',
  lrGrid?: readonly number[],
): PresetArm => ({
  label,
  config: {
    ...SMALL_LM,
    batchSize: 16,
    microBatches: 16,
    steps: STEPS,
    metricsEvery: 100,
    // A domain runs for 8 windows' worth of characters: most windows (and so micro-batches) hold one domain.
    data: {
      kind: 'chars',
      domains: ['arithmetic', 'brackets', 'grammar'],
      sequenceLength: L,
      corpusChars: 20_000,
      domainRun: 8 * L,
    },
    model: {
      ...MODEL_DEFAULTS.moe,
      dim: 16,
      layers: 1,
      heads: 2,
      mlpRatio: 2,
      experts: 4,
      topK: 1,
      capacityFactor: 0,
      lblAlpha,
      lblScope,
    },
  },
  seeds: 3,
  measures: ['expertLoad'],
  ...(lrGrid ? { lrGrid } : {}),
});
// The no-LBL arm is a diagnostic (collapse), not part of the claim: it takes micro LBL's rate.
const arms = [
  { ...arm('no LBL', 0, 'micro'), lrFrom: 'micro LBL' },
  arm('micro LBL', 0.01, 'micro', LR_GRID_3),
  arm('global LBL', 0.01, 'global', LR_GRID_3),
];

export const moeBalance: AvailablePreset = {
  id: 'moe-balance',
  number: 16,
  title: 'MoE load balancing: micro vs global batch',
  paper: PAPERS.moe,
  available: true,
  claim:
    'Counting expert load over the global batch instead of each micro-batch lets experts specialize by domain without hurting the loss.',
  expectation:
    'Global LBL’s specialization is higher than micro LBL’s, and global LBL’s test loss is no more than 1% above micro LBL’s (paired over 3 seeds, outside 2 standard errors). Collapse without LBL is shown as a diagnostic, not checked: the paper does not claim it.',
  lookAt:
    'The expert-load view: load per expert and the specialization score; test loss of the three arms.',
  miniature: `One MoE layer (d=16, 4 experts, top-1) on the three char domains written in runs of ${8 * L} characters (so most ${L}-character windows hold one domain), micro-batch = 1 sequence, global batch 16, ${STEPS} steps; rates from a 3-point grid per LBL arm.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss', 'expertLoad'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const spec = (l: string) =>
      perSeed(results, l, (r) => r.extra.specialization ?? Number.NaN).slice(0, n);
    const loss = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const [sm, sg] = [spec('micro LBL'), spec('global LBL')];
    const [lm, lg] = [loss('micro LBL'), loss('global LBL')];
    const rel = pairedDiff(lg, lm).map((d, i) => d / lm[i]);
    const maxLoad = perSeed(results, 'no LBL', (r) => r.extra.maxLoad ?? Number.NaN);
    return verdict(
      all(above(pairedDiff(sg, sm)), atMost(rel, 0.01)),
      `Specialization micro ${spread(sm)}, global ${spread(sg)}; test loss micro ${spread(lm)}, global ${spread(lg)} (${spread(rel.map((x) => 100 * x))}%); diagnostic: no-LBL max expert load ${spread(maxLoad)}.`,
      {
        specMicro: mean(sm),
        specGlobal: mean(sg),
        lossMicro: mean(lm),
        lossGlobal: mean(lg),
        noLblMaxLoad: mean(maxLoad),
      },
    );
  },
};
