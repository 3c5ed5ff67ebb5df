import { describe, expect, it } from 'vitest';
import { formatTick, linearRange, logAxis, placeMarkers } from './chart-axis';

describe('tick labels', () => {
  it('small values on a log axis read as powers, never "0"', () => {
    expect(formatTick(0.001)).toBe('1e-3');
    expect(formatTick(1e-5)).toBe('1e-5');
    expect(formatTick(0.0002)).toBe('2e-4');
    expect(formatTick(0.01)).toBe('0.01');
    expect(formatTick(0.1)).toBe('0.1');
    expect(formatTick(1)).toBe('1');
    expect(formatTick(0.2346)).toBe('0.235');
    expect(formatTick(3000)).toBe('3,000');
    expect(formatTick(20000)).toBe('2e4');
    expect(formatTick(0)).toBe('0');
  });
});

describe('log axis', () => {
  it('spans whole decades around the positive values', () => {
    expect(logAxis(0.023, 0.7, false)).toEqual({ min: 0.01, max: 1, floor: 0.01, clipped: false });
    expect(logAxis(0.5, 0.5, false)).toEqual({ min: 0.1, max: 1, floor: 0.1, clipped: false });
  });

  it('a loss of exactly 0 is drawn a decade below the smallest positive one', () => {
    const axis = logAxis(0.004, 2.3, true);
    expect(axis.floor).toBeCloseTo(1e-4, 12);
    expect(axis.min).toBe(axis.floor);
    expect(axis.max).toBe(10);
    expect(axis.clipped).toBe(true);
  });

  it('values decaying towards 0 (an EMA of zeros) do not stretch the axis beyond 10 decades', () => {
    const axis = logAxis(5e-324, 0.7, false);
    expect(axis.max).toBe(1);
    expect(axis.floor).toBeCloseTo(1e-11, 20);
    expect(axis.floor).toBeGreaterThan(0);
    expect(axis.clipped).toBe(true);
  });

  it('only zeros (or nothing) still gives a finite, positive range', () => {
    for (const axis of [
      logAxis(Infinity, -Infinity, true),
      logAxis(Number.NaN, Number.NaN, false),
    ]) {
      expect(axis.min).toBeGreaterThan(0);
      expect(axis.max).toBeGreaterThan(axis.min);
      expect(Number.isFinite(axis.max)).toBe(true);
    }
  });

  it('a linear range is never empty', () => {
    expect(linearRange(0.5, 0.5)[1]).toBeGreaterThan(0.5);
    expect(linearRange(0, 0)).toEqual([-0.1, 0.1]);
    expect(linearRange(Infinity, -Infinity)).toEqual([0, 1]);
  });
});

describe('marker labels', () => {
  const px = (x: number) => x;
  const width = (label: string) => label.length * 6;

  it('labels at the same step go to different rows; duplicates merge', () => {
    const placed = placeMarkers(
      [
        { x: 100, label: 'sgd lr 0.1' },
        { x: 100, label: 'sgd lr 0.1' },
        { x: 100, label: 'batch 64' },
        { x: 400, label: 'cosine schedule' },
      ],
      px,
      width,
    );
    expect(placed.map((m) => [m.x, m.row])).toEqual([
      [100, 0],
      [100, 1],
      [400, 0],
    ]);
  });

  it('no two placed labels overlap, and labels beyond the rows are dropped', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ x: 100 + i * 5, label: `switch ${i}` }));
    const placed = placeMarkers(many, px, width, 3);
    for (const a of placed) {
      for (const b of placed) {
        if (a === b || a.row < 0 || a.row !== b.row) continue;
        const [l, r] = a.px < b.px ? [a, b] : [b, a];
        expect(r.px + 3).toBeGreaterThanOrEqual(l.px + 3 + width(l.label));
      }
    }
    expect(placed.filter((m) => m.row < 0).length).toBeGreaterThan(0);
  });
});
