import type { RunConfig } from '../config';
import { DATA_DEFAULTS } from '../data/schema';
import { spearman } from '../diagnostics/scaling-fit';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { PAPERS, SMALL_LM } from './base';
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
  within,
} from './verdict';

/**
 * The SFT recipe in miniature: a char LM pretrained on one generated domain (grammar sentences)
 * is fine-tuned on another (arithmetic) over a batch size × learning rate grid at an equal
 * number of training sequences, plus constant-rate runs with and without warmup.
 */
const SEEDS = 3;
const PRETRAIN_STEPS = 600;
/** Training sequences every fine-tuning run sees: B × steps is the same in every cell. */
const SAMPLES = 5120;
export const SFT_BATCHES = [16, 64, 256] as const;
export const SFT_RATES = [3e-4, 1e-3, 3e-3] as const;
/** |warmup − no warmup| in final test loss within which "no significant difference" holds. */
const WARMUP_MARGIN = 0.02;

const lmData = (domain: 'grammar' | 'arithmetic'): RunConfig['data'] => ({
  ...DATA_DEFAULTS.chars,
  domains: [domain],
  sequenceLength: 16,
  corpusChars: 20_000,
});
const pretrain: RunConfig = {
  ...SMALL_LM,
  data: lmData('grammar'),
  steps: PRETRAIN_STEPS,
  metricsEvery: 100,
};
const PARENT = 'pretrain on grammar';

function fineTune(batchSize: number, lr: number, schedule: RunConfig['schedule']): RunConfig {
  const steps = SAMPLES / batchSize;
  return {
    ...SMALL_LM,
    data: lmData('arithmetic'),
    init: { from: 'parent' },
    optimizer: { ...SMALL_LM.optimizer, lr },
    schedule,
    batchSize,
    steps,
    metricsEvery: Math.max(1, steps / 4),
  };
}

export const cellLabel = (b: number, lr: number) => `B=${b} lr=${lr}`;
const cells = SFT_BATCHES.flatMap((b) =>
  SFT_RATES.map((lr) => ({ b, lr, label: cellLabel(b, lr) })),
);
const derived = { seeds: SEEDS, parent: { arm: PARENT }, measures: ['earlyGradNorm'] } as const;
const constant = (warmupFraction: number) => ({ ...SCHEDULE_DEFAULTS.constant, warmupFraction });

const arms: readonly PresetArm[] = [
  { label: PARENT, config: pretrain, seeds: SEEDS },
  ...cells.map((c) => ({
    ...derived,
    label: c.label,
    config: fineTune(c.b, c.lr, SCHEDULE_DEFAULTS.cosine),
  })),
  { ...derived, label: 'constant, warmup', config: fineTune(64, 1e-3, constant(0.1)) },
  { ...derived, label: 'constant, no warmup', config: fineTune(64, 1e-3, constant(0)) },
];

/** The cells the claim calls "larger batch, lower rate": B ≥ 64 with lr ≤ 1e-3. */
const largeLow = cells.filter((c) => c.b >= 64 && c.lr <= 1e-3);

export const sftRecipe: AvailablePreset = {
  id: 'sft-recipe',
  number: 12,
  title: 'SFT recipe: batch size × learning rate',
  paper: PAPERS.sft,
  available: true,
  claim:
    'For fine-tuning small language models, larger batches with lower learning rates do well, and early gradient norm predicts the final loss.',
  expectation: `Larger B with lower η among the best cells (the best cell by mean test loss has B ≥ 64 and η ≤ 1e-3, or the best such cell is not worse than it by more than 2 standard errors: then inconclusive); Spearman(mean gradient norm over the first 10% of steps, final test loss) across the 9 cells > 0 (per seed, interval above 0); constant rate with and without warmup within ${WARMUP_MARGIN} nats.`,
  lookAt:
    'Test loss against steps for the nine cells: each cell sees the same number of sequences, so B=256 takes a sixteenth of B=16’s steps.',
  miniature: `Transformer d=16, 2 layers, context 16; pretrained ${PRETRAIN_STEPS} steps (B=16, AdamW 3e-3) on generated grammar sentences, then fine-tuned from those weights with a fresh optimizer on arithmetic lines, ${SAMPLES.toLocaleString('en-US')} sequences per run (B=16: 320 steps, B=64: 80, B=256: 20), cosine with 5% warmup; the warmup pair at B=64, η=1e-3, constant rate, 10% warmup or none. The grid is the experiment: no separate rate tuning.`,
  arms,
  budgetSteps: PRETRAIN_STEPS,
  charts: ['testLoss', 'loss', 'gradNorm'],
  verdict(results) {
    const n = seedCount(
      results,
      cells.map((c) => c.label),
    );
    const loss = (label: string) => perSeed(results, label, (r) => r.finalTestLoss).slice(0, n);
    const byMean = (xs: readonly { label: string }[]) =>
      [...xs].sort((p, q) => mean(loss(p.label)) - mean(loss(q.label)))[0];
    const best = byMean(cells);
    const bestLarge = byMean(largeLow);
    const recipe =
      best.label === bestLarge.label
        ? 'pass'
        : atMost(pairedDiff(loss(bestLarge.label), loss(best.label)), 0) === 'fail'
          ? 'fail'
          : 'inconclusive';
    // Per seed: the rank correlation across the nine cells.
    const rho = Array.from({ length: n }, (_, s) =>
      spearman(
        cells.map((c) => results[c.label][s].extra.earlyGradNorm ?? Number.NaN),
        cells.map((c) => results[c.label][s].finalTestLoss),
      ),
    );
    const correlation = above(rho, 0);
    const warm = loss('constant, warmup');
    const cold = loss('constant, no warmup');
    const warmup = within(pairedDiff(warm, cold), WARMUP_MARGIN);
    const table = cells.map((c) => `${c.label}: ${spread(loss(c.label))}`).join('; ');
    return verdict(
      all(recipe, correlation, warmup),
      `Best cell ${best.label} (${spread(loss(best.label))}), best larger-B lower-η cell ${bestLarge.label} (${spread(loss(bestLarge.label))}): ${recipe}. Spearman(early grad norm, final loss) per seed ${spread(rho)}: ${correlation}. Warmup ${spread(warm)} vs none ${spread(cold)}: ${warmup}. Cells: ${table}.`,
      {
        bestLoss: mean(loss(best.label)),
        bestLargeLowLoss: mean(loss(bestLarge.label)),
        spearman: mean(rho),
        warmupDiff: mean(pairedDiff(warm, cold)),
        pretrainLoss: mean(perSeed(results, PARENT, (r) => r.finalTestLoss)),
      },
    );
  },
};
