import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  datasetId,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  parseCsv,
  SAMPLE_CSV,
  SAMPLE_TEXT,
  type RunConfig,
} from '../../engine/tf-free';
import { checkUserText, Datasets } from './datasets';
import { openStore, type RunStore } from './persistence';

const CSV = 'a,"b, c",label\n1,2,"x, y"\n3,4,z\n5,6,"x, y"\n7,8,z\n';
const csvConfig = (dataset: string): RunConfig => ({
  ...DEFAULT_CONFIG,
  data: { kind: 'csv', dataset, trainFraction: 0.5 },
  model: MODEL_DEFAULTS.mlp,
});

let n = 0;
const open: RunStore[] = [];
async function db(name = `datasets-db-${++n}`): Promise<RunStore> {
  const store = await openStore(name);
  open.push(store);
  return store;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('datasets', () => {
  it('ids are sha256 of the UTF-8 text, in hex (the FIPS 180-2 vector for "abc")', async () => {
    expect(await datasetId('abc')).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await datasetId('é')).toBe(await datasetId('\u00e9'));
    expect(await datasetId('é')).not.toBe(await datasetId('e\u0301'));
  });

  it('keeps a text under its id, in memory and in storage, and finds it after a reload', async () => {
    const name = `datasets-db-${++n}`;
    const page = new Datasets();
    await page.attach(await db(name));
    const { id, stored } = await page.add(CSV);
    expect(stored).toEqual({ ok: true });
    expect(id).toBe(await datasetId(CSV));
    expect(page.get(id)).toBe(CSV);
    const reloaded = new Datasets();
    expect(reloaded.get(id)).toBeNull();
    await reloaded.attach(await db(name));
    expect(await reloaded.resolve(id)).toBe(CSV);
    expect(reloaded.get(id)).toBe(CSV);
    expect(await reloaded.contentFor(csvConfig(id).data)).toEqual({ id, text: CSV });
  });

  it('the built-in samples resolve by their fixed ids, with no storage and nothing sent', async () => {
    const page = new Datasets();
    expect(page.get('builtin:sample-text')).toBe(SAMPLE_TEXT);
    expect((await page.add(SAMPLE_CSV)).id).toBe('builtin:sample-csv');
    expect(await page.contentFor(csvConfig('builtin:sample-csv').data)).toBeUndefined();
    expect(page.collect([csvConfig('builtin:sample-csv')])).toEqual({ contents: [], missing: [] });
  });

  it('a text added before storage opened is written when it does', async () => {
    const name = `datasets-db-${++n}`;
    const page = new Datasets();
    const { id, stored } = await page.add(CSV);
    expect(stored.ok).toBe(false);
    expect(await page.attach(await db(name))).toEqual({ ok: true });
    expect(await (await db(name)).loadDataset(id)).toBe(CSV);
  });

  it('adopts outside datasets only when every one matches its id', async () => {
    const page = new Datasets();
    const id = await datasetId(CSV);
    const bad = await page.adopt([
      { id, text: CSV },
      { id: `sha256:${'0'.repeat(64)}`, text: 'x' },
    ]);
    expect(bad.ok === false && bad.message).toMatch(/does not match its content/);
    expect(page.get(id)).toBeNull();
    expect(await page.adopt([{ id, text: CSV }])).toEqual({ ok: true, value: 1 });
    expect(page.get(id)).toBe(CSV);
  });

  it('says when a config names data this browser does not have', async () => {
    const page = new Datasets();
    await page.attach(await db());
    const id = `sha256:${'9'.repeat(64)}`;
    expect(await page.problemWith(csvConfig(id))).toMatch(
      /^This link names a CSV table \(sha256:99999999…\) that is not stored in this browser/,
    );
    expect(await page.problemWith(DEFAULT_CONFIG)).toBeNull();
    expect(page.collect([csvConfig(id), DEFAULT_CONFIG])).toEqual({ contents: [], missing: [id] });
    expect(await page.contentFor(csvConfig(id).data)).toBeUndefined();
  });

  it('checks the size limit before parsing, with a clear message', () => {
    let parsed = 0;
    const count = (t: string) => (parsed++, parseCsv(t));
    expect(checkUserText('csv', '1,2,x\n'.repeat(90_000), count)).toBe(
      'The CSV has 540,000 characters; at most 500,000 are allowed',
    );
    expect(parsed).toBe(0);
    expect(checkUserText('text', 'ab'.repeat(100_001), () => ({ ok: true, value: null }))).toMatch(
      /^The text has 200,002 characters; at most 200,000/,
    );
    expect(checkUserText('csv', CSV, count)).toBeNull();
    expect(checkUserText('csv', 'a,b\n1,x\n', count)).toMatch(/need at least/);
  });
});
