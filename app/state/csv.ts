import type { StoredMetrics } from './stored-run';

/**
 * Metrics as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled). One row per run and step; evaluation columns are empty on steps
 * that were not evaluated. A label that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) is prefixed with a single quote.
 */

export interface CsvItem {
  label: string;
  metrics: StoredMetrics;
  /** The settings in force at a step, as short text (the `config` column); empty when not given. */
  configAt?: (step: number) => string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, defused and quoted as needed. */
export function csvField(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const num = (x: number | undefined): string => (x === undefined ? '' : String(x));

export function metricsToCsv(items: readonly CsvItem[]): string {
  const header = [
    'run',
    'step',
    'samples',
    'wall_time_ms',
    'loss',
    'lr',
    'grad_norm',
    'train_loss',
    'test_loss',
    'accuracy',
    'test_accuracy',
    'config',
  ];
  const lines = [header.join(',')];
  for (const { label, metrics: m, configAt } of items) {
    const run = csvField(label);
    // Evaluations join their step's row; one at a step with no per-step row (thinned data) gets its own.
    const evalAt = new Map(m.evalSteps.map((step, j) => [step, j]));
    const steps = [...new Set([...m.steps, ...m.evalSteps])].sort((a, b) => a - b);
    const stepAt = new Map(m.steps.map((step, i) => [step, i]));
    for (const step of steps) {
      const i = stepAt.get(step);
      const j = evalAt.get(step);
      const at = (series: readonly number[], k: number | undefined) =>
        num(k === undefined ? undefined : series[k]);
      lines.push(
        [
          run,
          String(step),
          at(m.samples, i),
          at(m.wallTime, i),
          at(m.loss, i),
          at(m.lr, i),
          at(m.gradNorm, i),
          at(m.trainLoss, j),
          at(m.testLoss, j),
          at(m.accuracy, j),
          at(m.testAccuracy, j),
          csvField(configAt?.(step) ?? ''),
        ].join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
