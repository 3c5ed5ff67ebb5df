import type { LayerStats } from './diagnostics/layer-stats';

/**
 * Metrics stream from a run as columnar chunks: one row per optimizer step. Per-step columns
 * are always filled; evaluation columns are NaN except on the chunk's last row.
 */
export const METRIC_COLUMNS = [
  'step',
  'samples',
  /** Epochs of data trained on by the end of the step (with hard batches: kept batches only). */
  'epoch',
  'loss',
  'lr',
  'gradNorm',
  'trainLoss',
  'testLoss',
  'accuracy',
  'testAccuracy',
] as const;

export type MetricName = (typeof METRIC_COLUMNS)[number];

export interface MetricChunk {
  /** Step number (1-based count of updates) of the first row. */
  readonly fromStep: number;
  readonly rows: number;
  readonly columns: Readonly<Record<MetricName, Float32Array>>;
  /** Per-parameter internals at the chunk's last step. */
  readonly layers?: LayerStats;
  /** Sorted training: the test split evaluated at every width fraction, at each evaluation. */
  readonly widths?: readonly WidthEvaluation[];
}

/** One evaluation of the nested sub-networks (engine/models/sorted.ts), width by width. */
export interface WidthEvaluation {
  readonly step: number;
  /** Width fractions, ascending; the other arrays are aligned with it. */
  readonly fractions: readonly number[];
  readonly testLoss: readonly number[];
  /** NaN where accuracy means nothing (regression). */
  readonly testAccuracy: readonly number[];
}

export function emptyColumns(rows: number): Record<MetricName, Float32Array> {
  const columns = {} as Record<MetricName, Float32Array>;
  for (const name of METRIC_COLUMNS) columns[name] = new Float32Array(rows).fill(Number.NaN);
  return columns;
}

/** The buffers of a chunk, for `Comlink.transfer`. */
export function chunkBuffers(chunk: MetricChunk): ArrayBuffer[] {
  const layers = chunk.layers
    ? [chunk.layers.gradNorm, chunk.layers.updateRatio, chunk.layers.trustRatio]
    : [];
  return [...METRIC_COLUMNS.map((name) => chunk.columns[name]), ...layers].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/**
 * Consecutive chunks as one (rows in order, each chunk's evaluation row kept where it was, the
 * last chunk's layer stats): a worker that trains many short chunks sends them in fewer messages.
 */
export function concatChunks(chunks: readonly MetricChunk[]): MetricChunk {
  const first = chunks[0];
  if (!first) throw new Error('concatChunks needs at least one chunk');
  if (chunks.length === 1) return first;
  const rows = chunks.reduce((n, c) => n + c.rows, 0);
  const columns = emptyColumns(rows);
  let at = 0;
  for (const c of chunks) {
    for (const name of METRIC_COLUMNS) columns[name].set(c.columns[name], at);
    at += c.rows;
  }
  const layers = chunks[chunks.length - 1].layers;
  const widths = chunks.flatMap((c) => c.widths ?? []);
  return {
    fromStep: first.fromStep,
    rows,
    columns,
    ...(layers ? { layers } : {}),
    ...(widths.length > 0 ? { widths } : {}),
  };
}
