import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../engine/tf-free';
import { expect, test } from './fixtures';

type Json = Record<string, unknown>;

/** The previous release's export (two runs with snapshots), the base every hostile file bends. */
const base = JSON.parse(
  readFileSync(new URL('../app/state/fixtures/export-v1.json', import.meta.url), 'utf8'),
) as Json;
const first = (f: Json) => (f.runs as Json[])[0];
const snap = (f: Json) => first(f).snapshot as Json;
const param = (f: Json) => Object.values(snap(f).params as Json)[0] as Json;
const nan = (n: number) => Buffer.from(new Float32Array(n).fill(NaN).buffer).toString('base64');

/** A state tree nested 100,000 levels, put in as text (JSON.stringify cannot nest so deep). */
const DEEP =
  '{"t":"array","items":['.repeat(100_000) + '{"t":"number","value":1}' + ']}'.repeat(100_000);

/** Files that parse and look like exports, each with one value chosen to break the app. */
const HOSTILE: readonly [string, (f: Json) => void][] = [
  ['weights one value short', (f) => (param(f).values = Buffer.alloc(12).toString('base64'))],
  [
    'NaN weights',
    (f) => (param(f).values = nan((param(f).shape as number[]).reduce((a, b) => a * b, 1))),
  ],
  [
    'snapshot of another model',
    (f) => ((snap(f).config as Json).model = { ...DEFAULT_CONFIG.model, hidden: [3] }),
  ],
  ['snapshot past its steps', (f) => (snap(f).step = 1e12)],
  ['series of different lengths', (f) => ((first(f).metrics as Json).loss = [1])],
  [
    'a million steps of loss',
    (f) => ((first(f).metrics as Json).loss = new Array(1_000_000).fill(0)),
  ],
  ['steps 1e9', (f) => (((first(f).run as Json).config as Json).steps = 1e9)],
  [
    'width 100,000',
    (f) => ((((first(f).run as Json).config as Json).model as Json).hidden = [100_000]),
  ],
  ['optimizer state 100,000 deep', (f) => ((snap(f).optimizer as Json).state = '@deep')],
  ['label of 100 kB', (f) => ((first(f).run as Json).label = 'x'.repeat(100_000))],
];

test('hostile files of the right shape are refused with a message, change nothing and raise no page error', async ({
  playground,
  api,
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await playground.open('#backend=wasm&steps=500');
  await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(1);
  const before = (await api.runs()).map((r) => r.id);
  const input = page.getByLabel('Import runs from a JSON file');
  for (const [name, change] of HOSTILE) {
    const file = structuredClone(base);
    change(file);
    await input.setInputFiles({
      name: `${name}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file).replace('"@deep"', DEEP)),
    });
    await expect
      .poll(() => page.evaluate(() => window.__playground?.message() ?? ''), { timeout: 20_000 })
      .toMatch(new RegExp(`^${name}\\.json was not imported: .+ Nothing was changed\\.$`));
    const said = await page.evaluate(() => window.__playground?.message() ?? '');
    expect(said.length, name).toBeLessThan(400);
    expect(
      (await api.runs()).map((r) => r.id),
      name,
    ).toEqual(before);
  }
  // The untouched file still imports: the refusals were the values, not the base.
  await input.setInputFiles({
    name: 'base.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(base)),
  });
  await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(3);
  expect(errors).toEqual([]);
});
