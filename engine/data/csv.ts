import Papa from 'papaparse';
import type { ParseResult } from '../config';
import { quoteInput } from '../schema-helpers';

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

const no = (message: string): { ok: false; message: string } => ({ ok: false, message });
const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell));

interface Row {
  /** 1-based line where the row starts, as an editor counts. */
  readonly row: number;
  readonly cells: readonly string[];
}

/**
 * Splits the text into rows of trimmed cells with papaparse (RFC 4180: quoted cells may hold
 * commas, doubled quotes and line breaks). A byte-order mark is dropped and line ends are made
 * `\n` first; blank lines are skipped. A message for an unclosed quote.
 */
function readRows(input: string): ParseResult<Row[]> {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const rows: Row[] = [];
  let start = 0;
  let line = 1;
  let problem: string | null = null;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: '\n',
    step: (result, parser) => {
      const end = result.meta.cursor;
      const row = line;
      for (let i = start; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
      start = end;
      if (result.errors.length > 0) {
        const quote = result.errors.some((e) => e.type === 'Quotes');
        problem = `row ${row}: ${quote ? 'a quoted cell is not closed' : result.errors[0].message}`;
        parser.abort();
        return;
      }
      const cells = result.data.map((c) => c.trim());
      if (cells.length === 1 && cells[0] === '') return;
      rows.push({ row, cells });
    },
  });
  return problem === null ? { ok: true, value: rows } : { ok: false, message: problem };
}

/**
 * Parses comma-separated text: numeric feature columns, then a label column (any text). A first
 * row with a non-numeric feature cell is a header. Errors name the row (1-based, as in an
 * editor) and column. Never throws.
 */
export function parseCsv(input: unknown): ParseResult<CsvTable> {
  if (typeof input !== 'string') return no('the CSV must be text');
  let read: ParseResult<Row[]>;
  try {
    read = readRows(input);
  } catch (e) {
    // papaparse is not expected to throw; a message rather than a crash if it does.
    return no(`the CSV could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!read.ok) return read;
  return tableOf(read.value);
}

function tableOf(rows: readonly Row[]): ParseResult<CsvTable> {
  if (rows.length === 0) return no('the CSV is empty');
  const width = rows[0].cells.length;
  if (width < 2) {
    return no(`row ${rows[0].row} has ${width} column; need at least one feature and a label`);
  }
  if (width - 1 > CSV_LIMITS.features) {
    return no(`${width - 1} feature columns; at most ${CSV_LIMITS.features}`);
  }
  const hasHeader = rows[0].cells.slice(0, -1).some((c) => !isNumber(c));
  const features = hasHeader
    ? rows[0].cells.slice(0, -1).map((c, j) => c || `x${j + 1}`)
    : Array.from({ length: width - 1 }, (_, j) => `x${j + 1}`);
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length < CSV_LIMITS.minRows) {
    return no(`the CSV has ${body.length} data rows; need at least ${CSV_LIMITS.minRows}`);
  }
  if (body.length > CSV_LIMITS.rows) {
    return no(`the CSV has ${body.length} data rows; at most ${CSV_LIMITS.rows}`);
  }
  const f = width - 1;
  const x = new Float32Array(body.length * f);
  const labels: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const { row, cells } = body[i];
    if (cells.length !== width)
      return no(`row ${row} has ${cells.length} columns, expected ${width}`);
    for (let j = 0; j < f; j++) {
      if (!isNumber(cells[j])) {
        return no(
          `row ${row}, column "${quoteInput(features[j])}": "${quoteInput(cells[j], 20)}" is not a number`,
        );
      }
      x[i * f + j] = Number(cells[j]);
    }
    const label = cells[f];
    if (label === '') return no(`row ${row} has an empty label`);
    labels.push(label);
  }
  const numeric = (a: string, b: string) =>
    isNumber(a) && isNumber(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
  const classes = [...new Set(labels)].sort(numeric);
  if (classes.length < 2)
    return no(`the label column has ${classes.length} class; need at least 2`);
  if (classes.length > CSV_LIMITS.classes) {
    return no(`the label column has ${classes.length} classes; at most ${CSV_LIMITS.classes}`);
  }
  for (let j = 0; j < f; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < body.length; i++) {
      lo = Math.min(lo, x[i * f + j]);
      hi = Math.max(hi, x[i * f + j]);
    }
    const range = hi - lo;
    if (!Number.isFinite(range))
      return no(`column "${quoteInput(features[j])}" has values too large to scale`);
    for (let i = 0; i < body.length; i++)
      x[i * f + j] = range > 0 ? (2 * (x[i * f + j] - lo)) / range - 1 : 0;
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  const y = Int32Array.from(labels, (l) => index.get(l) ?? 0);
  return { ok: true, value: { features, classes, x, y, count: body.length } };
}
