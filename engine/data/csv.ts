import type { ParseResult } from '../config';

/** A parsed CSV: features min-max scaled to [-1, 1] (constant columns to 0), class indices. */
export interface CsvTable {
  readonly features: readonly string[];
  readonly classes: readonly string[];
  /** `[count, features]` row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

export const CSV_LIMITS = { rows: 20_000, features: 64, classes: 20, minRows: 4 } as const;

const unquote = (cell: string) => {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
};

const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell));

/**
 * Parses comma-separated text: numeric feature columns, then a label column (any text). A first
 * row with a non-numeric feature cell is a header. Quoted cells may not contain commas. Errors
 * name the row (1-based, as in an editor) and column. Never throws.
 */
export function parseCsv(input: unknown): ParseResult<CsvTable> {
  if (typeof input !== 'string') return { ok: false, message: 'the CSV must be text' };
  const lines = input.split(/\r\n|\r|\n/).map((line, i) => ({ line, row: i + 1 })).filter((l) => l.line.trim() !== '');
  if (lines.length === 0) return { ok: false, message: 'the CSV is empty' };
  const rows = lines.map((l) => ({ row: l.row, cells: l.line.split(',').map(unquote) }));
  const width = rows[0].cells.length;
  if (width < 2) return { ok: false, message: `row ${rows[0].row} has ${width} column; need at least one feature and a label` };
  if (width - 1 > CSV_LIMITS.features) return { ok: false, message: `${width - 1} feature columns; at most ${CSV_LIMITS.features}` };
  const hasHeader = rows[0].cells.slice(0, -1).some((c) => !isNumber(c));
  const features = hasHeader ? rows[0].cells.slice(0, -1).map((c, j) => c || `x${j + 1}`) : Array.from({ length: width - 1 }, (_, j) => `x${j + 1}`);
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length < CSV_LIMITS.minRows) return { ok: false, message: `the CSV has ${body.length} data rows; need at least ${CSV_LIMITS.minRows}` };
  if (body.length > CSV_LIMITS.rows) return { ok: false, message: `the CSV has ${body.length} data rows; at most ${CSV_LIMITS.rows}` };
  const f = width - 1;
  const x = new Float32Array(body.length * f);
  const labels: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const { row, cells } = body[i];
    if (cells.length !== width) return { ok: false, message: `row ${row} has ${cells.length} columns, expected ${width}` };
    for (let j = 0; j < f; j++) {
      if (!isNumber(cells[j])) return { ok: false, message: `row ${row}, column "${features[j]}": "${cells[j].slice(0, 20)}" is not a number` };
      x[i * f + j] = Number(cells[j]);
    }
    const label = cells[f];
    if (label === '') return { ok: false, message: `row ${row} has an empty label` };
    labels.push(label);
  }
  const classes = [...new Set(labels)].sort((a, b) => (isNumber(a) && isNumber(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  if (classes.length < 2) return { ok: false, message: `the label column has ${classes.length} class; need at least 2` };
  if (classes.length > CSV_LIMITS.classes) return { ok: false, message: `the label column has ${classes.length} classes; at most ${CSV_LIMITS.classes}` };
  for (let j = 0; j < f; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < body.length; i++) {
      lo = Math.min(lo, x[i * f + j]);
      hi = Math.max(hi, x[i * f + j]);
    }
    const range = hi - lo;
    if (!Number.isFinite(range)) return { ok: false, message: `column "${features[j]}" has values too large to scale` };
    for (let i = 0; i < body.length; i++) x[i * f + j] = range > 0 ? (2 * (x[i * f + j] - lo)) / range - 1 : 0;
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  return { ok: true, value: { features, classes, x, y: Int32Array.from(labels, (l) => index.get(l) ?? 0), count: body.length } };
}
