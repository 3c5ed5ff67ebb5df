import { fitCriticalBatch, fitPowerLawWithOffset } from '../diagnostics/scaling-fit';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
import {
  above,
  all,
  bootstrapInterval,
  fmt,
  mean,
  pairedDiff,
  perSeed,
  seedCount,
  spread,
  stepsToTarget,
  verdict,
  within,
} from './verdict';

const WIDTHS = [8, 16, 32, 64, 128, 256] as const;
const BATCHES = [8, 32, 128, 512] as const;
const TARGETS = [0.6, 0.4] as const;
/** How close the law fitted on the smaller widths must predict the largest width's loss. */
const TOLERANCE = 0.05;
const base = { ...mnist(4096, [32]), steps: 600, batchSize: 32, metricsEvery: 100 };
const arms: PresetArm[] = [
  ...WIDTHS.map((w) => ({
    label: `width ${w}`,
    config: { ...base, model: { ...base.model, hidden: [w] } },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  })),
  ...BATCHES.map((b) => ({
    label: `B=${b}`,
    config: { ...base, batchSize: b, steps: 800, metricsEvery: 200 },
    seeds: 3,
    lrGrid: LR_GRID_3,
  })),
];

export const scalingLaws: AvailablePreset = {
  id: 'scaling-laws',
  number: 19,
  title: 'Scaling laws in miniature',
  paper: PAPERS.scaling,
  available: true,
  claim:
    'Loss falls as a power law of model size, and the critical batch size grows as the target loss gets lower.',
  expectation: `L(N) = E + (N_c/N)^α fitted on every width but the largest predicts the largest width’s test loss within ${100 * TOLERANCE}%; B_crit from S(B) = S_min + k/B is larger at the lower target. Paired over 3 seeds, outside 2 standard errors.`,
  lookAt:
    'Final test loss against parameter count on log axes; steps to each target against batch size.',
  miniature: `One-hidden-layer MLPs of width ${WIDTHS.join(', ')} on 4,096 MNIST digits, 600 steps each; B ∈ {${BATCHES.join(', ')}} at width 32, 800 steps, to training-loss targets ${TARGETS.join(' and ')}; every arm’s Adam rate from a 3-point grid (per width, per batch size).`,
  arms,
  budgetSteps: 800,
  charts: ['testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const N = WIDTHS.map(
      (w) => perSeed(results, `width ${w}`, (r) => r.extra.params ?? Number.NaN)[0],
    );
    const L = WIDTHS.map((w) => perSeed(results, `width ${w}`, (r) => r.bestTestLoss));
    const numbers: Record<string, number> = {};
    // Per seed: fit on all widths but the largest, predict the largest.
    const errors = Array.from({ length: n }, (_, i) => {
      const Ls = L.map((col) => col[i]);
      if (![...N, ...Ls].every(Number.isFinite)) return Number.NaN;
      const fit = fitPowerLawWithOffset(N.slice(0, -1), Ls.slice(0, -1));
      const predicted = fit.E + (fit.Nc / N[N.length - 1]) ** fit.alphaN;
      return (predicted - Ls[Ls.length - 1]) / Ls[Ls.length - 1];
    });
    const meanL = L.map((col) => mean(col));
    if ([...N, ...meanL].every(Number.isFinite)) {
      const fit = fitPowerLawWithOffset(N, meanL);
      Object.assign(numbers, { alphaN: fit.alphaN, Nc: fit.Nc, E: fit.E, r2: fit.r2 });
    }
    const lawOutcome = errors.every(Number.isFinite) ? within(errors, TOLERANCE) : 'inconclusive';
    const bCrit = TARGETS.map((t) =>
      Array.from({ length: n }, (_, i) => {
        const S = BATCHES.map((b) => {
          const r = results[`B=${b}`]?.[i];
          return r ? stepsToTarget(r.loss, t, 20) : Number.NaN;
        });
        return S.every(Number.isFinite) ? fitCriticalBatch(BATCHES, S).bCrit : Number.NaN;
      }),
    );
    TARGETS.forEach((t, k) => (numbers[`bCrit@${t}`] = mean(bCrit[k])));
    const usable = bCrit.flat().every((x) => Number.isFinite(x) && x > 0);
    const batchOutcome = usable ? above(pairedDiff(bCrit[1], bCrit[0])) : 'inconclusive';
    const ci = TARGETS.map((_, k) => bootstrapInterval(bCrit[k]).map(fmt).join('–'));
    numbers.meanLoss = mean(meanL);
    numbers.predictionError = mean(errors);
    return verdict(
      all(lawOutcome, batchOutcome),
      `Largest width predicted within ${spread(errors.map((e) => 100 * e))}% (want ±${100 * TOLERANCE}%), fit on all widths R²=${fmt(numbers.r2 ?? Number.NaN)}; B_crit at loss ${TARGETS[0]}: ${spread(bCrit[0])} (95% bootstrap ${ci[0]}), at ${TARGETS[1]}: ${spread(bCrit[1])} (${ci[1]})${usable ? '' : ' (a batch size never reached a target, or a fit is not positive)'}.`,
      numbers,
      [
        {
          title: 'Test loss by width (the fit reads each curve’s lowest point)',
          metric: 'testLoss',
          arms: WIDTHS.map((w) => `width ${w}`),
          at: [],
        },
        {
          title: 'Training loss (mean of 20 steps) by batch size: steps to each target',
          metric: 'loss',
          arms: BATCHES.map((b) => `B=${b}`),
          smooth: 20,
          at: [],
          levels: TARGETS.map((t) => ({ value: t, label: `target ${t}` })),
        },
      ],
    );
  },
};
