import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { mnist, PAPERS } from './base';
import type { AvailablePreset, PresetArm } from './types';
import { bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = mnist(4096, [64]);
const EPOCHS = 8;
const warm = { kind: 'constant', warmupFraction: 0.25 } as const;
const large = (label: string, optimizer: PresetArm['config']['optimizer']): PresetArm => ({
  label,
  config: { ...base, optimizer, batchSize: 512, batchScaling: { rule: 'sqrt', referenceBatch: 32 }, schedule: warm, steps: (EPOCHS * 4096) / 512, metricsEvery: 8 },
  seeds: 3,
});
const arms: PresetArm[] = [
  { label: 'Adam B=32', config: { ...base, batchSize: 32, schedule: warm, steps: (EPOCHS * 4096) / 32, metricsEvery: 128 }, seeds: 3 },
  large('Adam B=512', { ...OPTIMIZER_DEFAULTS.adam, lr: 1e-3 }),
  large('LAMB B=512', { ...OPTIMIZER_DEFAULTS.lamb, lr: 2.5e-3 }),
  large('LARS B=512', { ...OPTIMIZER_DEFAULTS.lars, lr: 0.25 }),
];

export const lambLargeBatch: AvailablePreset = {
  id: 'lamb-large-batch', number: 2, title: 'LAMB and LARS at large batch', paper: PAPERS.lamb, available: true,
  claim: 'Layer-wise trust ratios (LAMB, LARS) let a 16× larger batch train as well as the small-batch reference in the same number of epochs, where Adam falls behind.',
  expectation: 'LAMB and LARS at B=512 within 1 point of Adam at B=32 in test accuracy, and Adam at B=512 further behind than both.',
  lookAt: 'Test accuracy against samples seen: the B=512 arms take 16× fewer steps; per-layer trust ratios in the layer view.',
  miniature: 'MLP 784-64-10 on 4,096 MNIST digits, 8 epochs, B=32 vs B=512 (not a CNN at B=2048), lr sqrt-scaled from B=32, 25% warmup; learning rates are the playground defaults, not tuned.',
  arms, budgetSteps: (EPOCHS * 4096) / 32, charts: ['testAccuracy', 'testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy);
    const ref = acc('Adam B=32');
    const gap = (l: string) => acc(l).map((x, i) => ref[i] - x);
    const [adam, lamb, lars] = [gap('Adam B=512'), gap('LAMB B=512'), gap('LARS B=512')];
    const v = bySeed(n, (i) => lamb[i] <= 1 && lars[i] <= 1 && adam[i] > Math.max(lamb[i], lars[i]));
    return verdict(v.outcome, `Gap to Adam B=32 (${spread(ref)}%): LAMB ${spread(lamb)}, LARS ${spread(lars)}, Adam B=512 ${spread(adam)} points; ${v.passed}/${n} seeds meet the claim.`, {
      refAccuracy: mean(ref), lambGap: mean(lamb), larsGap: mean(lars), adamGap: mean(adam),
    });
  },
};
