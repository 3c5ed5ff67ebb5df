import { describe, expect, it } from 'vitest';
import {
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  parseRunConfig,
} from '../../engine/tf-free';
import {
  defaultWidths,
  fineTuneConfig,
  fineTuneTargets,
  fromScratch,
  pruneBlocker,
  prunedConfig,
} from './derive';

const mlp = { ...DEFAULT_CONFIG, model: { ...MODEL_DEFAULTS.mlp, hidden: [256, 32] } };

describe('derived run configs', () => {
  it('a pruned run narrows the hidden layers and picks its loss', () => {
    expect(pruneBlocker(mlp)).toBeNull();
    expect(defaultWidths(mlp)).toEqual([64, 8]);
    const kd = prunedConfig(mlp, { widths: [64, 8], loss: 'kd', temperature: 2, steps: 300 });
    expect(kd.model.kind === 'mlp' && kd.model.hidden).toEqual([64, 8]);
    expect(kd.init).toEqual({ from: 'parent', prune: { calibration: 1024 } });
    expect(kd.distill).toEqual({ temperature: 2, weight: 1 });
    expect(
      prunedConfig(mlp, { widths: [4, 4], loss: 'both', temperature: 1, steps: 10 }).distill,
    ).toEqual({ temperature: 1, weight: 0.5 });
    const labels = prunedConfig(
      { ...mlp, distill: { temperature: 1, weight: 1 } },
      {
        widths: [4, 4],
        loss: 'labels',
        temperature: 1,
        steps: 10,
      },
    );
    expect('distill' in labels).toBe(false);
    for (const c of [kd, labels]) expect(parseRunConfig(c).ok).toBe(true);
    expect(pruneBlocker({ ...mlp, data: DATA_DEFAULTS.plane })).toMatch(/classifiers/);
  });

  it('fine-tuning offers other data of the same kind and keeps the rest of the config', () => {
    const lm = {
      ...DEFAULT_CONFIG,
      data: { ...DATA_DEFAULTS.chars, domains: ['grammar' as const] },
    };
    expect(fineTuneTargets(lm).map((t) => t.label)).toEqual([
      'arithmetic sentences',
      'brackets sentences',
      'all three domains',
    ]);
    expect(fineTuneTargets(DEFAULT_CONFIG).map((t) => t.label)).toEqual([
      'circles',
      'xor',
      'gaussians',
    ]);
    expect(fineTuneTargets({ ...DEFAULT_CONFIG, data: DATA_DEFAULTS.mnist })).toEqual([]);
    const target = fineTuneTargets(DEFAULT_CONFIG)[0];
    const child = fineTuneConfig(DEFAULT_CONFIG, target.data, { lr: 0.01, steps: 200 });
    expect(child.data.kind).toBe('circles');
    expect(child.init).toEqual({ from: 'parent' });
    expect(child.optimizer.lr).toBe(0.01);
    expect(child.model).toEqual(DEFAULT_CONFIG.model);
    expect(parseRunConfig(child).ok).toBe(true);
  });
});

describe('fromScratch', () => {
  it('drops the parent link and distillation, and nothing else', () => {
    const child = prunedConfig(mlp, { widths: [8, 8], loss: 'both', temperature: 1, steps: 10 });
    const own = fromScratch(child);
    expect('init' in own || 'distill' in own).toBe(false);
    expect(own.model).toEqual(child.model);
    expect(fromScratch(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
  });
});
