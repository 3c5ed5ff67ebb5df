import {
  BUILTIN_DATASETS,
  checkDatasetSize,
  datasetId,
  DATASET_LIMITS,
  isBuiltinDataset,
  isUserData,
  shortDatasetId,
  type DataConfig,
  type DatasetContent,
  type ParseResult,
  type RunConfig,
} from '../../engine/tf-free';
import type { WriteResult } from './persistence';

/** Where datasets are kept across reloads (the IndexedDB store; see persistence.ts). */
export interface DatasetStore {
  saveDataset(id: string, text: string): Promise<WriteResult>;
  /** The stored text, or null when it is not there (or does not match its id). */
  loadDataset(id: string): Promise<string | null>;
  /** Called when the database was found deleted (site data cleared) and made anew, empty. */
  onRecreated(listener: () => void): void;
}

const MAX_TEXT = Math.max(DATASET_LIMITS.text, DATASET_LIMITS.csv);

/**
 * The user's datasets on this page, by id: what the configs on screen name. Texts are kept in
 * memory once used and in IndexedDB (when attached), so a run, a share link and an export can
 * reach them. The built-in samples resolve without storage.
 */
export class Datasets {
  #texts = new Map<string, string>();
  #db: DatasetStore | null = null;
  /** Added before a database was attached: written when one is. */
  #unsaved = new Set<string>();

  /** Stores through `db` from now on, and writes what was added before. */
  async attach(db: DatasetStore): Promise<WriteResult> {
    this.#db = db;
    // Storage was emptied under the page: the texts the runs on screen name are written again.
    db.onRecreated(() => {
      for (const id of this.#texts.keys()) this.#unsaved.add(id);
      void this.#saveUnsaved(db);
    });
    return this.#saveUnsaved(db);
  }

  async #saveUnsaved(db: DatasetStore): Promise<WriteResult> {
    let result: WriteResult = { ok: true };
    for (const id of [...this.#unsaved]) {
      const r = await db.saveDataset(id, this.#texts.get(id) ?? '');
      if (r.ok) this.#unsaved.delete(id);
      else result = r;
    }
    return result;
  }

  /** The text of an id already on this page (or built in); null otherwise. */
  get(id: string): string | null {
    return isBuiltinDataset(id) ? BUILTIN_DATASETS[id] : (this.#texts.get(id) ?? null);
  }

  /** The text of an id, looked up in storage when it is not on this page yet. */
  async resolve(id: string): Promise<string | null> {
    const known = this.get(id);
    if (known !== null || !this.#db) return known;
    const stored = await this.#db.loadDataset(id);
    if (stored !== null) this.#texts.set(id, stored);
    return stored;
  }

  /**
   * Keeps a text and returns its id (a built-in sample's id when it is one). `stored` says
   * whether it was written to storage (false without a database: it lasts until reload).
   */
  async add(text: string): Promise<{ id: string; stored: WriteResult }> {
    const builtin = Object.keys(BUILTIN_DATASETS).find((id) => BUILTIN_DATASETS[id] === text);
    if (builtin) return { id: builtin, stored: { ok: true } };
    if (text.length > MAX_TEXT)
      throw new RangeError(`a dataset has at most ${MAX_TEXT} characters`);
    const id = await datasetId(text);
    const fresh = !this.#texts.has(id);
    this.#texts.set(id, text);
    if (!this.#db) {
      this.#unsaved.add(id);
      return {
        id,
        stored: { ok: false, quota: false, kept: false, message: 'no storage in this browser' },
      };
    }
    return {
      id,
      stored: fresh || this.#unsaved.has(id) ? await this.#save(id, text) : { ok: true },
    };
  }

  async #save(id: string, text: string): Promise<WriteResult> {
    const r = (await this.#db?.saveDataset(id, text)) ?? { ok: true };
    if (r.ok) this.#unsaved.delete(id);
    else this.#unsaved.add(id);
    return r;
  }

  /**
   * Takes datasets from outside (a share link, an import): each must hash to its id and fit
   * the size limit, or nothing is taken and the message says which one failed.
   */
  async adopt(contents: readonly DatasetContent[]): Promise<ParseResult<number>> {
    for (const { id, text } of contents) {
      if (text.length > MAX_TEXT)
        return { ok: false, message: `the data ${shortDatasetId(id)} is too large` };
      if (!isBuiltinDataset(id) && (await datasetId(text)) !== id) {
        return {
          ok: false,
          message: `the data ${shortDatasetId(id)} does not match its content (damaged?)`,
        };
      }
    }
    for (const { text } of contents) await this.add(text);
    return { ok: true, value: contents.length };
  }

  /** What a run of this data needs beside its config; undefined for data that is not the user's. */
  async contentFor(data: DataConfig): Promise<DatasetContent | undefined> {
    if (!isUserData(data) || isBuiltinDataset(data.dataset)) return undefined;
    const text = await this.resolve(data.dataset);
    return text === null ? undefined : { id: data.dataset, text };
  }

  /**
   * The user datasets these configs name, as `[id, text]`, from this page; ids not on this page
   * are listed in `missing`.
   */
  collect(configs: readonly RunConfig[]): { contents: DatasetContent[]; missing: string[] } {
    const ids = new Set(
      configs.flatMap((c) =>
        isUserData(c.data) && !isBuiltinDataset(c.data.dataset) ? [c.data.dataset] : [],
      ),
    );
    const contents: DatasetContent[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const text = this.get(id);
      if (text === null) missing.push(id);
      else contents.push({ id, text });
    }
    return { contents, missing };
  }

  /** Looks up (in storage too) every user dataset the configs name, then `collect`s them. */
  async gather(
    configs: readonly RunConfig[],
  ): Promise<{ contents: DatasetContent[]; missing: string[] }> {
    for (const c of configs) if (isUserData(c.data)) await this.resolve(c.data.dataset);
    return this.collect(configs);
  }

  /** A message when the config names user data this browser does not have; null when it is fine. */
  async problemWith(config: RunConfig): Promise<string | null> {
    if (!isUserData(config.data) || (await this.resolve(config.data.dataset)) !== null) return null;
    const what = config.data.kind === 'csv' ? 'CSV table' : 'text';
    return `This link names a ${what} (${shortDatasetId(config.data.dataset)}) that is not stored in this browser`;
  }
}

/** The size check and parse a text must pass before it becomes a dataset; a message otherwise. */
export function checkUserText(
  kind: 'text' | 'csv',
  text: string,
  check: (text: string) => ParseResult<unknown>,
): string | null {
  const size = checkDatasetSize(kind, text);
  if (!size.ok) return size.message;
  const parsed = check(text);
  return parsed.ok ? null : parsed.message;
}

/** The datasets of this page. */
export const datasets = new Datasets();
