import { OPTIMIZER_DEFAULTS, type RunConfig } from '../config';
import { keptCount } from '../data/hard-batches';
import { mnist, PAPERS } from './base';
import type { ArmResult, AvailablePreset, PresetArm } from './types';
import { above, fmt, mean, pairedDiff, perSeed, seedCount, spread, verdict } from './verdict';

/**
 * Hard mini-batches (docs/algorithms.md#hard-mini-batches): an MLP on MNIST trained for the same
 * number of epochs with δ = 1 (plain), 0.5 and 0.25 of each epoch's batches, the hardest by loss.
 * The verdict reads test accuracy exactly at the end of epoch 5; the per-compute view (accuracy at
 * equal training samples) is reported beside it, not judged.
 */

const DIGITS = 4096;
const BATCH = 32;
/** Mini-batches in one epoch of the training digits. */
const BATCHES = DIGITS / BATCH;
export const HARD_EPOCHS = 5;
const KEEPS = [1, 0.5, 0.25] as const;
/** Evaluation every 32 steps: every arm's epoch ends and the equal-sample points fall on one. */
const EVAL_EVERY = 32;

/** Log-spaced rate factors, a third of a decade apart. */
const GRID = [1 / 3, 1, 3, 9] as const;

const label = (keep: number): string => `δ=${keep}`;
/** The step at which an arm with this δ ends epoch `epoch`. */
export const epochStep = (keep: number, epoch = HARD_EPOCHS): number =>
  epoch * keptCount(BATCHES, keep);

// Adam at 3e-3 with a 4-point grid (1e-3 … 2.7e-2): in full runs every arm chose the top of a
// 3-point grid around 1e-3, and the hard arms (fewer steps) the top of one around 3e-3; on
// this grid δ=1 chose 3e-3 and the hard arms 9e-3, both inside it.
const base = { ...mnist(DIGITS, [128]), optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 3e-3 } };

function armFor(keep: number): PresetArm {
  const config: RunConfig = {
    ...base,
    batchSize: BATCH,
    batching: keep < 1 ? { kind: 'hard', keep } : { kind: 'plain', keep: 1 },
    steps: epochStep(keep),
    metricsEvery: EVAL_EVERY,
  };
  return { label: label(keep), config, seeds: 3, lrGrid: GRID };
}

const arms = KEEPS.map(armFor);

/** Test accuracy at exactly this evaluated step; NaN when the run has no evaluation there. */
function accuracyAt(r: ArmResult, step: number): number {
  const i = r.evalSteps.indexOf(step);
  return i < 0 ? Number.NaN : r.testAccuracy[i];
}

const pct = (xs: readonly number[]): number[] => xs.map((x) => 100 * x);

export const hardBatches: AvailablePreset = {
  id: 'hard-batches',
  number: 3,
  title: 'Hard mini-batches',
  paper: PAPERS.hard,
  available: true,
  claim:
    'Training each epoch only on the hardest fraction of mini-batches reaches higher accuracy in fewer epochs.',
  expectation:
    'MLP on MNIST: paired over seeds, δ=0.5 has a higher test accuracy than δ=1 at the end of epoch 5 (difference above 0 by more than 2 standard errors).',
  lookAt:
    'Test accuracy against steps: each step is one batch of 32, so this is the per-compute view (δ<1 also pays one forward pass over every batch per epoch). The verdict compares the curves’ last points, which are the end of epoch 5 for every arm.',
  miniature: `MLP 784-128-10 on the first ${DIGITS} MNIST training digits, B=${BATCH} (${BATCHES} batches an epoch), Adam at a constant rate, ${HARD_EPOCHS} epochs for every arm: ${KEEPS.map((k) => `${label(k)} ${epochStep(k)} steps`).join(', ')}. Each arm’s rate from a 4-point grid (×1/3 … ×9 of 3e-3) on the validation split; the whole 2,000-digit test split; 3 paired seeds.`,
  arms,
  budgetSteps: epochStep(1),
  charts: ['testAccuracy', 'loss'],
  verdict(results) {
    const [plain, half, quarter] = KEEPS.map(label);
    const n = seedCount(results, [plain, half, quarter]);
    const at = (l: string, step: number) =>
      perSeed(results, l, (r) => accuracyAt(r, step)).slice(0, n);
    const epoch5 = KEEPS.map((k) => at(label(k), epochStep(k)));
    const [accPlain, accHalf, accQuarter] = epoch5;
    const d = pairedDiff(accHalf, accPlain);
    const outcome = d.some((x) => !Number.isFinite(x)) ? 'inconclusive' : above(d, 0);
    // Per compute: δ=1 after as many training steps (samples) as the hard arms took in 5 epochs.
    const plainAtHalf = at(plain, epochStep(0.5));
    const plainAtQuarter = at(plain, epochStep(0.25));
    const dQuarter = pairedDiff(accQuarter, accPlain);
    const dHalfCompute = pairedDiff(accHalf, plainAtHalf);
    const dQuarterCompute = pairedDiff(accQuarter, plainAtQuarter);
    const scored = HARD_EPOCHS * DIGITS;
    return verdict(
      outcome,
      [
        `Test accuracy at epoch ${HARD_EPOCHS}: δ=1 ${spread(pct(accPlain))}%,`,
        `δ=0.5 ${spread(pct(accHalf))}%, δ=0.25 ${spread(pct(accQuarter))}%;`,
        `δ=0.5 − δ=1 ${spread(pct(d))} points (want > 0).`,
        `Per compute (not judged): at ${epochStep(0.5)} training steps δ=1 has`,
        `${spread(pct(plainAtHalf))}% (δ=0.5 − δ=1 ${spread(pct(dHalfCompute))} points),`,
        `at ${epochStep(0.25)} steps ${spread(pct(plainAtQuarter))}%`,
        `(δ=0.25 − δ=1 ${spread(pct(dQuarterCompute))} points);`,
        `the hard arms also ran ${fmt(scored)} examples forward to score their batches.`,
      ].join(' '),
      {
        accuracyPlain: mean(accPlain),
        accuracyHalf: mean(accHalf),
        accuracyQuarter: mean(accQuarter),
        halfMinusPlain: mean(d),
        quarterMinusPlain: mean(dQuarter),
        plainAtHalfSteps: mean(plainAtHalf),
        plainAtQuarterSteps: mean(plainAtQuarter),
        halfMinusPlainEqualSamples: mean(dHalfCompute),
        quarterMinusPlainEqualSamples: mean(dQuarterCompute),
        scoredExamples: scored,
      },
      [
        {
          title: `Test accuracy, read at epoch ${HARD_EPOCHS} of each arm (δ=1 also at the hard arms' steps)`,
          metric: 'testAccuracy',
          at: KEEPS.map((k) => ({ step: epochStep(k), label: `epoch ${HARD_EPOCHS} ${label(k)}` })),
        },
      ],
    );
  },
};
