import type { RunConfig } from '../../engine/tf-free';
import { formatLeaf } from './label-format';
import { diffLabels } from './labels';
import type { MetricSeries } from './metric-series';
import type { OtherTabRun } from './other-tabs.svelte';

/**
 * Which runs the charts draw and what they call them: this tab's shown runs, seed groups merged
 * into one entry, and the runs another tab of the app trains (app/state/other-tabs.svelte.ts),
 * drawn from what their owner last saved, named as being in another tab, never merged with this
 * tab's runs. The charts only read them: such a run is trained and written by its owner alone.
 */

/** What the charts' labels say of a run trained in another tab. */
export const IN_ANOTHER_TAB = '(in another tab)';

/** A run as the charts group and name it. */
export interface ChartRun {
  readonly id: string;
  readonly config: RunConfig;
  readonly series: MetricSeries;
  readonly group?: string;
  /** Its name when the settings tell nothing apart (see `unitLabels`). */
  readonly name: string;
  /** Trained and saved by another tab. */
  readonly elsewhere: boolean;
}

/** One entry of the charts: a seed group or a lone run. */
export interface ChartUnit<R extends ChartRun = ChartRun> {
  readonly key: string;
  readonly runs: readonly R[];
}

/** Another tab's run as the charts draw it; null for one its owner has hidden. */
export function otherTabChartRun(other: OtherTabRun): ChartRun | null {
  const { run, series } = other;
  if (run.hidden) return null;
  return { id: run.id, config: run.config, series, name: run.label, elsewhere: true };
}

/** Runs in order, each seed group of this tab's runs gathered into one unit where it first shows. */
export function chartUnits<R extends ChartRun>(runs: readonly R[]): ChartUnit<R>[] {
  const out: { key: string; runs: R[] }[] = [];
  const seen = new Map<string, R[]>();
  const here = new Set(runs.filter((r) => !r.elsewhere).map((r) => r.id));
  for (const r of runs) {
    // A run that has just come to this tab (taken over) is drawn as this tab's, once.
    if (r.elsewhere && here.has(r.id)) continue;
    const group = r.elsewhere ? undefined : r.group;
    const members = group ? seen.get(group) : undefined;
    if (members) {
      members.push(r);
      continue;
    }
    const unit = { key: r.elsewhere ? `other-tab:${r.id}` : (group ?? r.id), runs: [r] };
    if (group) seen.set(group, unit.runs);
    out.push(unit);
  }
  return out;
}

/**
 * Each unit's label: what its settings differ in from the other units' (a lone unit: its
 * optimizer and rate), equal ones numbered, a seed group without its seeds, and another tab's
 * runs marked as such.
 */
export function unitLabels(units: readonly ChartUnit[]): string[] {
  const raw = diffLabels(units.map((u) => u.runs[0].config));
  const count = new Map<string, number>();
  const numbered =
    units.length === 1
      ? [lone(units[0].runs[0].config)]
      : raw.map((l) => {
          const n = (count.get(l) ?? 0) + 1;
          count.set(l, n);
          return raw.filter((x) => x === l).length > 1 ? `${l} #${n}` : l;
        });
  return units.map((u, i) => {
    const seeds = u.runs.length > 1;
    const label =
      (seeds ? numbered[i].replace(/,? ?seed [\d,]+/, '') : numbered[i]) ||
      (seeds ? 'seeds' : u.runs[0].name);
    return u.runs[0].elsewhere ? `${label} ${IN_ANOTHER_TAB}` : label;
  });
}

/** One run alone has nothing to differ in: it is named by its optimizer and rate. */
function lone(config: RunConfig): string {
  const o = config.optimizer;
  return `${o.kind}, ${formatLeaf('optimizer.lr', o.lr)}`;
}
