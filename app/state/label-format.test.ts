import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, OPTIMIZER_DEFAULTS, SCHEDULE_DEFAULTS } from '../../engine/tf-free';
import { formatLeaf, formatNumber, formatPercent } from './label-format';
import { diffLabels } from './labels';

describe('label numbers', () => {
  it('keeps 2-3 significant digits', () => {
    expect(formatNumber(0.10948905109489052)).toBe('0.109');
    expect(formatNumber(0.03)).toBe('0.03');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(1370)).toBe('1,370');
    expect(formatNumber(0.0003)).toBe('3e-4');
    expect(formatNumber(1e-8)).toBe('1e-8');
    expect(formatNumber(0.000125)).toBe('1.25e-4');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0.51)).toBe('-0.51');
    expect(formatPercent(0.21897810218978103)).toBe('22%');
    expect(formatPercent(0.1)).toBe('10%');
    expect(formatPercent(0.005)).toBe('0.5%');
  });

  it('names fields as people say them', () => {
    expect(formatLeaf('microBatches', 4)).toBe('micro-batches 4');
    expect(formatLeaf('batchSize', 8)).toBe('batch 8');
    expect(formatLeaf('optimizer.kind', 'adam')).toBe('adam');
    expect(formatLeaf('steps', 1370)).toBe('1,370 steps');
    expect(formatLeaf('quant.mesa', true)).toBe('Mesa');
    expect(formatLeaf('data.text', 'a'.repeat(40))).toHaveLength(29);
  });
});

describe('diff labels read well', () => {
  it('a WSD run against a constant one: one schedule phrase in percent', () => {
    const base = { ...DEFAULT_CONFIG, steps: 3000, schedule: SCHEDULE_DEFAULTS.constant };
    const wsd = {
      ...base,
      steps: 1370,
      schedule: {
        ...SCHEDULE_DEFAULTS.wsd,
        warmupFraction: 0.10948905109489052,
        decayFraction: 0.21897810218978103,
      },
    };
    const [constant, decayed] = diffLabels([base, wsd]);
    expect(decayed).toBe('WSD: warmup 11%, decay last 22%, 1,370 steps');
    expect(constant).toBe('constant LR, 3,000 steps');
  });

  it('leaves out the defaults of a field only one optimizer has', () => {
    const sgd = { ...DEFAULT_CONFIG, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, lr: 0.1 } };
    const [adam, plain] = diffLabels([DEFAULT_CONFIG, sgd]);
    expect(adam).toBe('adam, lr 0.03');
    expect(plain).toBe('sgd, lr 0.1');
  });

  it('micro-batches by their name; many differences are capped', () => {
    expect(diffLabels([DEFAULT_CONFIG, { ...DEFAULT_CONFIG, microBatches: 4 }])[1]).toBe(
      'micro-batches 4',
    );
    const far = {
      ...DEFAULT_CONFIG,
      optimizer: { ...OPTIMIZER_DEFAULTS.sgd, lr: 0.2 },
      batchSize: 64,
      microBatches: 2,
      steps: 100,
      metricsEvery: 5,
      seed: 9,
    };
    expect(diffLabels([DEFAULT_CONFIG, far])[1]).toBe(
      'sgd, lr 0.2, batch 64, micro-batches 2 +3 more',
    );
  });
});
