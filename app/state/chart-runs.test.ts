import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../engine/tf-free';
import {
  chartUnits,
  IN_ANOTHER_TAB,
  otherTabChartRun,
  unitLabels,
  type ChartRun,
} from './chart-runs';
import { MetricSeries } from './metric-series';
import type { OtherTabRun } from './other-tabs.svelte';

const lr = (x: number): RunConfig => ({
  ...DEFAULT_CONFIG,
  optimizer: { ...DEFAULT_CONFIG.optimizer, lr: x },
});

function run(id: string, config: RunConfig, extra: Partial<ChartRun> = {}): ChartRun {
  return { id, config, series: new MetricSeries(), name: id, elsewhere: false, ...extra };
}

function other(id: string, config: RunConfig, hidden = false): OtherTabRun {
  return {
    run: {
      id,
      createdAt: 1,
      label: `label of ${id}`,
      color: '#0877bd',
      config,
      status: 'paused',
      step: 10,
      hidden,
    },
    series: new MetricSeries(),
    training: true,
    takingOver: false,
  };
}

describe('what the charts draw', () => {
  it('another tab’s run is its own unit, named as in another tab, after this tab’s', () => {
    const mine = run('a', lr(0.1));
    const theirs = otherTabChartRun(other('b', lr(0.01)));
    expect(theirs).not.toBeNull();
    const units = chartUnits([mine, theirs as ChartRun]);
    expect(units.map((u) => u.key)).toEqual(['a', 'other-tab:b']);
    const labels = unitLabels(units);
    expect(labels[0]).not.toContain(IN_ANOTHER_TAB);
    expect(labels[1].endsWith(` ${IN_ANOTHER_TAB}`)).toBe(true);
    expect(labels[0]).not.toBe(labels[1].replace(` ${IN_ANOTHER_TAB}`, ''));
  });

  it('is never merged into a seed group of this tab, even with the same group id', () => {
    const seeds = [run('s1', lr(0.1), { group: 'g' }), run('s2', lr(0.1), { group: 'g' })];
    const theirs = { ...run('s3', lr(0.1), { group: 'g' }), elsewhere: true };
    const units = chartUnits([...seeds, theirs]);
    expect(units.map((u) => u.runs.map((r) => r.id))).toEqual([['s1', 's2'], ['s3']]);
  });

  it('equal settings are numbered; a lone run is named by its optimizer', () => {
    const labels = unitLabels(
      chartUnits([run('a', lr(0.1)), { ...run('b', lr(0.1)), elsewhere: true }]),
    );
    expect(labels).toEqual(['same config #1', `same config #2 ${IN_ANOTHER_TAB}`]);
    const [alone] = unitLabels(chartUnits([{ ...run('b', lr(0.1)), elsewhere: true }]));
    expect(alone).toBe(`${DEFAULT_CONFIG.optimizer.kind}, lr 0.1 ${IN_ANOTHER_TAB}`);
  });

  it('a run hidden by its owner is not drawn; one taken over is drawn once, as this tab’s', () => {
    expect(otherTabChartRun(other('b', lr(0.1), true))).toBeNull();
    const units = chartUnits([
      run('b', lr(0.1)),
      otherTabChartRun(other('b', lr(0.1))) as ChartRun,
    ]);
    expect(units.map((u) => [u.key, u.runs[0].elsewhere])).toEqual([['b', false]]);
  });
});
