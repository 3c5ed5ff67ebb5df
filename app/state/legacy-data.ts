import { BUILTIN_DATASETS, datasetId, type DatasetContent } from '../../engine/tf-free';

/**
 * Before user data was stored apart from configs (database version 1, export files of version 1,
 * share links without the `z.` mark), a text or CSV config carried its content as `data.text`.
 * This lifts it out: the config then names the content by its dataset id, as today's do.
 */

export interface Lifted {
  /** The config with `data.dataset` in place of `data.text` (still to be validated). */
  readonly config: unknown;
  /** The content lifted out; null when there was none or it is a built-in sample. */
  readonly dataset: DatasetContent | null;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether a config (unvalidated) still carries its text inline. */
export function hasInlineText(config: unknown): boolean {
  if (!isRecord(config) || !isRecord(config.data)) return false;
  const { kind, text } = config.data;
  return (
    (kind === 'text' || kind === 'csv') && typeof text === 'string' && !('dataset' in config.data)
  );
}

/** The config with its inline text lifted out; anything else is returned as it is. */
export async function liftInlineText(config: unknown): Promise<Lifted> {
  if (!hasInlineText(config) || !isRecord(config) || !isRecord(config.data))
    return { config, dataset: null };
  const { text, ...data } = config.data as { text: string };
  const builtin = Object.keys(BUILTIN_DATASETS).find((id) => BUILTIN_DATASETS[id] === text);
  const id = builtin ?? (await datasetId(text));
  return {
    config: { ...config, data: { ...data, dataset: id } },
    dataset: builtin ? null : { id, text },
  };
}
