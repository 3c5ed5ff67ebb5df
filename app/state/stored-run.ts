import * as v from 'valibot';
import { RunConfigSchema, type RunConfig } from '../../engine/tf-free';
import type { FrozenTree, Role, RunSnapshot } from '../../engine/index';

/**
 * What a run leaves behind when the tab closes: its card (StoredRun), its metric series
 * (StoredMetrics) and its whole training state (a RunSnapshot). Persistence, import/export and
 * the runs store share these types; every record read from IndexedDB or a file is parsed with
 * the schemas here before the app touches it.
 */

export type StoredRunStatus = 'draft' | 'paused' | 'finished' | 'diverged' | 'failed';

export interface StoredRun {
  id: string;
  /** ms since the epoch. */
  createdAt: number;
  label: string;
  color: string;
  /** Seed group: runs that differ only in their seed share it. */
  group?: string;
  /** The run this one was forked from, and the parent's step at the fork. */
  parentId?: string;
  forkStep?: number;
  config: RunConfig;
  /** The settings in force step by step, when it was switched mid-run (app/state/config-history.ts). */
  history?: { fromStep: number; config: RunConfig }[];
  status: StoredRunStatus;
  step: number;
  hidden: boolean;
}

/** A run's metrics as plain arrays, the fields of `MetricSeries`. */
export interface StoredMetrics {
  steps: number[];
  /** Training examples seen by the end of each step. */
  samples: number[];
  /**
   * Epochs of data trained on by the end of each step (hard batches: kept batches only); absent
   * in metrics saved before it was recorded.
   */
  epochs?: number[];
  loss: number[];
  lr: number[];
  gradNorm: number[];
  evalSteps: number[];
  trainLoss: number[];
  testLoss: number[];
  accuracy: number[];
  testAccuracy: number[];
  /** ms since the run started, one per entry of `steps`. */
  wallTime: number[];
}

/** Series that have one entry per step, and those that have one per evaluation. */
export const STEP_SERIES = ['steps', 'samples', 'loss', 'lr', 'gradNorm', 'wallTime'] as const;
export const EVAL_SERIES = [
  'evalSteps',
  'trainLoss',
  'testLoss',
  'accuracy',
  'testAccuracy',
] as const;

export const MAX_ID_LENGTH = 64;
export const MAX_LABEL_LENGTH = 200;
/** Hex, a CSS colour function without nested parentheses (so no `url(...)`), or a colour name. */
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,6}\([0-9a-z.,%\s/+-]{0,60}\)|[a-z]{3,20})$/i;

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const StoredRunSchema = v.strictObject({
  id,
  createdAt: v.pipe(v.number(), v.finite(), v.minValue(0)),
  label: v.pipe(v.string(), v.maxLength(MAX_LABEL_LENGTH)),
  color: v.pipe(v.string(), v.regex(COLOR, 'expected a CSS colour')),
  group: v.optional(id),
  parentId: v.optional(id),
  forkStep: v.optional(count),
  config: RunConfigSchema,
  history: v.optional(
    v.pipe(
      v.array(v.strictObject({ fromStep: count, config: RunConfigSchema })),
      v.minLength(1),
      v.maxLength(1000),
    ),
  ),
  status: v.picklist(['draft', 'paused', 'finished', 'diverged', 'failed']),
  step: count,
  hidden: v.boolean(),
});

/** Any number, NaN included: a diverged run's loss is NaN and IndexedDB keeps it. */
const anyNumber = v.custom<number>((x) => typeof x === 'number', 'expected a number');

/** Metrics schema for a given series item schema (plain numbers in IndexedDB, number-or-null in JSON). */
export function metricsSchema(item: v.GenericSchema<unknown, number>, maxPoints: number) {
  const series = v.pipe(
    v.array(item),
    v.maxLength(maxPoints, `a series has more than ${maxPoints} points`),
  );
  return v.pipe(
    v.strictObject({
      steps: series,
      samples: series,
      epochs: v.optional(series),
      loss: series,
      lr: series,
      gradNorm: series,
      wallTime: series,
      evalSteps: series,
      trainLoss: series,
      testLoss: series,
      accuracy: series,
      testAccuracy: series,
    }),
    v.check(
      (m) =>
        sameLength(m, STEP_SERIES) &&
        sameLength(m, EVAL_SERIES) &&
        (m.epochs === undefined || m.epochs.length === m.steps.length),
      'metric series of different lengths',
    ),
  );
}

