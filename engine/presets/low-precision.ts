import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import type { UnderflowKey } from '../quant/gradient-underflow';
import { QUANT_DEFAULT, QUANT_PRESETS } from '../quant/schema';
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
  seedCount,
  spread,
  verdict,
} from './verdict';

const HIDDEN = [64, 64, 64, 64];
const STEPS = 600;
const base = {
  ...mnist(4096, HIDDEN),
  steps: STEPS,
  batchSize: 64,
  metricsEvery: 150,
  optimizer: { ...OPTIMIZER_DEFAULTS.momentum, lr: 0.05 },
};
const arm = (label: string, quant: PresetArm['config']['quant']): PresetArm => ({
  label,
  config: { ...base, quant },
  seeds: 3,
  lrGrid: LR_GRID_3,
  measures: ['gradientUnderflow'],
});
const arms = [
  arm('fp32', QUANT_DEFAULT),
  arm('bf16', QUANT_PRESETS.bf16),
  arm('fp8 unscaled', { ...QUANT_PRESETS.fp8, perTensorScaling: false }),
  arm('fp8 scaled', QUANT_PRESETS.fp8),
  arm('int8 weights', { ...QUANT_DEFAULT, weights: 'int8' as const }),
];

export const lowPrecision: AvailablePreset = {
  id: 'low-precision',
  number: 18,
  title: 'Low-precision formats',
  paper: PAPERS.lowPrecision,
  available: true,
  claim:
    'bf16 trains like float32, while fp8 gradients need per-tensor scaling because small gradients underflow to zero.',
  expectation:
    'bf16 final test loss no more than 2% above fp32; unscaled fp8 more than 10% above fp32 (stalls); scaled fp8 closes more than half of that gap. Paired over 3 seeds, outside 2 standard errors.',
  lookAt: 'Test loss: bf16 on top of fp32, unscaled fp8 lagging, scaled fp8 close behind fp32.',
  miniature: `MLP 784-${HIDDEN.join('-')}-10 on 4,096 MNIST digits, ${STEPS} steps of SGD with momentum (each format’s rate from a 3-point grid); formats emulated by fake quantization (the gradient format rounds each hidden layer's output gradient). The loss is a mean over the batch of 64, so gradients are as small as an unscaled loss makes them; they are not scaled down further. After training, each arm measures on one training batch the share of its nonzero hidden-layer gradients that bf16, fp16 and e5m2 (unscaled and per-tensor scaled) round to zero.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss', 'loss', 'testAccuracy'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const f = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const fp = f('fp32');
    const rel = (xs: number[]) => pairedDiff(xs, fp).map((d, i) => d / fp[i]);
    const [rbf, run, rsc] = [rel(f('bf16')), rel(f('fp8 unscaled')), rel(f('fp8 scaled'))];
    const closes = pairedDiff(
      run.map((x) => x / 2),
      rsc,
    );
    const pct = (xs: number[]) => spread(xs.map((x) => 100 * x));
    const lost = (l: string, key: UnderflowKey) =>
      pct(perSeed(results, l, (r) => r.extra[`underflow_${key}`] ?? Number.NaN).slice(0, n));
    return verdict(
      all(atMost(rbf, 0.02), above(run, 0.1), above(closes)),
      `Final test loss vs fp32 (${spread(fp)}): bf16 ${pct(rbf)}%, fp8 unscaled ${pct(run)}%, fp8 scaled ${pct(rsc)}%, int8 weights ${pct(rel(f('int8 weights')))}%. Nonzero hidden-layer gradients rounded to zero after training (not judged): fp32's gradients in bf16 ${lost('fp32', 'bf16')}%, fp16 ${lost('fp32', 'fp16')}%, e5m2 ${lost('fp32', 'e5m2')}%, e5m2 scaled ${lost('fp32', 'e5m2Scaled')}%; fp8 unscaled's own gradients in e5m2 ${lost('fp8 unscaled', 'e5m2')}%; fp8 scaled's in e5m2 scaled ${lost('fp8 scaled', 'e5m2Scaled')}%.`,
      {
        fp32Loss: mean(fp),
        bf16Rel: mean(rbf),
        fp8UnscaledRel: mean(run),
        fp8ScaledRel: mean(rsc),
        fp32E5m2Underflow: mean(
          perSeed(results, 'fp32', (r) => r.extra.underflow_e5m2 ?? Number.NaN).slice(0, n),
        ),
      },
    );
  },
};
