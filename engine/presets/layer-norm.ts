import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
import type { NormKind } from '../models/schema';
import {
  above,
  all,
  mean,
  pairedDiff,
  perSeed,
  readFinal,
  seedCount,
  spread,
  stepsToTarget,
  verdict,
} from './verdict';

const TARGET = 0.3;
const STEPS = 800;
const base = mnist(4096, Array(8).fill(16));
const arm = (norm: NormKind, batchSize: number, opt: 'adam' | 'sgd' = 'adam'): PresetArm => ({
  label: `${norm} B=${batchSize}${opt === 'sgd' ? ' SGD' : ''}`,
  config: {
    ...base,
    model: { kind: 'mlp', hidden: Array(8).fill(16), activation: 'relu', norm },
    optimizer:
      opt === 'sgd'
        ? { ...OPTIMIZER_DEFAULTS.sgd, lr: 0.1 }
        : { ...OPTIMIZER_DEFAULTS.adam, lr: 1e-3 },
    batchSize,
    steps: STEPS,
    metricsEvery: 200,
  },
  seeds: 3,
  lrGrid: LR_GRID_3,
});
const arms = [
  ...(['none', 'batch', 'layer'] as const).flatMap((nk) => [arm(nk, 4), arm(nk, 64)]),
  arm('none', 64, 'sgd'),
  arm('layer', 64, 'sgd'),
];

export const layerNorm: AvailablePreset = {
  id: 'layer-norm',
  number: 5,
  title: 'Layer normalization',
  paper: PAPERS.layerNorm,
  available: true,
  claim:
    'Layer normalization speeds up training of a deep network and, unlike batch normalization, does not depend on the batch size.',
  expectation: `At B=64, LN reaches training loss ${TARGET} in fewer steps than no norm, with Adam and with SGD; |LN(B=4) − LN(B=64)| final test loss is smaller than BN’s. Paired over 3 seeds, outside 2 standard errors.`,
  lookAt:
    'Loss curves of the 8-layer MLP: LN’s two batch sizes lie on top of each other, BN’s do not.',
  miniature: `MLP with 8 hidden layers of 16 on 4,096 MNIST digits (the norm follows each hidden layer, never the raw input), ${STEPS} steps; every arm’s rate (Adam, SGD) from a 3-point grid; target loss is a trailing 10-step mean of the training loss, never reaching it counts as ${STEPS + 1} steps.`,
  arms,
  budgetSteps: STEPS,
  charts: ['loss', 'testLoss'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const cap = (x: number) => (Number.isFinite(x) ? x : STEPS + 1);
    const steps = (l: string) =>
      perSeed(results, l, (r) => cap(stepsToTarget(r.loss, TARGET))).slice(0, n);
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const [ln, none] = [steps('layer B=64'), steps('none B=64')];
    const [lnSgd, noneSgd] = [steps('layer B=64 SGD'), steps('none B=64 SGD')];
    const lnShift = pairedDiff(final('layer B=4'), final('layer B=64')).map(Math.abs);
    const bnShift = pairedDiff(final('batch B=4'), final('batch B=64')).map(Math.abs);
    const outcome = all(
      above(pairedDiff(none, ln)),
      above(pairedDiff(noneSgd, lnSgd)),
      above(pairedDiff(bnShift, lnShift)),
    );
    return verdict(
      outcome,
      `Steps to loss ${TARGET} at B=64: Adam LN ${spread(ln)}, none ${spread(none)}; SGD LN ${spread(lnSgd)}, none ${spread(noneSgd)}; batch-size shift of final test loss: LN ${spread(lnShift)}, BN ${spread(bnShift)}.`,
      {
        lnSteps: mean(ln),
        noneSteps: mean(none),
        lnSgdSteps: mean(lnSgd),
        noneSgdSteps: mean(noneSgd),
        lnShift: mean(lnShift),
        bnShift: mean(bnShift),
      },
      [
        {
          title: `Training loss (mean of 10 steps) at B=64: steps until it reaches ${TARGET}`,
          metric: 'loss',
          arms: ['layer B=64', 'none B=64', 'layer B=64 SGD', 'none B=64 SGD'],
          smooth: 10,
          at: [],
          levels: [{ value: TARGET, label: 'target' }],
        },
        readFinal(
          results,
          'Batch-size shift: test loss at B=4 and B=64, read at the end',
          'testLoss',
          ['layer B=4', 'layer B=64', 'batch B=4', 'batch B=64'],
        ),
      ],
    );
  },
};
