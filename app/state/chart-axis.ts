import { formatNumber } from './label-format';

/**
 * A tick or hover value in at most 3 significant digits: 0.001 → "1e-3", 0.25 → "0.25",
 * 20000 → "2e4". Never rounds a small value to "0".
 */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs < 0.01 || abs >= 1e4) {
    const [mantissa, exponent] = v.toExponential(2).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${m}e${Number(exponent)}`;
  }
  return formatNumber(Number(v.toPrecision(3)));
}

/**
 * How a log axis shows the values it is given: its range in whole decades around the positive
 * values, and the height where zero and negative values are drawn (a decade below the smallest
 * positive value, at the bottom of the axis) so they stay visible instead of breaking the scale.
 */
export interface LogAxis {
  readonly min: number;
  readonly max: number;
  /** Where values <= 0 (or too small for the axis) are drawn. */
  readonly floor: number;
  /** Whether any value was drawn at the floor (the chart then says so). */
  readonly clipped: boolean;
}

/** A log axis spans at most this many decades; smaller values count as zero (an EMA of zeros
 * decays towards 1e-300 and below, which would otherwise stretch the axis without end). */
export const MAX_DECADES = 10;

export function logAxis(minPositive: number, max: number, anyNonPositive: boolean): LogAxis {
  const hasPositive = Number.isFinite(minPositive) && minPositive > 0;
  const top =
    hasPositive && Number.isFinite(max) && max > 0
      ? Math.max(max, minPositive)
      : hasPositive
        ? minPositive
        : 1;
  const highDecade = Math.ceil(Math.log10(top) - 1e-9);
  let lowDecade = hasPositive ? Math.floor(Math.log10(minPositive)) : highDecade - 3;
  let clipped = anyNonPositive;
  if (lowDecade < highDecade - MAX_DECADES) {
    lowDecade = highDecade - MAX_DECADES;
    clipped = true;
  }
  const high = Math.max(highDecade, lowDecade + 1);
  const floor = 10 ** (clipped ? lowDecade - 1 : lowDecade);
  return { min: floor, max: 10 ** high, floor, clipped };
}

/** A linear axis range with a little room, never empty. */
export function linearRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min - (Math.abs(min) || 1) * 0.1, max + (Math.abs(max) || 1) * 0.1];
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

export interface MarkerIn {
  readonly x: number;
  readonly label: string;
  readonly color?: string;
}

export interface PlacedMarker extends MarkerIn {
  /** Pixel position of the line. */
  readonly px: number;
  /** Label row from the top, 0 first; -1 when there is no room left and the label is dropped. */
  readonly row: number;
}

/**
 * Places marker labels so none overlap: markers at the same step with the same label merge, a
 * label goes in the first row where it clears the previous one, and after `rows` rows it is left
 * out (its line stays). `width(label)` is the drawn width in pixels.
 */
export function placeMarkers(
  markers: readonly MarkerIn[],
  toPx: (x: number) => number,
  width: (label: string) => number,
  rows = 3,
  gap = 6,
): PlacedMarker[] {
  const seen = new Set<string>();
  const unique = [...markers]
    .sort((a, b) => a.x - b.x)
    .filter((m) => {
      const key = `${m.x}|${m.label}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const ends: number[] = new Array(rows).fill(-Infinity);
  return unique.map((m) => {
    const px = toPx(m.x);
    const start = px + 3;
    const row = ends.findIndex((end) => start >= end + gap);
    if (row >= 0) ends[row] = start + width(m.label);
    return { ...m, px, row };
  });
}
