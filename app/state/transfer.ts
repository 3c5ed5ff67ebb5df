import * as v from 'valibot';
import { describeIssues } from '../../engine/lite';
import type { FrozenTree, RunSnapshot } from '../../engine/index';
import { DiagnosticsRecordSchema, type DiagnosticsRecord } from './diagnostics-record';
import { EVAL_SERIES, metricsSchema, newRunId, snapshotSchema, STEP_SERIES, StoredRunSchema, type StoredMetrics, type StoredRun } from './stored-run';

/**
 * A run or a whole comparison as a JSON file: `{format, version, runs: [{run, metrics, snapshot?}]}`.
 * NaN and infinite metric values are written as null and read back as NaN. Snapshots, when
 * included, carry their typed arrays as base64 (little-endian bytes, as every browser stores them).
 * Import is strict: every object is a strict schema, so a file can set nothing the app does not know.
 */

export const COMPARISON_FORMAT = 'training-playground/comparison';
export const COMPARISON_VERSION = 1;
export const MAX_RUNS = 50;
export const MAX_POINTS = 200_000;
/** Characters, checked before parsing. */
export const MAX_TEXT_LENGTH = 20_000_000;

export interface TransferItem {
  run: StoredRun;
  metrics: StoredMetrics | null;
  snapshot?: RunSnapshot | null;
  /** What the diagnostics found (LR finder, sharpness, critical batch), when anything. */
  diagnostics?: DiagnosticsRecord;
}

export type ImportResult = { ok: true; runs: TransferItem[] } | { ok: false; message: string };

function toBase64(a: Float32Array | Uint32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: unknown): ArrayBuffer | null {
  if (typeof text !== 'string') return null;
  try {
    const binary = atob(text);
    if (binary.length % 4 !== 0) return null;
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  } catch {
    return null;
  }
}

const f32 = (text: unknown) => {
  const buffer = fromBase64(text);
  return buffer ? new Float32Array(buffer) : null;
};
const typed = <T>(decode: (text: unknown) => T | null) =>
  v.pipe(v.string(), v.rawTransform(({ dataset, addIssue, NEVER }) => decode(dataset.value) ?? (addIssue({ message: 'invalid base64 data' }), NEVER)));

const SnapshotJsonSchema = snapshotSchema(typed(f32), typed((text) => { const b = fromBase64(text); return b ? new Uint32Array(b) : null; }), f32);

function treeToJson(tree: FrozenTree): unknown {
  switch (tree.t) {
    case 'tensor': return { ...tree, values: toBase64(tree.values) };
    case 'number': return tree;
    case 'array': return { t: 'array', items: tree.items.map(treeToJson) };
    case 'record': return { t: 'record', entries: Object.fromEntries(Object.entries(tree.entries).map(([k, x]) => [k, treeToJson(x)])) };
  }
}

function snapshotToJson(s: RunSnapshot): unknown {
  const encode = <T extends { values: Float32Array }>(rec: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(rec).map(([k, x]) => [k, { ...x, values: toBase64(x.values) }]));
  return { ...s, params: encode(s.params), buffers: encode(s.buffers), optimizer: { kind: s.optimizer.kind, state: treeToJson(s.optimizer.state) }, rng: toBase64(s.rng) };
}

/** At most `max` evenly spaced entries of each series group, first and last kept. */
function thin(m: StoredMetrics, max: number): StoredMetrics {
  const out = { ...m };
  for (const group of [STEP_SERIES, EVAL_SERIES]) {
    const n = m[group[0]].length;
    if (n <= max) continue;
    const picks = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
    for (const key of group) out[key] = picks.map((i) => m[key][i]);
  }
  return out;
}

/**
 * The comparison as JSON text that `importComparison` accepts: series longer than MAX_POINTS are
 * thinned evenly, and while the text is over MAX_TEXT_LENGTH the series are thinned further,
 * down to 1,000 points, then snapshots are left out, then thinned down to 10. The caller keeps
 * to MAX_RUNS runs.
 */
export function exportComparison(items: readonly TransferItem[]): string {
  let points = MAX_POINTS;
  let snapshots = true;
  for (;;) {
    const runs = items.map(({ run, metrics, snapshot, diagnostics }) => ({
      run,
      metrics: metrics ? thin(metrics, points) : null,
      ...(snapshot && snapshots ? { snapshot: snapshotToJson(snapshot) } : {}),
      ...(diagnostics && Object.keys(diagnostics).length > 0 ? { diagnostics } : {}),
    }));
    const text = JSON.stringify({ format: COMPARISON_FORMAT, version: COMPARISON_VERSION, runs });
    if (text.length <= MAX_TEXT_LENGTH || points <= 10) return text;
    if (snapshots && points <= 1000 && items.some((x) => x.snapshot)) snapshots = false;
    else points = Math.max(10, Math.floor(points / 2));
  }
}

const jsonNumber = v.pipe(v.nullable(v.number()), v.transform((x) => x ?? Number.NaN));

const ComparisonSchema = v.strictObject({
  format: v.literal(COMPARISON_FORMAT, `not a comparison file (expected format "${COMPARISON_FORMAT}")`),
  version: v.literal(COMPARISON_VERSION, `unsupported version (this app reads version ${COMPARISON_VERSION})`),
  runs: v.pipe(
    v.array(v.strictObject({ run: StoredRunSchema, metrics: v.nullable(metricsSchema(jsonNumber, MAX_POINTS)), snapshot: v.optional(v.nullable(SnapshotJsonSchema)), diagnostics: v.optional(DiagnosticsRecordSchema) })),
    v.minLength(1, 'the file has no runs'),
    v.maxLength(MAX_RUNS, `the file has more than ${MAX_RUNS} runs`),
  ),
});

/**
 * Reads a file written by `exportComparison`. Never throws. Imported runs get fresh ids; forks
 * keep pointing at their parent when it is in the same file, and seed groups stay together
 * without joining groups already in the app.
 */
export function importComparison(text: string): ImportResult {
  try {
    if (typeof text !== 'string') return { ok: false, message: 'Import: expected text' };
    if (text.length > MAX_TEXT_LENGTH) return { ok: false, message: `Import: the file is larger than ${MAX_TEXT_LENGTH / 1e6} MB` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, message: 'Import: the file is not valid JSON' };
    }
    const parsed = v.safeParse(ComparisonSchema, json);
    if (!parsed.success) return { ok: false, message: `Import: ${describeIssues(parsed.issues) || 'invalid file'}` };
    const ids = new Map<string, string>();
    for (const { run } of parsed.output.runs) {
      if (ids.has(run.id)) return { ok: false, message: `Import: two runs share the id "${run.id}"` };
      ids.set(run.id, newRunId());
    }
    const groups = new Map<string, string>();
    const regroup = (g: string) => groups.get(g) ?? (groups.set(g, newRunId()), groups.get(g) as string);
    const runs = parsed.output.runs.map(({ run, metrics, snapshot, diagnostics }): TransferItem => {
      const { parentId, group, ...rest } = run;
      const parent = parentId === undefined ? undefined : ids.get(parentId);
      return {
        run: { ...rest, id: ids.get(run.id) as string, ...(parent ? { parentId: parent } : {}), ...(group !== undefined ? { group: regroup(group) } : {}) },
        metrics,
        snapshot: snapshot ?? null,
        ...(diagnostics ? { diagnostics } : {}),
      };
    });
    return { ok: true, runs };
  } catch (e) {
    // Not expected (the schemas bound the work); kept so that a bad file can never crash the app.
    return { ok: false, message: `Import failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
