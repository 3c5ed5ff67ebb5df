import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/tf-free';
import {
  configAt,
  configDiff,
  configNoteAt,
  historySuffix,
  historyUntil,
  startHistory,
  switchAt,
} from './config-history';

const base = DEFAULT_CONFIG;
const withLr = (lr: number) => ({ ...base, optimizer: { ...base.optimizer, lr } });

describe('config history', () => {
  it('a run never switched has one entry from its first step', () => {
    const h = startHistory(base);
    expect(h).toEqual([{ fromStep: 0, config: base }]);
    expect(configAt(h, 500)).toBe(base);
    expect(historySuffix(h)).toBe('');
    expect(configNoteAt(h, 10)).toBe('initial');
  });

  it('records each switch from the step it took effect, and reads the config at any step', () => {
    const h = switchAt(switchAt(startHistory(base), 101, withLr(0.01)), 201, withLr(0.001));
    expect(h.map((s) => s.fromStep)).toEqual([0, 101, 201]);
    expect(configAt(h, 100).optimizer.lr).toBe(base.optimizer.lr);
    expect(configAt(h, 101).optimizer.lr).toBe(0.01);
    expect(configAt(h, 250).optimizer.lr).toBe(0.001);
    expect(historySuffix(h)).toBe('; from step 101: lr 0.01; from step 201: lr 0.001');
    expect(configNoteAt(h, 150)).toBe('lr 0.01');
    expect(configNoteAt(h, 50)).toBe('initial');
  });

  it('a switch at or before a later entry replaces it; a switch before the start replaces the start', () => {
    const h = switchAt(switchAt(startHistory(base), 101, withLr(0.01)), 101, withLr(0.02));
    expect(h.map((s) => [s.fromStep, s.config.optimizer.lr])).toEqual([
      [0, base.optimizer.lr],
      [101, 0.02],
    ]);
    const start = switchAt(startHistory(base, 50), 50, withLr(0.5));
    expect(start).toEqual([{ fromStep: 50, config: withLr(0.5) }]);
  });

  it('the same settings again add nothing', () => {
    const h = startHistory(base);
    expect(switchAt(h, 300, { ...base })).toEqual(h);
  });

  it('a fork inherits the entries in force up to its step', () => {
    const h = switchAt(startHistory(base), 101, withLr(0.01));
    expect(historyUntil(h, 100)).toEqual([{ fromStep: 0, config: base }]);
    expect(historyUntil(h, 101)).toHaveLength(2);
  });

  it('diffs two configs setting by setting', () => {
    const other = { ...withLr(0.01), batchSize: 8 };
    expect(configDiff(base, other)).toEqual([
      { path: 'optimizer.lr', from: String(base.optimizer.lr), to: '0.01' },
      { path: 'batchSize', from: String(base.batchSize), to: '8' },
    ]);
    expect(configDiff(base, base)).toEqual([]);
  });
});
