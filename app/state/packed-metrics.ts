import * as v from 'valibot';
import { EVAL_SERIES, STEP_SERIES, StoredMetricsSchema, type StoredMetrics } from './stored-run';

/**
 * A run's metric series as IndexedDB keeps them since database version 3 (docs/architecture.md,
 * "Stored data"): each column a typed array, and old rows thinned so that a series never holds
 * more than `FULL_ROWS + 2 * OLD_BUCKETS` rows however long the run trains.
 *
 * - Columns: a Float32Array when every value of the column is a float32 exactly (losses and
 *   rates come from the engine as float32; step and sample counts below 2^24), a Float64Array
 *   otherwise (wall times, fractional epochs). Nothing is rounded.
 * - Thinning: the last `FULL_ROWS` rows stay whole. Older rows are grouped into buckets of
 *   `width` steps (`floor(step / width)`, `width` the smallest power of two that makes at most
 *   `OLD_BUCKETS` buckets up to the last old step) and each bucket keeps two whole rows: the one
 *   with the lowest and the one with the highest loss (test loss for evaluation rows; a NaN or
 *   infinite loss counts as the highest, so a divergence stays visible). Rows stay aligned
 *   across columns. Because widths are powers of two, buckets nest: thinning what was already
 *   thinned (a run restored, trained on, saved again) keeps the same rows as thinning the whole
 *   series once.
 */

export const FULL_ROWS = 2000;
export const OLD_BUCKETS = 1000;

export type Column = Float32Array | Float64Array;
type SeriesName = (typeof STEP_SERIES)[number] | (typeof EVAL_SERIES)[number] | 'epochs';
export type PackedMetrics = { [K in Exclude<SeriesName, 'epochs'>]: Column } & { epochs?: Column };

/** A Float32Array when that loses nothing, a Float64Array otherwise. */
export function compactColumn(xs: readonly number[]): Column {
  const f32 = Float32Array.from(xs);
  for (let i = 0; i < xs.length; i++)
    if (!Object.is(f32[i], xs[i]) && !(Number.isNaN(f32[i]) && Number.isNaN(xs[i])))
      return Float64Array.from(xs);
  return f32;
}

/** How high a row ranks for thinning: NaN and infinities outrank every finite loss. */
const rank = (x: number) => (Number.isFinite(x) ? x : Number.POSITIVE_INFINITY);

/**
 * The rows to keep of one group of aligned series (indices, increasing), or null to keep all:
 * `steps` gives each row's step and `key` the value whose lowest and highest are kept.
 */
export function keptRows(steps: ArrayLike<number>, key: ArrayLike<number>): number[] | null {
  const n = steps.length;
  if (n <= FULL_ROWS + 2 * OLD_BUCKETS) return null;
  const old = n - FULL_ROWS;
  const last = Math.max(1, steps[old - 1] + 1);
  let width = 1;
  while (Math.ceil(last / width) > OLD_BUCKETS) width *= 2;
  const kept: number[] = [];
  let start = 0;
  while (start < old) {
    const bucket = Math.floor(steps[start] / width);
    let lo = start;
    let hi = start;
    let end = start + 1;
    for (; end < old && Math.floor(steps[end] / width) === bucket; end++) {
      if (rank(key[end]) < rank(key[lo])) lo = end;
      if (rank(key[end]) > rank(key[hi])) hi = end;
    }
    kept.push(Math.min(lo, hi));
    if (lo !== hi) kept.push(Math.max(lo, hi));
    start = end;
  }
  for (let i = old; i < n; i++) kept.push(i);
  return kept;
}

const pick = (xs: readonly number[], rows: number[] | null) =>
  compactColumn(rows ? rows.map((i) => xs[i]) : xs);

/** The metrics as they are stored: typed columns, old rows thinned. */
export function packMetrics(m: StoredMetrics): PackedMetrics {
  const stepRows = keptRows(m.steps, m.loss);
  const evalRows = keptRows(m.evalSteps, m.testLoss);
  const packed = {} as PackedMetrics;
  for (const k of STEP_SERIES) packed[k] = pick(m[k], stepRows);
  for (const k of EVAL_SERIES) packed[k] = pick(m[k], evalRows);
  if (m.epochs) packed.epochs = pick(m.epochs, stepRows);
  return packed;
}

/** Stored columns back into the plain arrays the app works with. */
export function unpackMetrics(p: PackedMetrics): StoredMetrics {
  const out = {} as StoredMetrics;
  for (const k of [...STEP_SERIES, ...EVAL_SERIES]) out[k] = Array.from(p[k]);
  if (p.epochs) out.epochs = Array.from(p.epochs);
  return out;
}

const column = v.union([v.instance(Float32Array), v.instance(Float64Array)]);

/** A metrics record as IndexedDB keeps it (version 3), checked as `StoredMetricsSchema` is. */
export const PackedMetricsSchema = v.pipe(
  v.strictObject({
    steps: column,
    samples: column,
    epochs: v.optional(column),
    loss: column,
    lr: column,
    gradNorm: column,
    wallTime: column,
    evalSteps: column,
    trainLoss: column,
    testLoss: column,
    accuracy: column,
    testAccuracy: column,
  }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const plain = v.safeParse(StoredMetricsSchema, unpackMetrics(dataset.value));
    if (plain.success) return plain.output;
    addIssue({ message: plain.issues[0].message });
    return NEVER;
  }),
);

/**
 * A metrics record of database version 1 or 2 (plain arrays) packed, for the migration to 3;
 * null when it does not pass the schema of its time (left as it is, and reported when read).
 */
export function packLegacyMetrics(value: unknown): PackedMetrics | null {
  const plain = v.safeParse(StoredMetricsSchema, value);
  return plain.success ? packMetrics(plain.output) : null;
}
