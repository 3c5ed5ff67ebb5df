import { interval, mean } from './stats';
import type { ArmResult, Outcome, PresetResults, Verdict, VerdictRead } from './types';

/** Helpers every preset's verdict uses: paired tests (./stats), per-seed numbers, steps-to-target. */

export {
  above,
  atMost,
  bootstrapInterval,
  interval,
  mean,
  pairedDiff,
  standardError,
  within,
} from './stats';

/** The arm's per-seed results; throws when the arm is missing (a runner bug, not a result). */
export function arm(results: PresetResults, label: string): readonly ArmResult[] {
  const r = results[label];
  if (!r || r.length === 0) throw new Error(`no results for arm "${label}"`);
  return r;
}

/** A number per seed of an arm. */
export function perSeed(
  results: PresetResults,
  label: string,
  f: (r: ArmResult) => number,
): number[] {
  return arm(results, label).map(f);
}

/** The number of seeds every named arm has (the smallest). */
export function seedCount(results: PresetResults, labels: readonly string[]): number {
  return Math.min(...labels.map((l) => arm(results, l).length));
}

/** Combines sub-checks: any fail fails, else any inconclusive is inconclusive, else pass. */
export function all(...outcomes: Outcome[]): Outcome {
  if (outcomes.includes('fail')) return 'fail';
  if (outcomes.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}

/**
 * First step at which the trailing mean (window `w`) of the training loss is at or below
 * `target`; NaN if never.
 */
export function stepsToTarget(loss: readonly number[], target: number, w = 10): number {
  let sum = 0;
  for (let i = 0; i < loss.length; i++) {
    sum += loss[i];
    if (i >= w) sum -= loss[i - w];
    if (i >= w - 1 && sum / w <= target) return i + 1;
  }
  return Number.NaN;
}

/** The eval step at which a test-loss curve first reaches `target`; NaN if never. */
export function evalStepsToTarget(r: ArmResult, target: number): number {
  const i = r.testLoss.findIndex((x) => x <= target);
  return i < 0 ? Number.NaN : r.evalSteps[i];
}

const fmt = (x: number): string =>
  Number.isFinite(x)
    ? Math.abs(x) >= 100 || x === Math.round(x)
      ? x.toFixed(0)
      : Math.abs(x) >= 1
        ? x.toFixed(3)
        : x.toPrecision(3)
    : String(x);

/** "0.93 ± 0.01" style: the mean over seeds and 2 standard errors (the interval a verdict reads). */
export function spread(xs: readonly number[]): string {
  if (xs.length < 2) return fmt(xs[0] ?? Number.NaN);
  return `${fmt(mean(xs))} ± ${fmt(2 * interval(xs).se)}`;
}

export function verdict(
  outcome: Outcome,
  summary: string,
  numbers: Record<string, number>,
  reads: readonly VerdictRead[] = [],
): Verdict {
  return { outcome, summary, numbers, reads };
}

/** The last evaluation step of an arm (its first seed's); NaN when it has none. */
export function finalStep(results: PresetResults, label: string): number {
  return arm(results, label)[0].evalSteps.at(-1) ?? Number.NaN;
}

/** A chart of the arms' `metric` read at each arm's final evaluation. */
export function readFinal(
  results: PresetResults,
  title: string,
  metric: VerdictRead['metric'],
  arms: readonly string[] = Object.keys(results),
): VerdictRead {
  const steps = [...new Set(arms.map((l) => finalStep(results, l)))].filter(Number.isFinite);
  return { title, metric, arms, at: steps.map((step) => ({ step, label: 'final' })) };
}

export { fmt };
