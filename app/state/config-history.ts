import type { RunConfig } from '../../engine/tf-free';
import { leaves } from './labels';

/**
 * The settings a run trained with, step by step: one entry per stretch of steps, the first from
 * the run's first step, each later one from the step a hot switch took effect. A run that was
 * never switched has one entry. Kept on the run, saved and exported with it.
 */
export interface ConfigSegment {
  /** The first step trained with `config`. */
  readonly fromStep: number;
  readonly config: RunConfig;
}

export type ConfigHistory = readonly ConfigSegment[];

/** One changed setting: its path in the config (`optimizer.lr`) and its two values. */
export interface ConfigChange {
  readonly path: string;
  readonly from: string;
  readonly to: string;
}

export function startHistory(config: RunConfig, fromStep = 0): ConfigHistory {
  return [{ fromStep, config }];
}

/**
 * The history with `config` in force from `fromStep` on: entries that start at or after that
 * step are replaced (a switch before the first step trained replaces the start). Settings equal
 * to those already in force add nothing.
 */
export function switchAt(
  history: ConfigHistory,
  fromStep: number,
  config: RunConfig,
): ConfigHistory {
  const kept = history.filter((s, i) => i === 0 || s.fromStep < fromStep);
  if (JSON.stringify(kept[kept.length - 1].config) === JSON.stringify(config)) return kept;
  if (kept.length === 1 && kept[0].fromStep >= fromStep)
    return [{ fromStep: kept[0].fromStep, config }];
  return [...kept, { fromStep, config }];
}

/** The entries in force up to `step` (a fork's inheritance from its parent). */
export function historyUntil(history: ConfigHistory, step: number): ConfigHistory {
  return history.filter((s, i) => i === 0 || s.fromStep <= step);
}

/** The config in force at `step`. */
export function configAt(history: ConfigHistory, step: number): RunConfig {
  let current = history[0].config;
  for (const s of history) if (s.fromStep <= step) current = s.config;
  return current;
}

const show = (x: unknown): string => (x === undefined ? '—' : String(x));

/** What differs between two configs, setting by setting, in the order of `b`'s settings. */
export function configDiff(a: RunConfig, b: RunConfig): ConfigChange[] {
  const before = leaves(a);
  const after = leaves(b);
  const paths = [...new Set([...after.keys(), ...before.keys()])];
  return paths
    .filter((p) => before.get(p) !== after.get(p))
    .map((p) => ({ path: p, from: show(before.get(p)), to: show(after.get(p)) }));
}

/** A change as short text: `lr 0.01`, `kind sgd`; long values are cut. */
export function describeChanges(changes: readonly ConfigChange[]): string {
  const cut = (t: string) => (t.length > 24 ? `${t.slice(0, 23)}…` : t);
  return changes.map((c) => `${c.path.slice(c.path.lastIndexOf('.') + 1)} ${cut(c.to)}`).join(', ');
}

/**
 * What the history adds to a run's label: each switch, with the step it took effect from, e.g.
 * `; from step 501: kind sgd, lr 0.1`. Empty for a run never switched.
 */
export function historySuffix(history: ConfigHistory): string {
  return history
    .slice(1)
    .map(
      (s, i) =>
        `; from step ${s.fromStep}: ${describeChanges(configDiff(history[i].config, s.config)) || 'same'}`,
    )
    .join('');
}

/**
 * What was in force at `step` relative to the run's first settings: `initial` before any switch,
 * then the settings switched since (for the export's `config` column).
 */
export function configNoteAt(history: ConfigHistory, step: number): string {
  const changed = describeChanges(configDiff(history[0].config, configAt(history, step)));
  return changed || 'initial';
}
