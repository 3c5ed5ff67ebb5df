import * as v from 'valibot';
import type { ParseResult } from '../config';
import { sha256 } from './sha256';

/**
 * The user's own data (pasted text, a CSV) lives outside the run config: the config names it by
 * a dataset id, and whoever runs the config hands the content over beside it (`RunEnv.dataset`).
 * An id is `sha256:` + the SHA-256 of the text's UTF-8 bytes in hex, so the same text always has
 * the same id and a stored or shared copy can be checked against its name. The built-in samples
 * have fixed `builtin:` ids and need no storage. TF-free: the app, the worker and Node use it.
 */

export const SAMPLE_TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(8);
export const SAMPLE_CSV =
  'x,y,label\n0.1,0.2,a\n0.9,0.8,b\n0.2,0.1,a\n0.8,0.9,b\n0.15,0.3,a\n0.7,0.85,b\n0.3,0.2,a\n' +
  '0.95,0.7,b\n0.05,0.1,a\n0.85,0.95,b\n';

/** Content addressable by a fixed id, with no storage. */
export const BUILTIN_DATASETS: Readonly<Record<string, string>> = {
  'builtin:sample-text': SAMPLE_TEXT,
  'builtin:sample-csv': SAMPLE_CSV,
};

/** Characters each kind of user data may have (checked before hashing, storing or parsing). */
export const DATASET_LIMITS = { text: 200_000, csv: 500_000 } as const;
export type UserDataKind = keyof typeof DATASET_LIMITS;

const ID = /^(sha256:[0-9a-f]{64}|builtin:[a-z0-9-]{1,40})$/;
export const DatasetIdSchema = v.pipe(
  v.string(),
  v.regex(ID, 'expected a dataset id (sha256:… or builtin:…)'),
);
export type DatasetId = v.InferOutput<typeof DatasetIdSchema>;

/** A dataset's content as the run receives it. */
export interface DatasetContent {
  readonly id: string;
  readonly text: string;
}

export const DatasetContentSchema = v.strictObject({
  id: DatasetIdSchema,
  text: v.pipe(v.string(), v.maxLength(Math.max(DATASET_LIMITS.text, DATASET_LIMITS.csv))),
});

export const isBuiltinDataset = (id: string): boolean => Object.hasOwn(BUILTIN_DATASETS, id);

/** A short form of an id for messages, e.g. `sha256:3f2a9c01…`. */
export const shortDatasetId = (id: string): string => (id.length > 20 ? `${id.slice(0, 15)}…` : id);

/**
 * The id of a text: `sha256:` + hex digest of its UTF-8 bytes. crypto.subtle where there is one
 * (browsers in a secure context, Node 20+), the plain-JavaScript digest elsewhere.
 */
export async function datasetId(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const subtle = globalThis.crypto?.subtle;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes)) : sha256(bytes);
  return 'sha256:' + Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The text when it fits the limit of its kind; a message otherwise. */
export function checkDatasetSize(kind: UserDataKind, text: string): ParseResult<string> {
  const limit = DATASET_LIMITS[kind];
  if (text.length <= limit) return { ok: true, value: text };
  const what = kind === 'csv' ? 'The CSV' : 'The text';
  const size = text.length.toLocaleString('en');
  return {
    ok: false,
    message: `${what} has ${size} characters; at most ${limit.toLocaleString('en')} are allowed`,
  };
}

/** Checks content received from outside (a worker message) before a run uses it. */
export function parseDatasetContent(input: unknown): ParseResult<DatasetContent> {
  const r = v.safeParse(DatasetContentSchema, input);
  return r.success
    ? { ok: true, value: r.output }
    : { ok: false, message: 'the data sent with the run is malformed' };
}

/**
 * The text a config's dataset id names: a built-in sample, or `given` when its id matches.
 * Checked against the size limit of `kind`. A message when the content is missing.
 */
export function resolveDataset(
  kind: UserDataKind,
  id: string,
  given: DatasetContent | undefined,
): ParseResult<string> {
  const text = isBuiltinDataset(id)
    ? BUILTIN_DATASETS[id]
    : given?.id === id
      ? given.text
      : undefined;
  if (text === undefined) {
    return {
      ok: false,
      message: `the run's data (${shortDatasetId(id)}) was not given to it: it is not stored in this browser`,
    };
  }
  return checkDatasetSize(kind, text);
}
