import { expect, test } from './fixtures';

test('an import file over the size cap is refused at once, without a page error', async ({
  playground,
  api,
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await playground.open('#backend=wasm&steps=500');
  await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(1);
  await page.getByLabel('Import runs from a JSON file').setInputFiles({
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.alloc(21_000_000, 0x20),
  });
  // Handing the file to the page takes a while; what follows is the app's share.
  const started = Date.now();
  await expect
    .poll(() => page.evaluate(() => window.__playground?.message() ?? ''))
    .toBe('huge.json was not imported: it is larger than 20 MB. Nothing was changed.');
  expect(Date.now() - started).toBeLessThan(3_000);
  expect((await api.runs()).length).toBe(1);
  expect(errors).toEqual([]);
});
