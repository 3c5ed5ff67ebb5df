/**
 * Reading the LR finder's curve (pure numbers, no TF.js): the smoothed loss, the suggested rate
 * (steepest descent against log lr) and the divergence point.
 */

export interface LrFinderPoint {
  readonly lr: number;
  /** Mean training loss of the point's steps. */
  readonly loss: number;
}

export interface LrSuggestion {
  /** The lr where the smoothed loss falls fastest against log lr; NaN with fewer than 3 points. */
  readonly suggested: number;
  /** The first lr whose loss blew up (over `stopRatio`× the minimum, or non-finite); NaN if none. */
  readonly divergedAt: number;
  readonly smoothed: readonly number[];
}

/** Centred moving average over `window` points (fewer at the ends); non-finite values are skipped. */
export function smoothCurve(values: readonly number[], window = 5): number[] {
  const half = Math.floor(window / 2);
  return values.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      if (Number.isFinite(values[j])) {
        sum += values[j];
        n++;
      }
    }
    return n > 0 ? sum / n : Number.NaN;
  });
}

/**
 * The suggestion on a loss-vs-lr curve: the steepest descent of the smoothed loss against
 * log lr, looked for before the curve diverges and before its lowest point.
 */
export function suggestLr(
  points: readonly LrFinderPoint[],
  options: { readonly stopRatio?: number; readonly window?: number } = {},
): LrSuggestion {
  const { stopRatio = 4, window = 5 } = options;
  let min = Infinity;
  let end = points.length;
  let divergedAt = Number.NaN;
  for (let i = 0; i < points.length; i++) {
    const l = points[i].loss;
    if (!Number.isFinite(l) || l > stopRatio * min) {
      divergedAt = points[i].lr;
      end = i;
      break;
    }
    min = Math.min(min, l);
  }
  const kept = points.slice(0, end);
  const smoothed = smoothCurve(
    kept.map((p) => p.loss),
    window,
  );
  let lowest = 0;
  smoothed.forEach((s, i) => (s < smoothed[lowest] ? (lowest = i) : 0));
  let best = -1;
  let steepest = Infinity;
  for (let i = 1; i <= Math.min(lowest, kept.length - 2); i++) {
    const slope =
      (smoothed[i + 1] - smoothed[i - 1]) / (Math.log(kept[i + 1].lr) - Math.log(kept[i - 1].lr));
    if (slope < steepest) {
      steepest = slope;
      best = i;
    }
  }
  return { suggested: best >= 0 ? kept[best].lr : Number.NaN, divergedAt, smoothed };
}