function sameLength(
  m: StoredMetrics,
  keys: readonly Exclude<keyof StoredMetrics, 'epochs'>[],
): boolean {
  return keys.every((k) => m[k].length === m[keys[0]].length);
}

export const StoredMetricsSchema = metricsSchema(anyNumber, 10_000_000);

const ROLES = [
  'kernel',
  'bias',
  'norm',
  'embedding',
  'head',
  'router',
] as const satisfies readonly Role[];
const shape = v.pipe(
  v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31))),
  v.maxLength(8),
);
const MAX_TREE_DEPTH = 16;

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Rebuilds a frozen optimizer-state tree, decoding each tensor's values with `leaf`; null when
 * the input is not a tree, a tensor's values do not match its shape, or it nests too deep.
 */
export function readFrozenTree(
  x: unknown,
  leaf: (values: unknown) => Float32Array | null,
  depth = 0,
): FrozenTree | null {
  if (depth > MAX_TREE_DEPTH || typeof x !== 'object' || x === null) return null;
  const node = x as Record<string, unknown>;
  const keys = Object.keys(node).sort().join(',');
  if (node.t === 'number' && keys === 't,value')
    return typeof node.value === 'number' ? { t: 'number', value: node.value } : null;
  if (node.t === 'tensor' && keys === 'shape,t,values') {
    const s = v.safeParse(shape, node.shape);
    const values = leaf(node.values);
    return s.success && values && values.length === sizeOf(s.output)
      ? { t: 'tensor', shape: s.output, values }
      : null;
  }
  if (node.t === 'array' && keys === 'items,t' && Array.isArray(node.items)) {
    const items = node.items.map((item: unknown) => readFrozenTree(item, leaf, depth + 1));
    return items.every((item) => item !== null)
      ? { t: 'array', items: items as FrozenTree[] }
      : null;
  }
  if (
    node.t === 'record' &&
    keys === 'entries,t' &&
    typeof node.entries === 'object' &&
    node.entries !== null
  ) {
    const entries: Record<string, FrozenTree> = {};
    for (const [k, item] of Object.entries(node.entries)) {
      const tree = readFrozenTree(item, leaf, depth + 1);
      if (tree === null || k === '__proto__') return null;
      entries[k] = tree;
    }
    return { t: 'record', entries };
  }
  return null;
}

/**
 * Snapshot schema for a given encoding of typed arrays: the instances themselves in IndexedDB
 * (structured clone keeps them), base64 strings in JSON.
 */
export function snapshotSchema(
  f32: v.GenericSchema<unknown, Float32Array>,
  leaf: (values: unknown) => Float32Array | null,
) {
  const mismatch = 'values do not match the shape';
  const param = v.pipe(
    v.strictObject({ role: v.picklist(ROLES), shape, values: f32 }),
    v.check((t) => t.values.length === sizeOf(t.shape), mismatch),
  );
  const buffer = v.pipe(
    v.strictObject({ shape, values: f32 }),
    v.check((t) => t.values.length === sizeOf(t.shape), mismatch),
  );
  const state = v.pipe(
    v.unknown(),
    v.rawTransform(
      ({ dataset, addIssue, NEVER }) =>
        readFrozenTree(dataset.value, leaf) ??
        (addIssue({ message: 'invalid optimizer state' }), NEVER),
    ),
  );
  const fields = v.strictObject({
    config: RunConfigSchema,
    step: count,
    params: v.record(v.string(), param),
    optimizer: v.strictObject({ kind: v.pipe(v.string(), v.maxLength(40)), state }),
    buffers: v.record(v.string(), buffer),
    /** Written by versions that kept the generator's state, which nothing read: ignored. */
    rng: v.optional(v.unknown()),
    cursor: v.strictObject({ epoch: count, position: count }),
    samplesSeen: count,
  });
  const withoutRng = (s: v.InferOutput<typeof fields>) => {
    const snapshot = { ...s };
    delete snapshot.rng;
    return snapshot;
  };
  return v.pipe(fields, v.transform(withoutRng)) satisfies v.GenericSchema<unknown, RunSnapshot>;
}

const storedF32 = (x: unknown): Float32Array | null => (x instanceof Float32Array ? x : null);

/** A snapshot as IndexedDB keeps it. */
export const SnapshotRecordSchema = snapshotSchema(v.instance(Float32Array), storedF32);

/** A fresh random run id (works outside secure contexts, unlike `crypto.randomUUID`). */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'r' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
