import type { LayerStats } from './diagnostics/layer-stats';

/**
 * Metrics stream from a run as columnar chunks: one row per optimizer step. Per-step columns
 * are always filled; evaluation columns are NaN except on the chunk's last row.
 */
export const METRIC_COLUMNS = ['step', 'samples', 'loss', 'lr', 'gradNorm', 'trainLoss', 'testLoss', 'accuracy', 'testAccuracy'] as const;

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
  const layers = chunk.layers ? [chunk.layers.gradNorm, chunk.layers.updateRatio, chunk.layers.trustRatio] : [];
  return [...METRIC_COLUMNS.map((name) => chunk.columns[name]), ...layers].map((a) => a.buffer as ArrayBuffer);
}
