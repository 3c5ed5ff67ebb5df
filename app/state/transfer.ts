import * as v from 'valibot';
import {
  DatasetContentSchema,
  datasetId,
  describeIssues,
  quoteInput,
  shortDatasetId,
  type DatasetContent,
} from '../../engine/tf-free';
import type { FrozenTree, RunSnapshot } from '../../engine/index';
import { fromBase64, toBase64 } from './compress';
import { hasInlineText, liftInlineText } from './legacy-data';
import { DiagnosticsRecordSchema, type DiagnosticsRecord } from './diagnostics-record';
import {
  EVAL_SERIES,
  metricsSchema,
  newRunId,
  snapshotSchema,
  STEP_SERIES,
  StoredRunSchema,
  type StoredMetrics,
  type StoredRun,
} from './stored-run';

/**
 * A run or a whole comparison as a JSON file:
 * `{format, version, runs: [{run, metrics, snapshot?}], datasets: [{id, text}]}`, the datasets
 * being the user's texts and CSVs the runs name, so a file is complete on its own.
 * NaN and infinite metric values are written as null and read back as NaN. Snapshots, when
 * included, carry their typed arrays as base64 (little-endian bytes, as every browser stores them).
 * Import is strict: every object is a strict schema, so a file can set nothing the app does not know.
 * Files of version 1 (text inline in the configs, no `datasets`) still import.
 */

export const COMPARISON_FORMAT = 'training-playground/comparison';
export const COMPARISON_VERSION = 2;
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

export type ImportResult =
  { ok: true; runs: TransferItem[]; datasets: DatasetContent[] } | { ok: false; message: string };

const arrayBase64 = (a: Float32Array | Uint32Array): string =>
  toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** The bytes of a base64 string of 32-bit values, or null. */
function words(text: unknown): ArrayBuffer | null {
  const bytes = fromBase64(text);
  return bytes && bytes.length % 4 === 0 ? (bytes.buffer as ArrayBuffer) : null;
}

const f32 = (text: unknown) => {
  const buffer = words(text);
  return buffer ? new Float32Array(buffer) : null;
};
const typed = <T>(decode: (text: unknown) => T | null) =>
  v.pipe(
    v.string(),
    v.rawTransform(
      ({ dataset, addIssue, NEVER }) =>
        decode(dataset.value) ?? (addIssue({ message: 'invalid base64 data' }), NEVER),
    ),
  );

const SnapshotJsonSchema = snapshotSchema(typed(f32), f32);

function treeToJson(tree: FrozenTree): unknown {
  switch (tree.t) {
    case 'tensor':
      return { ...tree, values: arrayBase64(tree.values) };
    case 'number':
      return tree;
    case 'array':
      return { t: 'array', items: tree.items.map(treeToJson) };
    case 'record':
      return {
        t: 'record',
        entries: Object.fromEntries(
          Object.entries(tree.entries).map(([k, x]) => [k, treeToJson(x)]),
        ),
      };
  }
}

function allFinite(values: Float32Array): boolean {
  for (const x of values) if (!Number.isFinite(x)) return false;
  return true;
}

function snapshotToJson(s: RunSnapshot): unknown {
  const encode = <T extends { values: Float32Array }>(rec: Readonly<Record<string, T>>) =>
    Object.fromEntries(
      Object.entries(rec).map(([k, x]) => [k, { ...x, values: arrayBase64(x.values) }]),
    );
  return {
    ...s,
    params: encode(s.params),
    buffers: encode(s.buffers),
    optimizer: { kind: s.optimizer.kind, state: treeToJson(s.optimizer.state) },
  };
}

/** At most `max` evenly spaced entries of each series group, first and last kept. */
function thin(m: StoredMetrics, max: number): StoredMetrics {
  const out = { ...m };
  for (const group of [STEP_SERIES, EVAL_SERIES]) {
    const n = m[group[0]].length;
    if (n <= max) continue;
    const picks = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
    for (const key of group) out[key] = picks.map((i) => m[key][i]);
    const epochs = m.epochs;
    if (group === STEP_SERIES && epochs) out.epochs = picks.map((i) => epochs[i]);
  }
  return out;
}

/**
 * The comparison as JSON text that `importComparison` accepts: series longer than MAX_POINTS are
 * thinned evenly, and while the text is over MAX_TEXT_LENGTH the series are thinned further,
 * down to 1,000 points, then snapshots are left out, then thinned down to 10. `datasets` are
 * the user datasets the runs name (always written whole). The caller keeps to MAX_RUNS runs.
 */
export function exportComparison(
  items: readonly TransferItem[],
  datasets: readonly DatasetContent[] = [],
): string {
  let points = MAX_POINTS;
  let snapshots = true;
  for (;;) {
    const runs = items.map(({ run, metrics, snapshot, diagnostics }) => ({
      run,
      metrics: metrics ? thin(metrics, points) : null,
      ...(snapshot && snapshots ? { snapshot: snapshotToJson(snapshot) } : {}),
      ...(diagnostics && Object.keys(diagnostics).length > 0 ? { diagnostics } : {}),
    }));
    const text = JSON.stringify({
      format: COMPARISON_FORMAT,
      version: COMPARISON_VERSION,
      runs,
      datasets,
    });
    if (text.length <= MAX_TEXT_LENGTH || points <= 10) return text;
    if (snapshots && points <= 1000 && items.some((x) => x.snapshot)) snapshots = false;
    else points = Math.max(10, Math.floor(points / 2));
  }
}

const jsonNumber = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? Number.NaN),
);

