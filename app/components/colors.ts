/** The two class colors (as in the TensorFlow Playground) and a diverging blend between them. */
export const CLASS0 = [245, 147, 34] as const;
export const CLASS1 = [8, 119, 189] as const;
const MID = [232, 234, 235] as const;

/** Color for a value in [0, 1]: orange at 0, light grey at 0.5, blue at 1. */
export function blend(p: number): readonly [number, number, number] {
  const t = Math.max(0, Math.min(1, p));
  const [a, b, u] = t < 0.5 ? [CLASS0, MID, t * 2] : [MID, CLASS1, (t - 0.5) * 2];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

export const rgb = (c: readonly number[]) =>
  `rgb(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])})`;

/** Maps a regression target in about [-1, 1] to [0, 1] for `blend`. */
export const regressionToUnit = (y: number) => 0.5 + 0.5 * y;

/** The output heatmap's colour for a value in [0, 1]: `blend` over white at 60%, so points stay readable. */
export function heatmapColor(p: number): readonly [number, number, number] {
  const c = blend(p);
  return [255 - 0.6 * (255 - c[0]), 255 - 0.6 * (255 - c[1]), 255 - 0.6 * (255 - c[2])];
}
