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
  return { fromStep: first.fromStep, rows, columns, ...(layers ? { layers } : {}) };
}
