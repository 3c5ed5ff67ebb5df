import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
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

const DIGITS = 8000;
const EPOCHS = 30;
const LARGE = 2048;
const base = mnist(DIGITS, [64]);
// Five of the thirty epochs warm up.
const warm = { kind: 'constant', warmupFraction: 5 / EPOCHS } as const;
const large = (label: string, optimizer: PresetArm['config']['optimizer']): PresetArm => ({
  label,
  config: {
    ...base,
    optimizer,
    batchSize: LARGE,
    batchScaling: { rule: 'sqrt', referenceBatch: 32 },
    schedule: warm,
    steps: Math.round((EPOCHS * DIGITS) / LARGE),
    metricsEvery: 39,
  },
  seeds: 3,
  lrGrid: LR_GRID_3,
});
const arms: PresetArm[] = [
  {
    label: 'Adam B=32',
    config: {
      ...base,
      batchSize: 32,
      schedule: warm,
      steps: (EPOCHS * DIGITS) / 32,
      metricsEvery: 750,
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
  },
  large(`Adam B=${LARGE}`, { ...OPTIMIZER_DEFAULTS.adam, lr: 1e-3 }),
  large(`LAMB B=${LARGE}`, { ...OPTIMIZER_DEFAULTS.lamb, lr: 2.5e-3 }),
  large(`LARS B=${LARGE}`, { ...OPTIMIZER_DEFAULTS.lars, lr: 0.25 }),
];

export const lambLargeBatch: AvailablePreset = {
  id: 'lamb-large-batch',
  number: 2,
  title: 'LAMB and LARS at large batch',
  paper: PAPERS.lamb,
  available: true,
  claim:
    'Layer-wise trust ratios (LAMB, LARS) let a 64× larger batch train as well as the small-batch reference in the same number of epochs, where Adam falls behind.',
  expectation: `LAMB and LARS at B=${LARGE} no more than 1 point below Adam at B=32 in test accuracy, and Adam at B=${LARGE} further behind than each of them (paired over 3 seeds, outside 2 standard errors).`,
  lookAt: `Test accuracy against samples seen: the B=${LARGE} arms take 64× fewer steps; per-layer trust ratios in the layer view.`,
  miniature: `MLP 784-64-10 (not a CNN) on all ${DIGITS.toLocaleString('en-US')} MNIST training digits, ${EPOCHS} epochs, B=32 vs B=${LARGE}, 5-epoch warmup; large-batch rates sqrt-scaled from B=32, then each arm’s rate from a 3-point grid on a validation split. Trust ratios are shown in the layer view of a gallery run, not in this table.`,
  arms,
  budgetSteps: (EPOCHS * DIGITS) / 32,
  charts: ['testAccuracy', 'testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy).slice(0, n);
    const ref = acc('Adam B=32');
    const gap = (l: string) => pairedDiff(ref, acc(l));
    const [adam, lamb, lars] = [
      gap(`Adam B=${LARGE}`),
      gap(`LAMB B=${LARGE}`),
      gap(`LARS B=${LARGE}`),
    ];
    const outcome = all(
      atMost(lamb, 1),
      atMost(lars, 1),
      above(pairedDiff(adam, lamb)),
      above(pairedDiff(adam, lars)),
    );
    return verdict(
      outcome,
      `Gap to Adam B=32 (${spread(ref)}%): LAMB ${spread(lamb)}, LARS ${spread(lars)}, Adam B=${LARGE} ${spread(adam)} points.`,
      {
        refAccuracy: mean(ref),
        lambGap: mean(lamb),
        larsGap: mean(lars),
        adamGap: mean(adam),
      },
      [readFinal(results, 'Test accuracy, read at the end', 'testAccuracy')],
    );
  },
};
