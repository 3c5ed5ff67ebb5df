import { PAPERS, SPIRAL } from './base';
import type { AvailablePreset, PresetArm } from './types';
import type { NormKind } from '../models/schema';
import { all, bySeed, mean, perSeed, seedCount, spread, stepsToTarget, verdict } from './verdict';

const TARGET = 0.3;
const arm = (norm: NormKind, batchSize: number): PresetArm => ({
  label: `${norm} B=${batchSize}`,
  config: { ...SPIRAL, model: { kind: 'mlp', hidden: Array(8).fill(16), activation: 'relu', norm }, optimizer: { kind: 'adam', lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, batchSize, steps: 800, metricsEvery: 50 },
  seeds: 3,
});
const arms = (['none', 'batch', 'layer'] as const).flatMap((nk) => [arm(nk, 4), arm(nk, 64)]);

export const layerNorm: AvailablePreset = {
  id: 'layer-norm', number: 5, title: 'Layer normalization', paper: PAPERS.layerNorm, available: true,
  claim: 'Layer normalization speeds up training of a deep network and, unlike batch normalization, does not depend on the batch size.',
  expectation: `At B=64, LN reaches training loss ${TARGET} in fewer steps than no norm; |LN(B=4) − LN(B=64)| final test loss is smaller than BN’s.`,
  lookAt: 'Loss curves of the 8-layer MLP: LN’s two batch sizes lie on top of each other, BN’s do not.',
  miniature: '8 hidden layers of 16 on 2-D spirals, Adam 3e-3, 800 steps; target loss is a trailing 10-step mean of the training loss.',
  arms, budgetSteps: 800, charts: ['loss', 'testLoss'],
  verdict(results) {
    const n = seedCount(results, arms.map((a) => a.label));
    const steps = (l: string) => perSeed(results, l, (r) => stepsToTarget(r.loss, TARGET));
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss);
    const [ln, none] = [steps('layer B=64'), steps('none B=64')];
    // Never reaching the target counts as the whole budget plus one.
    const cap = (x: number) => (Number.isFinite(x) ? x : 801);
    const fast = bySeed(n, (i) => (Number.isFinite(ln[i]) ? cap(ln[i]) < cap(none[i]) : Number.isFinite(none[i]) ? false : null));
    const lnShift = final('layer B=4').map((x, i) => Math.abs(x - final('layer B=64')[i]));
    const bnShift = final('batch B=4').map((x, i) => Math.abs(x - final('batch B=64')[i]));
    const stable = bySeed(n, (i) => (Number.isFinite(lnShift[i]) && Number.isFinite(bnShift[i]) ? lnShift[i] < bnShift[i] : null));
    return verdict(all(fast.outcome, stable.outcome), `Steps to loss ${TARGET} at B=64: LN ${spread(ln)}, none ${spread(none)}; batch-size shift of final test loss: LN ${spread(lnShift)}, BN ${spread(bnShift)}.`, {
      lnSteps: mean(ln), noneSteps: mean(none), lnShift: mean(lnShift), bnShift: mean(bnShift),
    });
  },
};
