import { MODEL_DEFAULTS } from '../models/schema';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset } from './types';
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

const STEPS = 1000;
/** ViT-lite's MLP ratio: its parameter count within 10% of CCT's (`cct.test.ts`). */
export const VIT_MLP_RATIO = 3;
const base = {
  ...mnist(2048, [64]),
  batchSize: 32,
  steps: STEPS,
  metricsEvery: 250,
  schedule: { ...SCHEDULE_DEFAULTS.cosine, warmupFraction: 0.05 },
};
const arms = [
  {
    label: 'CNN',
    config: { ...base, model: { ...MODEL_DEFAULTS.cnn, channels: [8, 16] } },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  },
  {
    label: 'CCT',
    config: {
      ...base,
      model: { ...MODEL_DEFAULTS.cct, dim: 32, layers: 1, heads: 2, mlpRatio: 1 },
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  },
  {
    // The same encoder with ViT's 4×4 patches and class token; a wider MLP brings its parameter
    // count (the patch map is far smaller than the conv tokenizer) to about CCT's.
    label: 'ViT-lite',
    config: {
      ...base,
      model: {
        ...MODEL_DEFAULTS.cct,
        dim: 32,
        layers: 1,
        heads: 2,
        mlpRatio: VIT_MLP_RATIO,
        tokenizer: 'patch' as const,
        pooling: 'class' as const,
      },
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  },
];

export const cct: AvailablePreset = {
  id: 'cct',
  number: 13,
  title: 'Compact Convolutional Transformer',
  paper: PAPERS.cct,
  available: true,
  claim:
    'With a convolutional tokenizer and sequence pooling, a small transformer learns well from a small image dataset: clearly better than ViT with patches and a class token, and close to a CNN.',
  expectation:
    'CCT beats ViT-lite by more than 2 points, and is no more than 0.5 points below the small CNN (one-sided), in test accuracy; paired over 3 seeds, outside 2 standard errors.',
  lookAt:
    'Test accuracy of CCT against ViT-lite and the CNN at equal steps; parameter counts in the numbers.',
  miniature: `MNIST, 2,048 digits, ${STEPS} steps of Adam with 5% warmup and cosine decay, each arm’s rate from a 3-point grid; CNN 8-16 channels vs CCT (2 conv layers, d=32, 1 block, MLP ratio 1) vs ViT-lite (4×4 patches and a class token, d=32, 1 block, MLP ratio ${VIT_MLP_RATIO} to match CCT’s parameter count; see the numbers). The paper uses d=128 and 2 blocks on 10,000 digits.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testAccuracy', 'testLoss'],
  verdict(results) {
    const n = seedCount(results, ['CNN', 'CCT', 'ViT-lite']);
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy).slice(0, n);
    const [cnn, c, vit] = [acc('CNN'), acc('CCT'), acc('ViT-lite')];
    const gap = pairedDiff(cnn, c);
    const lead = pairedDiff(c, vit);
    const params = (l: string) => results[l]?.[0]?.extra.params ?? Number.NaN;
    return verdict(
      all(above(lead, 2), atMost(gap, 0.5)),
      `Test accuracy CNN ${spread(cnn)}%, CCT ${spread(c)}%, ViT-lite ${spread(vit)}%; CCT − ViT-lite ${spread(lead)} points (want > 2), CNN − CCT ${spread(gap)} points (want ≤ 0.5). Parameters: CNN ${params('CNN')}, CCT ${params('CCT')}, ViT-lite ${params('ViT-lite')}.`,
      {
        cnnAccuracy: mean(cnn),
        cctAccuracy: mean(c),
        vitAccuracy: mean(vit),
        gap: mean(gap),
        lead: mean(lead),
        cnnParams: params('CNN'),
        cctParams: params('CCT'),
        vitParams: params('ViT-lite'),
      },
      [
        readFinal(results, 'Test accuracy, read at the end', 'testAccuracy', [
          'CNN',
          'CCT',
          'ViT-lite',
        ]),
      ],
    );
  },
};
