import { fitCriticalBatch, fitPowerLawWithOffset } from '../diagnostics/scaling-fit';
import { mnist, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { all, arm, mean, perSeed, stepsToTarget, verdict } from './verdict';

const WIDTHS = [4, 8, 16, 32, 64] as const;
const BATCHES = [8, 32, 128] as const;
const TARGETS = [0.6, 0.4] as const;
const base = { ...mnist(4096, [32]), steps: 600, batchSize: 32, metricsEvery: 100 };
const arms: PresetArm[] = [
  ...WIDTHS.map((w) => ({ label: `width ${w}`, config: { ...base, model: { ...base.model, hidden: [w] } }, seeds: 1, measures: ['paramCount'] as const })),
  ...BATCHES.map((b) => ({ label: `B=${b}`, config: { ...base, batchSize: b, steps: 800, metricsEvery: 100 }, seeds: 1 })),
];

export const scalingLaws: AvailablePreset = {
  id: 'scaling-laws', number: 19, title: 'Scaling laws in miniature', paper: PAPERS.scaling, available: true,
  claim: 'Loss falls as a power law of model size, and the critical batch size grows as the target loss gets lower.',
  expectation: 'log(L − E) is linear in log N with R² > 0.95; S(B) = S_min + k/B fits, and B_crit at the lower target exceeds B_crit at the higher one.',
  lookAt: 'Final test loss against parameter count on log axes; steps to each target against batch size.',
  miniature: `One-hidden-layer MLPs of width ${WIDTHS.join(', ')} on 4,096 MNIST digits, 600 steps each (not retuned per width); B ∈ {${BATCHES.join(', ')}} at width 32 to training-loss targets ${TARGETS.join(' and ')}; one seed each.`,
  arms, budgetSteps: 800, charts: ['testLoss', 'loss'],
  verdict(results) {
    const N = WIDTHS.map((w) => perSeed(results, `width ${w}`, (r) => r.extra.params ?? Number.NaN)[0]);
    const L = WIDTHS.map((w) => perSeed(results, `width ${w}`, (r) => r.bestTestLoss)[0]);
    const numbers: Record<string, number> = {};
    let lawOutcome: 'pass' | 'fail' | 'inconclusive' = 'inconclusive';
    let lawText = 'power law not fitted (missing numbers)';
    if ([...N, ...L].every(Number.isFinite)) {
      const fit = fitPowerLawWithOffset(N, L);
      Object.assign(numbers, { alphaN: fit.alphaN, Nc: fit.Nc, E: fit.E, r2: fit.r2 });
      lawOutcome = fit.r2 > 0.95 ? 'pass' : 'fail';
      lawText = `L(N) fit α_N=${fit.alphaN.toFixed(3)}, E=${fit.E.toFixed(3)}, R²=${fit.r2.toFixed(3)}`;
    }
    const bCrit = TARGETS.map((t) => {
      const S = BATCHES.map((b) => stepsToTarget(arm(results, `B=${b}`)[0].loss, t, 20));
      return S.every(Number.isFinite) ? fitCriticalBatch(BATCHES, S).bCrit : Number.NaN;
    });
    TARGETS.forEach((t, i) => (numbers[`bCrit@${t}`] = bCrit[i]));
    const batchOutcome = bCrit.every(Number.isFinite) && bCrit.every((x) => x > 0) ? (bCrit[1] > bCrit[0] ? 'pass' : 'fail') : 'inconclusive';
    numbers.meanLoss = mean(L);
    return verdict(all(lawOutcome, batchOutcome), `${lawText}; B_crit at loss ${TARGETS[0]}: ${bCrit[0].toFixed(1)}, at ${TARGETS[1]}: ${bCrit[1].toFixed(1)}${batchOutcome === 'inconclusive' ? ' (a batch size never reached a target, or the fit is not positive)' : ''}.`, numbers);
  },
};
