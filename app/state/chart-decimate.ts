/**
 * Decimation of chart lines for drawing: every line is cut into the same pixel columns and keeps
 * each column's minimum and maximum (in the order they occurred), so a spike of one step stays
 * visible however long the run. Points are appended: a frame costs the new points plus the
 * number of columns, not the length of the run. When a point falls beyond the last column, the
 * columns double in width and neighbours merge (exact: min of two minima, max of two maxima).
 */

interface Column {
  min: Float64Array;
  max: Float64Array;
  /** Index of the point that gave the min (max), to keep their order within a column. */
  minAt: Int32Array;
  maxAt: Int32Array;
}

interface LineState extends Column {
  /** How many points of the line are in the columns. */
  done: number;
  /** The last point taken in, to tell a grown line from a different one. */
  lastX: number;
  lastY: number;
}

export interface DecimatedData {
  /** The shared x of every slot: two per column (the earlier and the later extreme). */
  readonly x: Float64Array;
  /** Per line, the y of each slot or null where the column has no point. */
  readonly y: (number | null)[][];
}

/** A line as decimation sees it: ascending x with y of the same length. */
export interface XY {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export class Decimator {
  readonly columns: number;
  /** Width of one column in x units; columns start at x = 0. */
  #width = 0;
  #lines: LineState[] = [];

  constructor(columns: number) {
    this.columns = Math.max(1, Math.floor(columns));
  }

  get width(): number {
    return this.#width;
  }

  /** Takes in what is new in each line (all of it for a line that is not the one seen before). */
  update(lines: readonly XY[]): void {
    if (lines.length !== this.#lines.length) this.#lines = lines.map(() => this.#empty());
    let maxX = 0;
    for (const l of lines) if (l.x.length > 0) maxX = Math.max(maxX, l.x[l.x.length - 1]);
    if (this.#width === 0) this.#width = initialWidth(maxX, this.columns);
    while (maxX >= this.#width * this.columns) this.#double();
    lines.forEach((line, i) => {
      const s = this.#lines[i];
      const grown =
        s.done > 0 &&
        line.x.length >= s.done &&
        line.x[s.done - 1] === s.lastX &&
        sameY(line.y[s.done - 1], s.lastY);
      if (!grown && s.done > 0) this.#lines[i] = this.#empty();
      this.#take(this.#lines[i], line);
    });
  }

  /** Starts over (a new axis, other smoothing). */
  reset(): void {
    this.#width = 0;
    this.#lines = [];
  }

  /**
   * The slots to draw: per column the earlier extreme then the later one, at a quarter and three
   * quarters of the column. `map` turns each y into what the axis can show (e.g. a floor for log).
   */
  data(map: (y: number) => number | null = (y) => y): DecimatedData {
    const n = this.columns;
    const x = new Float64Array(2 * n);
    for (let c = 0; c < n; c++) {
      x[2 * c] = (c + 0.25) * this.#width;
      x[2 * c + 1] = (c + 0.75) * this.#width;
    }
    const y = this.#lines.map((s) => {
      const out: (number | null)[] = new Array(2 * n).fill(null);
      for (let c = 0; c < n; c++) {
        if (s.minAt[c] < 0) continue;
        const lo = map(s.min[c]);
        const hi = map(s.max[c]);
        if (s.minAt[c] === s.maxAt[c]) out[2 * c] = lo;
        else if (s.minAt[c] < s.maxAt[c]) [out[2 * c], out[2 * c + 1]] = [lo, hi];
        else [out[2 * c], out[2 * c + 1]] = [hi, lo];
      }
      return out;
    });
    return { x, y };
  }

  /** Per line and column, the min and max kept (for tests and for axis ranges). */
  extremes(line: number): { min: number[]; max: number[] } {
    const s = this.#lines[line];
    const min: number[] = [];
    const max: number[] = [];
    if (!s) return { min, max };
    for (let c = 0; c < this.columns; c++) {
      if (s.minAt[c] < 0) continue;
      min.push(s.min[c]);
      max.push(s.max[c]);
    }
    return { min, max };
  }

  #empty(): LineState {
    const n = this.columns;
    return {
      min: new Float64Array(n),
      max: new Float64Array(n),
      minAt: new Int32Array(n).fill(-1),
      maxAt: new Int32Array(n).fill(-1),
      done: 0,
      lastX: Number.NaN,
      lastY: Number.NaN,
    };
  }

  #take(s: LineState, line: XY): void {
    const end = Math.min(line.x.length, line.y.length);
    for (let i = s.done; i < end; i++) {
      const y = line.y[i];
      if (!Number.isFinite(y)) continue;
      const c = Math.max(0, Math.min(this.columns - 1, Math.floor(line.x[i] / this.#width)));
      if (s.minAt[c] < 0) {
        s.min[c] = s.max[c] = y;
        s.minAt[c] = s.maxAt[c] = i;
      } else if (y < s.min[c]) {
        s.min[c] = y;
        s.minAt[c] = i;
      } else if (y > s.max[c]) {
        s.max[c] = y;
        s.maxAt[c] = i;
      }
    }
    if (end > s.done) {
      s.done = end;
      s.lastX = line.x[end - 1];
      s.lastY = line.y[end - 1];
    }
  }

  /** Columns twice as wide: column c takes in old columns 2c and 2c+1. */
  #double(): void {
    this.#width *= 2;
    for (const s of this.#lines) {
      for (let c = 0; c < this.columns; c++) {
        let min = Number.NaN;
        let max = Number.NaN;
        let minAt = -1;
        let maxAt = -1;
        for (const k of [2 * c, 2 * c + 1]) {
          if (k >= this.columns || s.minAt[k] < 0) continue;
          if (minAt < 0 || s.min[k] < min) [min, minAt] = [s.min[k], s.minAt[k]];
          if (maxAt < 0 || s.max[k] > max) [max, maxAt] = [s.max[k], s.maxAt[k]];
        }
        s.min[c] = min;
        s.max[c] = max;
        s.minAt[c] = minAt;
        s.maxAt[c] = maxAt;
      }
    }
  }
}

const sameY = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** A first width that fits `maxX` with room to grow, rounded to a power of two. */
function initialWidth(maxX: number, columns: number): number {
  const needed = Math.max(maxX, 1) / columns;
  return 2 ** Math.ceil(Math.log2(needed * 1.0001));
}
