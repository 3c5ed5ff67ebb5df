import * as v from 'valibot';
import {
  DatasetContentSchema,
  datasetId,
  describeIssues,
  isBuiltinDataset,
  isUserData,
  RunConfigSchema,
  shortDatasetId,
  type DatasetContent,
  type RunConfig,
} from '../../engine/tf-free';
import { deflate, fromBase64Url, inflate, toBase64Url } from './compress';
import { liftInlineText } from './legacy-data';

/**
 * A comparison in the URL hash: `#compare=z.` + base64url of the raw-DEFLATE-compressed JSON
 * `{configs, datasets}`: whole configs (not differences from the defaults, so a link keeps its
 * meaning when defaults change) and the user datasets they name, `[{id, text}]`. Decoding
 * validates each config with the run config schema and checks each dataset against its id
 * (its SHA-256).
 * Links made before datasets left the config (`#compare=` + base64url of a JSON array of
 * configs, text inline) still open.
 */

export const SHARE_PREFIX = 'compare=';
/** Marks the compressed form (not a base64url character, so no older link starts with it). */
const COMPRESSED = 'z.';
export const MAX_SHARED_CONFIGS = 16;
/** Characters after the prefix; 16 full configs take about 2,000 compressed. */
export const MAX_SHARE_LENGTH = 64_000;
/** Bytes a link may inflate to: the largest CSV allowed, with room for the configs. */
const MAX_INFLATED = 1_200_000;

export type ShareResult =
  { ok: true; configs: RunConfig[]; datasets: DatasetContent[] } | { ok: false; message: string };

const configs = v.pipe(
  v.array(RunConfigSchema),
  v.minLength(1, 'the link has no runs'),
  v.maxLength(MAX_SHARED_CONFIGS, `the link has more than ${MAX_SHARED_CONFIGS} runs`),
);

const SharedSchema = v.strictObject({
  configs,
  datasets: v.pipe(
    v.array(DatasetContentSchema),
    v.maxLength(MAX_SHARED_CONFIGS, 'the link has too many datasets'),
  ),
});

const checkCount = (n: number) => {
  if (n < 1 || n > MAX_SHARED_CONFIGS)
    throw new RangeError(`A share link holds 1 to ${MAX_SHARED_CONFIGS} runs, not ${n}`);
};

/**
 * The hash (with `#`) for 1 to MAX_SHARED_CONFIGS configs and the user datasets they name; a
 * RangeError for another count. Says nothing about the length: `shareHash` checks it.
 */
export function encodeShare(
  list: readonly RunConfig[],
  datasets: readonly DatasetContent[] = [],
): string {
  checkCount(list.length);
  const json = JSON.stringify({ configs: list, datasets });
  return '#' + SHARE_PREFIX + COMPRESSED + toBase64Url(deflate(new TextEncoder().encode(json)));
}

/**
 * The hash for these configs, with every user dataset they name (from `contents`), when it fits
 * MAX_SHARE_LENGTH; otherwise a message that says what is too large and what to do instead.
 */
export function shareHash(
  list: readonly RunConfig[],
  contents: readonly DatasetContent[],
): { ok: true; hash: string } | { ok: false; message: string } {
  checkCount(list.length);
  // A derived run starts from its parent's final weights, which a link cannot carry.
  if (list.some((c) => c.init)) {
    return {
      ok: false,
      message:
        'A run here starts from another run\'s weights (pruned, distilled or fine-tuned), which a link cannot carry. Use "Export runs" and share the file instead.',
    };
  }
  const needed = new Set(
    list.flatMap((c) =>
      isUserData(c.data) && !isBuiltinDataset(c.data.dataset) ? [c.data.dataset] : [],
    ),
  );
  const datasets = contents.filter((d) => needed.has(d.id));
  const missing = [...needed].filter((id) => !datasets.some((d) => d.id === id));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `The data ${shortDatasetId(missing[0])} of a run is not in this browser, so it cannot be shared.`,
    };
  }
  const hash = encodeShare(list, datasets);
  const length = hash.length - 1 - SHARE_PREFIX.length;
  if (length <= MAX_SHARE_LENGTH) return { ok: true, hash };
  const chars = datasets.reduce((n, d) => n + d.text.length, 0);
  const what =
    datasets.length > 0
      ? `Your data (${chars.toLocaleString('en')} characters) is too large`
      : 'These runs are too many';
  return {
    ok: false,
    message:
      `${what} to share in a link: it would be ${length.toLocaleString('en')} characters, and links hold at most ` +
      `${MAX_SHARE_LENGTH.toLocaleString('en')}. Use "Export runs" and share the file instead.`,
  };
}

/** Whether a hash (with or without `#`) is a share link, valid or not. */
export function isShareHash(hash: string): boolean {
  return (hash.startsWith('#') ? hash.slice(1) : hash).startsWith(SHARE_PREFIX);
}

const fail = (message: string): ShareResult => ({ ok: false, message: `Share link: ${message}` });

/** The JSON of a payload, compressed or of the older plain form; a message when damaged. */
function payloadJson(payload: string): { json: unknown } | string {
  const compressed = payload.startsWith(COMPRESSED);
  const bytes = fromBase64Url(compressed ? payload.slice(COMPRESSED.length) : payload);
  if (!bytes) return 'the link is damaged (not base64url)';
  const text = compressed ? inflate(bytes, MAX_INFLATED) : bytes;
  if (!text) return 'the link is damaged (not compressed data, or too large)';
  try {
    return { json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(text)) };
  } catch {
    return 'the link is damaged (not JSON)';
  }
}

/** An older link's array of configs with their text inline, as today's `{configs, datasets}`. */
async function fromOlderLink(json: unknown[]): Promise<unknown> {
  if (json.length > MAX_SHARED_CONFIGS) return { configs: json, datasets: [] };
  const lifted = await Promise.all(json.map(liftInlineText));
  const datasets = lifted.flatMap((l) => (l.dataset ? [l.dataset] : []));
  return {
    configs: lifted.map((l) => l.config),
    datasets: datasets.filter((d, i) => datasets.findIndex((e) => e.id === d.id) === i),
  };
}

/** The configs and datasets of a share link; null when the hash is not a share link at all. Never throws. */
export async function decodeShare(hash: string): Promise<ShareResult | null> {
  try {
    if (typeof hash !== 'string' || !isShareHash(hash)) return null;
    const payload = (hash.startsWith('#') ? hash.slice(1) : hash).slice(SHARE_PREFIX.length);
    if (payload.length > MAX_SHARE_LENGTH) return fail('the link is too long');
    const read = payloadJson(payload);
    if (typeof read === 'string') return fail(read);
    const json = Array.isArray(read.json) ? await fromOlderLink(read.json) : read.json;
    const parsed = v.safeParse(SharedSchema, json);
    if (!parsed.success) return fail(describeIssues(parsed.issues) || 'invalid configs');
    const { configs: list, datasets } = parsed.output;
    for (const c of list) {
      const id = isUserData(c.data) ? c.data.dataset : null;
      if (id !== null && !isBuiltinDataset(id) && !datasets.some((d) => d.id === id)) {
        return fail(`the link does not include the data ${shortDatasetId(id)}`);
      }
    }
    for (const d of datasets) {
      if ((await datasetId(d.text)) !== d.id)
        return fail(`the data ${shortDatasetId(d.id)} does not match its content`);
    }
    return { ok: true, configs: list, datasets };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}
