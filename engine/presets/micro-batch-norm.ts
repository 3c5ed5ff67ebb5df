import { mnist, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import type { NormKind } from '../models/schema';
import { bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = mnist(2048, [64, 64]);
const EPOCHS = 2;
const arm = (label: string, norm: NormKind, ws: boolean, batchSize: number): PresetArm => ({
  label,
  config: { ...base, model: { kind: 'mlp', hidden: [64, 64], activation: 'relu', norm, weightStandardization: ws }, batchSize, steps: (EPOCHS * 2048) / batchSize, metricsEvery: Math.max(8, 512 / batchSize) },
  seeds: 3,
});
const arms = [
  arm('BN B=64', 'batch', false, 64),
  arm('BN B=2', 'batch', false, 2),
  arm('GN B=2', 'group', false, 2),
  arm('GN+WS B=2', 'group', true, 2),
  arm('BCN+WS B=2', 'batch-channel', true, 2),
];

export const microBatchNorm: AvailablePreset = {
  id: 'micro-batch-norm', number: 4, title: 'Normalization at micro-batch sizes', paper: PAPERS.bcn, available: true,
  claim: 'With batches of 2, BatchNorm breaks down while Group Norm or Batch-Channel Norm with Weight Standardization match BatchNorm at a normal batch size.',
  expectation: 'BN at B=2 is >0.5 points below BN at B=64; GN+WS and BCN+WS at B=2 are within 0.5 points of BN at B=64 (test accuracy).',
  lookAt: 'Test accuracy of the B=2 arms against BN at B=64, and the train/eval gap of BN at B=2 (norm-gap view).',
  miniature: 'MLP 784-64-64-10 (not a CNN) on 2,048 MNIST digits, 2 epochs, Adam 1e-3.',
  arms, budgetSteps: (EPOCHS * 2048) / 2, charts: ['testAccuracy', 'testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy);
    const ref = acc('BN B=64');
    const gap = (l: string) => acc(l).map((x, i) => ref[i] - x);
    const [bn2, gnws, bcnws] = [gap('BN B=2'), gap('GN+WS B=2'), gap('BCN+WS B=2')];
    const v = bySeed(n, (i) => bn2[i] > 0.5 && Math.abs(gnws[i]) <= 0.5 && Math.abs(bcnws[i]) <= 0.5);
    return verdict(v.outcome, `Gap to BN B=64 (${spread(ref)}%): BN B=2 ${spread(bn2)}, GN+WS ${spread(gnws)}, BCN+WS ${spread(bcnws)} points; ${v.passed}/${n} seeds meet the claim.`, {
      refAccuracy: mean(ref), bn2Gap: mean(bn2), gnWsGap: mean(gnws), bcnWsGap: mean(bcnws), gnGap: mean(gap('GN B=2')),
    });
  },
};
