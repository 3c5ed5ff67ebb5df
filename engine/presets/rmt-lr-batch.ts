import { fitLine } from '../diagnostics/scaling-fit';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { PAPERS, SPIRAL } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { all, bySeed, fmt, perSeed, seedCount, spread, verdict } from './verdict';

const BATCHES = [8, 32, 128] as const;
const arms: PresetArm[] = (['sgd', 'adam'] as const).flatMap((opt) =>
  BATCHES.map((b) => ({
    label: `${opt} B=${b}`,
    config: { ...SPIRAL, optimizer: opt === 'sgd' ? OPTIMIZER_DEFAULTS.sgd : OPTIMIZER_DEFAULTS.adam, batchSize: b, steps: 1200, metricsEvery: 20 },
    seeds: 3,
    measures: ['lrRange'] as const,
    lrRange: { start: opt === 'sgd' ? 1e-3 : 1e-4, factor: 1.3, every: 20, stopRatio: 4 },
  })),
);

/** Slope of log η_max against log B for one optimizer and seed; NaN if any test never diverged. */
function slope(etas: readonly number[]): number {
  if (etas.some((e) => !Number.isFinite(e))) return Number.NaN;
  return fitLine(BATCHES.map(Math.log), etas.map(Math.log)).slope;
}

export const rmtLrBatch: AvailablePreset = {
  id: 'rmt-lr-batch', number: 1, title: 'Learning rate vs batch size', paper: PAPERS.rmt, available: true,
  claim: 'The largest stable learning rate grows linearly with batch size for SGD and as its square root for Adam, in the small-batch regime.',
  expectation: 'Slope of log η_max vs log B (B ≤ 128) in [0.7, 1.1] for SGD and in [0.3, 0.7] for Adam.',
  lookAt: 'The LR range curves: each batch size blows up at a larger learning rate; SGD’s blow-up point moves about twice as far (in log) as Adam’s.',
  miniature: 'MLP 2-32-32-2 on 2-D spirals only (no MNIST arm), B ∈ {8, 32, 128}; η ×1.3 every 20 steps until the loss is 4× its minimum. The batch-Hessian λ_max curve is not part of the verdict.',
  arms, budgetSteps: 1200, charts: ['lrRange', 'loss'],
  verdict(results) {
    const labels = arms.map((a) => a.label);
    const n = seedCount(results, labels);
    const etas = (opt: string) => BATCHES.map((b) => perSeed(results, `${opt} B=${b}`, (r) => r.extra.etaMax ?? Number.NaN));
    const slopes = (opt: string) => Array.from({ length: n }, (_, i) => slope(etas(opt).map((col) => col[i])));
    const sgd = slopes('sgd');
    const adam = slopes('adam');
    const inRange = (x: number, lo: number, hi: number) => (Number.isFinite(x) ? x >= lo && x <= hi : null);
    const a = bySeed(n, (i) => inRange(sgd[i], 0.7, 1.1));
    const b = bySeed(n, (i) => inRange(adam[i], 0.3, 0.7));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return verdict(all(a.outcome, b.outcome), `SGD slope ${spread(sgd)} (want 0.7–1.1), Adam slope ${spread(adam)} (want 0.3–0.7)${sgd.concat(adam).some((x) => !Number.isFinite(x)) ? '; some range tests never diverged' : ''}.`, {
      sgdSlope: mean(sgd), adamSlope: mean(adam), ...Object.fromEntries(BATCHES.flatMap((bb, j) => [[`sgdEtaMaxB${bb}`, mean(etas('sgd')[j])], [`adamEtaMaxB${bb}`, mean(etas('adam')[j])]])),
    });
  },
};
void fmt;
