import type { Toy2D } from '../../engine/tf-free';
import { blend, CLASS0, CLASS1, regressionToUnit, rgb } from './colors';

/** Draws data points on a canvas whose area maps to [-1, 1]². */
export function drawPoints(
  ctx: CanvasRenderingContext2D,
  data: Toy2D,
  options: { size: number; radius: number; regression: boolean; outlined: boolean },
): void {
  const { size, radius } = options;
  for (let i = 0; i < data.count; i++) {
    const px = ((data.x[2 * i] + 1) / 2) * size;
    const py = ((1 - data.x[2 * i + 1]) / 2) * size;
    const color = options.regression
      ? blend(regressionToUnit(data.y[i]))
      : data.y[i] > 0.5
        ? CLASS1
        : CLASS0;
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fillStyle = rgb(color);
    ctx.strokeStyle = options.outlined ? '#111' : '#fff';
    ctx.lineWidth = options.outlined ? 1.2 : 0.8;
    ctx.fill();
    ctx.stroke();
  }
}
