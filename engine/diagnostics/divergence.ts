import type { MetricChunk } from '../metrics';

/** Where and why a run stopped being finite. */
export interface Divergence {
  readonly step: number;
  /** In words: which quantity, and which layer's gradient where that is known. */
  readonly cause: string;
}

/**
 * The first step of a chunk whose loss or gradient norm is NaN or infinite, with the layers whose
 * gradient was not finite at the chunk's last step (the only step with per-layer statistics).
 */
export function findDivergence(chunk: MetricChunk): Divergence | null {
  const { loss, gradNorm } = chunk.columns;
  for (let i = 0; i < chunk.rows; i++) {
    const lossBad = !Number.isFinite(loss[i]);
    const gradBad = !Number.isFinite(gradNorm[i]);
    if (!lossBad && !gradBad) continue;
    const layers = chunk.layers;
    const badLayers = layers
      ? layers.names.filter((_, j) => !Number.isFinite(layers.gradNorm[j]))
      : [];
    const what = lossBad ? `the loss became ${loss[i]}` : `the gradient norm became ${gradNorm[i]}`;
    const where =
      badLayers.length > 0
        ? ` (non-finite gradient in ${badLayers.slice(0, 3).join(', ')}${badLayers.length > 3 ? ', …' : ''})`
        : '';
    return { step: chunk.fromStep + i, cause: `${what}${where}` };
  }
  return null;
}
