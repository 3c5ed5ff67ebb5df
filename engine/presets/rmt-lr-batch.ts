import { fitLine } from '../diagnostics/scaling-fit';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { mnist, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { above, all, atMost, mean, perSeed, seedCount, spread, verdict } from './verdict';

const BATCHES = [8, 16, 32, 64, 128] as const;
/** The schema maxima of the two optimizers' rates: the sweep is never capped below them. */
const MAX_LR = { sgd: 100, adam: 10 } as const;
const base = mnist(4096, [64]);
/** The arm that also measures the batch Hessian's λ_max at each B, at its initial weights. */
const HESSIAN_ARM = 'sgd B=8';
const arms: PresetArm[] = (['sgd', 'adam'] as const).flatMap((opt) =>
  BATCHES.map((b) => ({
    label: `${opt} B=${b}`,
    config: {
      ...base,
      optimizer: opt === 'sgd' ? OPTIMIZER_DEFAULTS.sgd : OPTIMIZER_DEFAULTS.adam,
      batchSize: b,
      steps: 1200,
      metricsEvery: 20,
    },
    seeds: 3,
    measures: ['lrRange'] as const,
    lrRange: {
      start: opt === 'sgd' ? 1e-3 : 1e-5,
      factor: 1.3,
      every: 20,
      divergence: 'initial' as const,
      maxLr: MAX_LR[opt],
    },
    ...(`${opt} B=${b}` === HESSIAN_ARM
      ? { batchHessian: { sizes: BATCHES, batches: 8, iterations: 20 } }
      : {}),
  })),
);

/** Slope of log η_max against log B for one optimizer and seed; NaN if any test never diverged. */
function slope(etas: readonly number[]): number {
  if (etas.some((e) => !Number.isFinite(e))) return Number.NaN;
  return fitLine(BATCHES.map(Math.log), etas.map(Math.log)).slope;
}

export const rmtLrBatch: AvailablePreset = {
  id: 'rmt-lr-batch',
  number: 1,
  title: 'Learning rate vs batch size',
  paper: PAPERS.rmt,
  available: true,
  claim:
    'The largest stable learning rate grows linearly with batch size for SGD and as its square root for Adam, in the small-batch regime.',
  expectation:
    'Slope of log η_max vs log B (B ≤ 128) inside [0.7, 1.1] for SGD and inside [0.3, 0.7] for Adam (each slope’s mean ± 2 standard errors over 3 seeds).',
  lookAt:
    'The LR range curves: each batch size blows up at a larger learning rate; SGD’s blow-up point moves about twice as far (in log) as Adam’s.',
  miniature:
    'MLP 784-64-10 on 4,096 MNIST digits, B ∈ {8, 16, 32, 64, 128}; η ×1.3 every 20 steps until a 20-step mean loss exceeds the initial loss (the first 20 steps’ mean) by more than 4 standard errors of it, or is not finite, up to the optimizer’s schema maximum. Beside it (not judged), λ_max of the batch Hessian at each B at the initial weights (the largest Ritz value of 20 Lanczos steps on finite-difference Hessian-vector products, mean of 8 random batches per B), and the slope of log(1/λ_max) vs log B: the slope the theory’s η_max ∝ 1/λ_max(B) predicts.',
  arms,
  budgetSteps: 1200,
  charts: ['lrRange', 'loss'],
  verdict(results) {
    const labels = arms.map((a) => a.label);
    const n = seedCount(results, labels);
    const etas = (opt: string) =>
      BATCHES.map((b) => perSeed(results, `${opt} B=${b}`, (r) => r.extra.etaMax ?? Number.NaN));
    const slopes = (opt: string) =>
      Array.from({ length: n }, (_, i) => slope(etas(opt).map((col) => col[i])));
    const sgd = slopes('sgd');
    const adam = slopes('adam');
    // Inside [lo, hi]: above lo and at most hi, each outside the noise.
    const inside = (xs: number[], lo: number, hi: number) =>
      xs.every(Number.isFinite) ? all(above(xs, lo), atMost(xs, hi)) : 'inconclusive';
    const lambdas = BATCHES.map((b) =>
      perSeed(results, HESSIAN_ARM, (r) => r.extra[`lambdaMax@${b}`] ?? Number.NaN).slice(0, n),
    );
    const predicted = Array.from({ length: n }, (_, i) => slope(lambdas.map((col) => 1 / col[i])));
    const hessianText = `Batch Hessian λ_max at init (not judged): ${BATCHES.map((b, j) => `B=${b} ${spread(lambdas[j])}`).join(', ')}; slope of log(1/λ_max) vs log B ${spread(predicted)}`;
    return verdict(
      all(inside(sgd, 0.7, 1.1), inside(adam, 0.3, 0.7)),
      `SGD slope ${spread(sgd)} (want 0.7–1.1), Adam slope ${spread(adam)} (want 0.3–0.7)${sgd.concat(adam).some((x) => !Number.isFinite(x)) ? '; some range tests never diverged' : ''}. ${hessianText}.`,
      {
        sgdSlope: mean(sgd),
        adamSlope: mean(adam),
        hessianSlope: mean(predicted),
        ...Object.fromEntries(
          BATCHES.flatMap((bb, j) => [
            [`sgdEtaMaxB${bb}`, mean(etas('sgd')[j])],
            [`adamEtaMaxB${bb}`, mean(etas('adam')[j])],
          ]),
        ),
      },
    );
  },
};
