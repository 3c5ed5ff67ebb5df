import { QUANT_PRESETS } from '../quant/schema';
import { mnist, PAPERS } from './base';
import type { AvailablePreset } from './types';
import { bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = { ...mnist(4096, [128]), steps: 500, batchSize: 64, metricsEvery: 100 };
const arms = [
  { label: 'FP32', config: base, seeds: 3 },
  { label: 'b1.58 absmean', config: { ...base, quant: QUANT_PRESETS['b1.58-absmean'] }, seeds: 3 },
  { label: 'b1.58 absmedian', config: { ...base, quant: QUANT_PRESETS['b1.58-absmedian'] }, seeds: 3 },
];

export const bitnet: AvailablePreset = {
  id: 'bitnet', number: 9, title: 'BitNet b1.58 on a small network', paper: PAPERS.bitnet, available: true,
  claim: 'Ternary weights (−1, 0, +1) with 8-bit activations train a small vision network to within about a point of float32.',
  expectation: 'Both ternary arms within 1 point of FP32 test accuracy, and absmean vs absmedian within 1 point of each other.',
  lookAt: 'Test accuracy of the three arms; the weight histograms of the ternary arms show three spikes.',
  miniature: 'Vision part only: MLP 784-128-10 on 4,096 MNIST digits, 500 steps of Adam 1e-3. The language arms (same-size and 2× wide b1.58 char LMs) and the LR×WD grid are not run.',
  arms, budgetSteps: 500, charts: ['testAccuracy', 'testLoss'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const acc = (l: string) => perSeed(results, l, (r) => 100 * r.finalTestAccuracy);
    const fp = acc('FP32');
    const [am, md] = [acc('b1.58 absmean').map((x, i) => fp[i] - x), acc('b1.58 absmedian').map((x, i) => fp[i] - x)];
    const v = bySeed(n, (i) => am[i] <= 1 && md[i] <= 1 && Math.abs(am[i] - md[i]) <= 1);
    return verdict(v.outcome, `FP32 ${spread(fp)}%; gap absmean ${spread(am)}, absmedian ${spread(md)} points; ${v.passed}/${n} seeds meet the claim.`, {
      fp32Accuracy: mean(fp), absmeanGap: mean(am), absmedianGap: mean(md),
    });
  },
};
