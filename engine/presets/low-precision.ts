import { QUANT_DEFAULT, QUANT_PRESETS } from '../quant/schema';
import { mnist, PAPERS } from './base';
import type { AvailablePreset } from './types';
import { all, bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = { ...mnist(4096, [128]), steps: 400, batchSize: 64, metricsEvery: 100 };
const arms = [
  { label: 'fp32', config: base, seeds: 3 },
  { label: 'bf16', config: { ...base, quant: QUANT_PRESETS.bf16 }, seeds: 3 },
  { label: 'fp8 unscaled', config: { ...base, quant: { ...QUANT_PRESETS.fp8, perTensorScaling: false } }, seeds: 3 },
  { label: 'fp8 scaled', config: { ...base, quant: QUANT_PRESETS.fp8 }, seeds: 3 },
  { label: 'int8 weights', config: { ...base, quant: { ...QUANT_DEFAULT, weights: 'int8' as const } }, seeds: 3 },
];

export const lowPrecision: AvailablePreset = {
  id: 'low-precision', number: 18, title: 'Low-precision formats', paper: PAPERS.lowPrecision, available: true,
  claim: 'bf16 trains like float32, while fp8 gradients need per-tensor scaling because small gradients underflow to zero.',
  expectation: 'bf16 final test loss within 2% of fp32; unscaled fp8 at least 10% worse than fp32 (stalls); scaled fp8 closes at least half of that gap.',
  lookAt: 'Test loss: bf16 on top of fp32, unscaled fp8 lagging, scaled fp8 close behind fp32.',
  miniature: 'MLP 784-128-10 on 4,096 MNIST digits, 400 steps of Adam 1e-3; formats emulated by fake quantization.',
  arms, budgetSteps: 400, charts: ['testLoss', 'loss', 'testAccuracy'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const f = (l: string) => perSeed(results, l, (r) => r.finalTestLoss);
    const [fp, bf, un, sc] = [f('fp32'), f('bf16'), f('fp8 unscaled'), f('fp8 scaled')];
    const rel = (xs: number[]) => xs.map((x, i) => (x - fp[i]) / fp[i]);
    const [rbf, run, rsc] = [rel(bf), rel(un), rel(sc)];
    const a = bySeed(n, (i) => Math.abs(rbf[i]) <= 0.02);
    const b = bySeed(n, (i) => run[i] >= 0.1);
    const c = bySeed(n, (i) => rsc[i] <= run[i] / 2);
    return verdict(all(a.outcome, b.outcome, c.outcome), `Final test loss vs fp32 (${spread(fp)}): bf16 ${spread(rbf.map((x) => 100 * x))}%, fp8 unscaled ${spread(run.map((x) => 100 * x))}%, fp8 scaled ${spread(rsc.map((x) => 100 * x))}%, int8 weights ${spread(rel(f('int8 weights')).map((x) => 100 * x))}%.`, {
      fp32Loss: mean(fp), bf16Rel: mean(rbf), fp8UnscaledRel: mean(run), fp8ScaledRel: mean(rsc),
    });
  },
};