const ComparisonSchema = v.strictObject({
  format: v.literal(
    COMPARISON_FORMAT,
    `not a comparison file (expected format "${COMPARISON_FORMAT}")`,
  ),
  version: v.literal(
    COMPARISON_VERSION,
    `unsupported version (this app reads versions 1 to ${COMPARISON_VERSION})`,
  ),
  datasets: v.pipe(
    v.array(DatasetContentSchema),
    v.maxLength(MAX_RUNS, `the file has more than ${MAX_RUNS} datasets`),
  ),
  runs: v.pipe(
    v.array(
      v.strictObject({
        run: StoredRunSchema,
        metrics: v.nullable(metricsSchema(jsonNumber, MAX_POINTS)),
        snapshot: v.optional(v.nullable(SnapshotJsonSchema)),
        diagnostics: v.optional(DiagnosticsRecordSchema),
      }),
    ),
    v.minLength(1, 'the file has no runs'),
    v.maxLength(MAX_RUNS, `the file has more than ${MAX_RUNS} runs`),
  ),
});

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A version-1 file as version 2: the text inline in run and snapshot configs is lifted out into
 * `datasets`. Anything unexpected is left for the schema to refuse.
 */
async function fromVersion1(json: Record<string, unknown>): Promise<unknown> {
  if (!Array.isArray(json.runs) || json.runs.length > MAX_RUNS || 'datasets' in json) return json;
  const datasets = new Map<string, string>();
  const lift = async (holder: unknown) => {
    if (!isRecord(holder) || !hasInlineText(holder.config)) return holder;
    const lifted = await liftInlineText(holder.config);
    if (lifted.dataset) datasets.set(lifted.dataset.id, lifted.dataset.text);
    return { ...holder, config: lifted.config };
  };
  const runs = await Promise.all(
    json.runs.map(async (item: unknown) =>
      isRecord(item)
        ? {
            ...item,
            run: await lift(item.run),
            ...('snapshot' in item ? { snapshot: await lift(item.snapshot) } : {}),
          }
        : item,
    ),
  );
  return {
    ...json,
    version: COMPARISON_VERSION,
    runs,
    datasets: [...datasets].map(([id, text]) => ({ id, text })),
  };
}

/**
 * Reads a file written by `exportComparison` (or by version 1). Never throws. Imported runs get
 * fresh ids; forks keep pointing at their parent when it is in the same file, and seed groups
 * stay together without joining groups already in the app. Every dataset must match its id.
 */
export async function importComparison(text: string): Promise<ImportResult> {
  try {
    if (typeof text !== 'string') return { ok: false, message: 'Import: expected text' };
    if (text.length > MAX_TEXT_LENGTH)
      return { ok: false, message: `Import: the file is larger than ${MAX_TEXT_LENGTH / 1e6} MB` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, message: 'Import: the file is not valid JSON' };
    }
    if (isRecord(json) && json.version === 1 && json.format === COMPARISON_FORMAT)
      json = await fromVersion1(json);
    const parsed = v.safeParse(ComparisonSchema, json);
    if (!parsed.success)
      return { ok: false, message: `Import: ${describeIssues(parsed.issues) || 'invalid file'}` };
    for (const d of parsed.output.datasets) {
      if ((await datasetId(d.text)) !== d.id)
        return {
          ok: false,
          message: `Import: the data ${shortDatasetId(d.id)} does not match its content`,
        };
    }
    const ids = new Map<string, string>();
    for (const { run } of parsed.output.runs) {
      if (ids.has(run.id))
        return { ok: false, message: `Import: two runs share the id "${quoteInput(run.id)}"` };
      ids.set(run.id, newRunId());
    }
    for (const { run, snapshot } of parsed.output.runs) {
      // Valid alone but not this run's state: the worker would fail on it, so it is refused here.
      if (snapshot && JSON.stringify(snapshot.config.model) !== JSON.stringify(run.config.model)) {
        return {
          ok: false,
          message: `Import: the saved state of run "${quoteInput(run.id)}" is for another model`,
        };
      }
      const last = Math.max(run.config.steps, ...(run.history ?? []).map((h) => h.config.steps));
      if (snapshot && snapshot.step > last) {
        return {
          ok: false,
          message: `Import: the saved state of run "${quoteInput(run.id)}" is at step ${snapshot.step}, past the run's ${last} steps`,
        };
      }
      // Weights that are NaN or infinite train nothing: the run would diverge at its first step.
      const bad = snapshot && Object.entries(snapshot.params).find(([, p]) => !allFinite(p.values));
      if (bad) {
        return {
          ok: false,
          message: `Import: the saved state of run "${quoteInput(run.id)}" has weights that are not finite numbers (${quoteInput(bad[0])})`,
        };
      }
    }
    const groups = new Map<string, string>();
    const regroup = (g: string) =>
      groups.get(g) ?? (groups.set(g, newRunId()), groups.get(g) as string);
    const runs = parsed.output.runs.map(({ run, metrics, snapshot, diagnostics }): TransferItem => {
      const { parentId, group, ...rest } = run;
      const parent = parentId === undefined ? undefined : ids.get(parentId);
      return {
        run: {
          ...rest,
          id: ids.get(run.id) as string,
          ...(parent ? { parentId: parent } : {}),
          ...(group !== undefined ? { group: regroup(group) } : {}),
        },
        metrics,
        snapshot: snapshot ?? null,
        ...(diagnostics ? { diagnostics } : {}),
      };
    });
    return { ok: true, runs, datasets: parsed.output.datasets };
  } catch (e) {
    // Not expected (the schemas bound the work); kept so that a bad file can never crash the app.
    return {
      ok: false,
      message: `Import failed: ${quoteInput(e instanceof Error ? e.message : String(e), 160)}`,
    };
  }
}
