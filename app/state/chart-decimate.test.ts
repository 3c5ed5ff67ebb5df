import { describe, expect, it } from 'vitest';
import { Decimator } from './chart-decimate';

/** Per column of width w starting at 0, the min and max of the points in it, by brute force. */
function expected(x: number[], y: number[], w: number) {
  const cols = new Map<number, { min: number; max: number }>();
  x.forEach((xv, i) => {
    const c = Math.floor(xv / w);
    const e = cols.get(c);
    cols.set(
      c,
      e ? { min: Math.min(e.min, y[i]), max: Math.max(e.max, y[i]) } : { min: y[i], max: y[i] },
    );
  });
  const keys = [...cols.keys()].sort((a, b) => a - b);
  return { min: keys.map((k) => cols.get(k)!.min), max: keys.map((k) => cols.get(k)!.max) };
}

function noisy(n: number, seed = 3) {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const y = x.map((i) => 1 / Math.sqrt(i) + 0.2 * rand() + (i === 777 ? 5 : 0));
  return { x, y };
}

describe('decimation keeps each pixel column’s min and max', () => {
  it('equals a brute-force min/max per column, spike included', () => {
    const { x, y } = noisy(5000);
    const d = new Decimator(100);
    d.update([{ x, y }]);
    const got = d.extremes(0);
    expect(got).toEqual(expected(x, y, d.width));
    expect(Math.max(...got.max)).toBe(Math.max(...y));
    expect(Math.min(...got.min)).toBe(Math.min(...y));
    // Two slots per column, so the drawn points never exceed twice the columns.
    expect(d.data().y[0].filter((v) => v !== null).length).toBeLessThanOrEqual(200);
  });

  it('appending in chunks (with the columns widening) gives the same columns as all at once', () => {
    const { x, y } = noisy(9000);
    const once = new Decimator(64);
    once.update([{ x, y }]);
    const grown = new Decimator(64);
    for (let n = 10; n <= x.length; n = Math.min(x.length, n * 2 + 7)) {
      grown.update([{ x: x.slice(0, n), y: y.slice(0, n) }]);
      if (n === x.length) break;
    }
    grown.update([{ x, y }]);
    expect(grown.width).toBe(once.width);
    expect(grown.extremes(0)).toEqual(once.extremes(0));
    expect(grown.extremes(0)).toEqual(expected(x, y, grown.width));
  });

  it('orders each column’s extremes as they occurred, and skips non-finite points', () => {
    const d = new Decimator(4);
    // width 1 per column for x up to 3: column 1 holds a fall (5 then 1), column 2 a rise.
    d.update([{ x: [0, 1, 1.5, 2, 2.5, 3], y: [2, 5, 1, 0, Number.NaN, 4] }]);
    expect(d.width).toBe(1);
    const { y } = d.data();
    expect(y[0]).toEqual([2, null, 5, 1, 0, null, 4, null]);
  });

  it('starts over for a line that is not the one before (other smoothing, a reset run)', () => {
    const d = new Decimator(10);
    d.update([{ x: [1, 2, 3], y: [3, 2, 1] }]);
    d.update([{ x: [1, 2, 3, 4], y: [9, 9, 9, 9] }]);
    expect(d.extremes(0)).toEqual({ min: [9, 9, 9, 9], max: [9, 9, 9, 9] });
  });
});
