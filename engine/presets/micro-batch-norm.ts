import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
import type { NormKind } from '../models/schema';
import {
  above,
  all,
  atMost,
  mean,
  pairedDiff,
  perSeed,
  readFinal,
  seedCount,
  spread,
  verdict,
} from './verdict';

const DIGITS = 2048;
const base = mnist(DIGITS, [64]);
/** Epochs per batch size: B=2 takes 1,024 updates an epoch, B=64 needs more epochs to flatten. */
const EPOCHS: Record<number, number> = { 2: 2, 64: 16 };
const arm = (label: string, norm: NormKind, ws: boolean, batchSize: number): PresetArm => {
  const steps = (EPOCHS[batchSize] * DIGITS) / batchSize;
  return {
    label,
    config: {
      ...base,
      model: { kind: 'cnn', channels: [8, 16], norm, weightStandardization: ws },
      batchSize,
      steps,
      metricsEvery: steps / 4,
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
  };
};
const arms = [
  arm('BN B=64', 'batch', false, 64),
  arm('BN B=2', 'batch', false, 2),
  arm('GN B=2', 'group', false, 2),
  arm('GN+WS B=2', 'group', true, 2),
  arm('BCN+WS B=2', 'batch-channel', true, 2),
];

export const microBatchNorm: AvailablePreset = {
  id: 'micro-batch-norm',
  number: 4,
  title: 'Normalization at micro-batch sizes',
  paper: PAPERS.bcn,
  available: true,
  claim:
    'With batches of 2, BatchNorm breaks down while Group Norm or Batch-Channel Norm with Weight Standardization match BatchNorm at a normal batch size.',
  expectation:
    'BN at B=2 is more than 0.5 points below BN at B=64; GN+WS and BCN+WS at B=2 are no more than 0.5 points below BN at B=64 (test accuracy; one-sided; paired over 3 seeds, outside 2 standard errors).',
  lookAt:
    'Test accuracy of the B=2 arms against BN at B=64, and the train/eval gap of BN at B=2 (norm-gap view).',
  miniature: `Small CNN (conv 8-16 channels, norm after each conv) on ${DIGITS.toLocaleString('en-US')} MNIST digits: B=2 arms 2 epochs (2,048 updates), BN B=64 16 epochs (512 updates); each arm’s Adam rate from a 3-point grid.`,
  arms,
  budgetSteps: (EPOCHS[2] * DIGITS) / 2,
  charts: ['testAccuracy', 'testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy).slice(0, n);
    const ref = acc('BN B=64');
    const gap = (l: string) => pairedDiff(ref, acc(l));
    const [bn2, gnws, bcnws] = [gap('BN B=2'), gap('GN+WS B=2'), gap('BCN+WS B=2')];
    const outcome = all(above(bn2, 0.5), atMost(gnws, 0.5), atMost(bcnws, 0.5));
    return verdict(
      outcome,
      `Gap to BN B=64 (${spread(ref)}%): BN B=2 ${spread(bn2)} (want > 0.5), GN+WS ${spread(gnws)}, BCN+WS ${spread(bcnws)} (want ≤ 0.5), GN ${spread(gap('GN B=2'))} points.`,
      {
        refAccuracy: mean(ref),
        bn2Gap: mean(bn2),
        gnWsGap: mean(gnws),
        bcnWsGap: mean(bcnws),
        gnGap: mean(gap('GN B=2')),
      },
      [readFinal(results, 'Test accuracy, read at the end', 'testAccuracy')],
    );
  },
};
