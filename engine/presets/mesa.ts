import { QUANT_PRESETS } from '../quant/schema';
import { CHAR_LM, PAPERS } from './base';
import type { AvailablePreset } from './types';
import { all, bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = { ...CHAR_LM, steps: 250 };
const arms = [
  { label: 'float32', config: base, seeds: 3, measures: ['memory'] as const },
  { label: 'Mesa 8-bit', config: { ...base, quant: QUANT_PRESETS.mesa }, seeds: 3, measures: ['memory'] as const },
];

export const mesa: AvailablePreset = {
  id: 'mesa', number: 17, title: 'Mesa: 8-bit stored activations', paper: PAPERS.mesa, available: true,
  claim: 'Storing activations in 8 bits for the backward pass, with an exact forward pass, trains as well and cuts activation memory about 4×.',
  expectation: 'Final test loss within 1% of float32, and estimated stored-activation memory at least 3.5× smaller.',
  lookAt: 'The two test-loss curves overlap; the memory estimate in the size report.',
  miniature: 'Transformer d=32 char LM, 250 steps. Memory is estimated from layer shapes, not measured (TF.js has no uint8 tensors).',
  arms, budgetSteps: 250, charts: ['testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(results, ['float32', 'Mesa 8-bit']);
    const [fp, ms] = [perSeed(results, 'float32', (r) => r.finalTestLoss), perSeed(results, 'Mesa 8-bit', (r) => r.finalTestLoss)];
    const rel = ms.map((x, i) => (x - fp[i]) / fp[i]);
    const ratio = perSeed(results, 'float32', (r) => r.extra.storedActivationBytes ?? Number.NaN).map((x, i) => x / (results['Mesa 8-bit'][i]?.extra.storedActivationBytes ?? Number.NaN));
    const a = bySeed(n, (i) => Math.abs(rel[i]) <= 0.01);
    const b = bySeed(n, (i) => (Number.isFinite(ratio[i]) ? ratio[i] >= 3.5 : null));
    return verdict(all(a.outcome, b.outcome), `Final test loss float32 ${spread(fp)}, Mesa ${spread(ms)} (${spread(rel.map((x) => 100 * x))}%); stored activations ${spread(ratio)}× smaller (estimated).`, {
      float32Loss: mean(fp), mesaLoss: mean(ms), relativeDiff: mean(rel), memoryRatio: mean(ratio),
    });
  },
};
