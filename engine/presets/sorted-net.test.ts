import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, SORTED_DEFAULT } from '../config';
import { runArm } from './run-preset';
import { sortedNet, sortedNetVerdict } from './sorted-net';
import type { ArmResult, PresetResults } from './types';

/** One seed's accuracies at full and quarter width. */
function seed(label: string, i: number, full: number, quarter: number): ArmResult {
  return {
    label,
    seed: i,
    loss: [],
    evalSteps: [100],
    testLoss: [0.3],
    testAccuracy: [full],
    finalTestLoss: 0.3,
    bestTestLoss: 0.3,
    finalTestAccuracy: full,
    finalTrainLoss: 0.3,
    extra: { 'testAccuracy@1': full, 'testAccuracy@0.25': quarter },
    wallMs: 0,
  };
}

/** Three paired seeds: [full, quarter] per seed for each arm. */
function results(
  standard: readonly [number, number][],
  sorted: readonly [number, number][],
): PresetResults {
  return {
    Standard: standard.map(([f, q], i) => seed('Standard', i, f, q)),
    Sorted: sorted.map(([f, q], i) => seed('Sorted', i, f, q)),
  };
}

const collapse: [number, number][] = [
  [0.95, 0.4],
  [0.951, 0.35],
  [0.949, 0.45],
];

describe('sorted-net verdict', () => {
  it('passes when all three halves hold outside the noise', () => {
    const v = sortedNetVerdict(
      results(collapse, [
        [0.946, 0.93],
        [0.944, 0.925],
        [0.947, 0.935],
      ]),
    );
    expect(v.outcome, v.summary).toBe('pass');
    expect(v.numbers.standardDrop).toBeCloseTo(0.55, 2);
  });

  it('fails when the sorted net falls more than a point behind at full width', () => {
    const v = sortedNetVerdict(
      results(collapse, [
        [0.92, 0.9],
        [0.921, 0.9],
        [0.919, 0.9],
      ]),
    );
    expect(v.outcome, v.summary).toBe('fail');
  });

  it('fails when the sorted quarter keeps under 90% of its full width', () => {
    const v = sortedNetVerdict(
      results(collapse, [
        [0.946, 0.7],
        [0.944, 0.72],
        [0.947, 0.71],
      ]),
    );
    expect(v.outcome, v.summary).toBe('fail');
  });

  it('is inconclusive when the full-width gap straddles 1 point within the noise', () => {
    const v = sortedNetVerdict(
      results(collapse, [
        [0.95, 0.93],
        [0.93, 0.92],
        [0.94, 0.925],
      ]),
    );
    expect(v.outcome, v.summary).toBe('inconclusive');
  });

  it('the preset is runnable: a standard and a sorted arm, both cut to every width', () => {
    expect(sortedNet.available).toBe(true);
    if (!sortedNet.available) return;
    expect(sortedNet.arms.map((a) => a.label)).toEqual(['Standard', 'Sorted']);
    expect(sortedNet.arms[0].config.sorted).toBeUndefined();
    expect(sortedNet.arms[1].config.sorted?.widths).toEqual([0.25, 0.5, 0.75, 1]);
    for (const a of sortedNet.arms) expect(a.measures).toContain('widths');
  });

  it('the widths measure cuts the trained run to each width (full width = its own evaluation)', async () => {
    const config = { ...DEFAULT_CONFIG, steps: 20, metricsEvery: 20, sorted: SORTED_DEFAULT };
    const r = await runArm({ label: 'Sorted', config, seeds: 1, measures: ['widths'] }, 0, {});
    for (const f of [0.25, 0.5, 0.75, 1]) {
      expect(r.extra[`testAccuracy@${f}`]).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(r.extra[`testLoss@${f}`])).toBe(true);
    }
    expect(r.extra['testAccuracy@1']).toBeCloseTo(r.finalTestAccuracy, 5);
  });
});
