import * as v from 'valibot';
import { real } from '../schema-helpers';
import type { ModelConfig } from './schema';

/**
 * Sorted (nested-width) training of an MLP (docs/algorithms.md#sorted-training): every step
 * trains the sub-network made of the first k units of each hidden layer, k = round(f · width)
 * for a width fraction f drawn from `widths`. TF-free: the UI reads it.
 */
export const SortedConfigSchema = v.strictObject({
  /** Width fractions in (0, 1], ascending and distinct; each step draws one uniformly. */
  widths: v.pipe(
    v.array(real(0.01, 1)),
    v.minLength(1),
    v.maxLength(8),
    v.check(
      (ws) => ws.every((w, i) => i === 0 || w > ws[i - 1]),
      'sorted widths must be ascending and distinct',
    ),
  ),
});

export type SortedConfig = v.InferOutput<typeof SortedConfigSchema>;

/** The paper's usual set: a quarter, half, three quarters and the whole width. */
export const SORTED_DEFAULT: SortedConfig = { widths: [0.25, 0.5, 0.75, 1] };

/** The fractions the presets evaluate every MLP at (the 'widths' measure). */
export const WIDTH_FRACTIONS: readonly number[] = SORTED_DEFAULT.widths;

/** A width evaluation as a preset arm's extras: `testAccuracy@f` and `testLoss@f` per fraction. */
export function widthExtras(w: {
  readonly fractions: readonly number[];
  readonly testLoss: readonly number[];
  readonly testAccuracy: readonly number[];
}): Record<string, number> {
  const out: Record<string, number> = {};
  w.fractions.forEach((f, i) => {
    out[`testAccuracy@${f}`] = w.testAccuracy[i];
    out[`testLoss@${f}`] = w.testLoss[i];
  });
  return out;
}

/** Norms that keep no per-width state (batch statistics would be shared across widths). */
const SORTABLE_NORMS = new Set(['none', 'layer', 'rms']);

/** Why a model cannot be trained or evaluated by width truncation, or null when it can. */
export function sortedUnsupported(model: ModelConfig): string | null {
  if (model.kind !== 'mlp') return `sorted training takes MLPs (this is a ${model.kind})`;
  if (model.hidden.length === 0) return 'sorted training needs at least one hidden layer';
  const norm = model.norm ?? 'none';
  if (!SORTABLE_NORMS.has(norm))
    return `sorted training cannot share ${norm} norm statistics across widths`;
  return null;
}

/** Units kept of a layer `width` wide at fraction `fraction`: round(f · width), at least 1. */
export function unitsAt(width: number, fraction: number): number {
  return Math.min(width, Math.max(1, Math.round(fraction * width)));
}

/** A 32-bit integer mix (murmur3's finaliser): the counter-based generator below. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The width fraction update `step` (1-based) trains: uniform over `widths`, drawn from the run's
 * seed and the step number alone, so a snapshot, a restore or a fork replays the same widths
 * without storing generator state.
 */
export function sortedWidthAt(sorted: SortedConfig, seed: number, step: number): number {
  const u = mix32(mix32(seed ^ 0x5f3759df) ^ mix32(step + 0x9e3779b9)) / 2 ** 32;
  return sorted.widths[Math.min(sorted.widths.length - 1, Math.floor(u * sorted.widths.length))];
}
