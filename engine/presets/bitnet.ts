import { MODEL_DEFAULTS } from '../models/schema';
import { QUANT_PRESETS } from '../quant/schema';
import { mnist, PAPERS, SMALL_LM } from './base';
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
  within,
} from './verdict';

const base = { ...mnist(4096, [128]), steps: 500, batchSize: 64, metricsEvery: 100 };
const lm = { ...SMALL_LM, steps: 400, metricsEvery: 100 };
const wide = {
  ...lm,
  model: { ...MODEL_DEFAULTS.transformer, dim: 32, layers: 2, heads: 2, mlpRatio: 2 },
};
const arm = (label: string, config: PresetArm['config']): PresetArm => ({
  label,
  config,
  seeds: 3,
  lrGrid: LR_GRID_3,
});
const arms = [
  arm('FP32', base),
  arm('b1.58 absmean', { ...base, quant: QUANT_PRESETS['b1.58-absmean'] }),
  arm('b1.58 absmedian', { ...base, quant: QUANT_PRESETS['b1.58-absmedian'] }),
  arm('LM FP32', lm),
  arm('LM b1.58', { ...lm, quant: QUANT_PRESETS['b1.58-absmean'] }),
  arm('LM b1.58 2x wide', { ...wide, quant: QUANT_PRESETS['b1.58-absmean'] }),
];

export const bitnet: AvailablePreset = {
  id: 'bitnet',
  number: 9,
  title: 'BitNet b1.58 on a small network',
  paper: PAPERS.bitnet,
  available: true,
  claim:
    'Ternary weights (−1, 0, +1) with 8-bit activations train a small vision network to within about a point of float32; a same-size ternary language model is worse, and twice the width closes the gap.',
  expectation:
    'Vision: both ternary arms no more than 1 point below FP32 test accuracy, and absmean within 1 point of absmedian. Language: same-size b1.58 has a higher test loss than FP32; 2× wide b1.58 no more than 2% above FP32’s test loss. Each paired over 3 seeds, outside 2 standard errors.',
  lookAt:
    'Test accuracy of the three vision arms; test loss of the three language arms; the weight histograms of the ternary arms show three spikes.',
  miniature:
    'Vision: MLP 784-128-10 on 4,096 MNIST digits, 500 steps of Adam, B=64. Language: char LM d=16 (2× wide: d=32), 400 steps of AdamW. Each arm’s rate from a 3-point grid on a validation split; no weight-decay grid.',
  arms,
  budgetSteps: 500,
  charts: ['testAccuracy', 'testLoss'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy).slice(0, n);
    const loss = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const fp = acc('FP32');
    const [am, md] = [pairedDiff(fp, acc('b1.58 absmean')), pairedDiff(fp, acc('b1.58 absmedian'))];
    const vision = all(atMost(am, 1), atMost(md, 1), within(pairedDiff(am, md), 1));
    const lf = loss('LM FP32');
    const same = pairedDiff(loss('LM b1.58'), lf);
    const wideRel = loss('LM b1.58 2x wide').map((x, i) => (x - lf[i]) / lf[i]);
    const language = all(above(same), atMost(wideRel, 0.02));
    return verdict(
      all(vision, language),
      `Vision: FP32 ${spread(fp)}%; gap absmean ${spread(am)}, absmedian ${spread(md)} points (${vision}). Language: FP32 test loss ${spread(lf)}; same-size b1.58 ${spread(same)} higher, 2× wide b1.58 ${spread(wideRel.map((x) => 100 * x))}% vs FP32 (${language}).`,
      {
        fp32Accuracy: mean(fp),
        absmeanGap: mean(am),
        absmedianGap: mean(md),
        lmFp32Loss: mean(lf),
        lmSameSizeGap: mean(same),
        lmWideRel: mean(wideRel),
      },
      [
        readFinal(results, 'Vision: test accuracy, read at the end', 'testAccuracy', [
          'FP32',
          'b1.58 absmean',
          'b1.58 absmedian',
        ]),
        readFinal(results, 'Language: test loss, read at the end', 'testLoss', [
          'LM FP32',
          'LM b1.58',
          'LM b1.58 2x wide',
        ]),
      ],
    );
  },
};
