import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A CSV whose labels hold quoted commas: the old hand-written reader split them. */
const CSV =
  'width,"height, cm",label\n' +
  Array.from({ length: 40 }, (_, i) => {
    const big = i % 2 === 1;
    return `${big ? 0.8 + (i % 5) / 50 : 0.1 + (i % 5) / 50},${big ? 0.9 - (i % 3) / 40 : 0.2 + (i % 3) / 40},"${big ? 'big, red' : 'small, blue'}"`;
  }).join('\n') +
  '\n';

const CSV_RUN = '#data.kind=csv&model.kind=mlp&backend=wasm&steps=60&metricsEvery=10';
const CSV_FIELD = 'Your CSV: numeric columns, the last one a class label';

/** Pastes text into the data panel at once (typing 300,000 characters would take minutes). */
async function paste(page: Page, text: string): Promise<void> {
  await page.getByLabel(CSV_FIELD).evaluate((el, t) => {
    (el as HTMLTextAreaElement).value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

test.describe('the user data is stored apart from the config', () => {
  test('a pasted CSV with quoted commas trains, survives a reload, and stays out of the URL', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(CSV_RUN);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await paste(page, CSV);
    await page.getByRole('button', { name: 'Use this table' }).click();
    await expect
      .poll(async () => {
        const data = (await api.config())?.data;
        return data && 'dataset' in data ? data.dataset : '';
      })
      .toMatch(/^sha256:[0-9a-f]{64}$/);
    const id = ((await api.config())?.data as { dataset: string }).dataset;

    // The hash names the data by id only: none of the text is in it.
    await expect
      .poll(() => page.evaluate(() => decodeURIComponent(location.hash)))
      .toContain(`data.dataset=${id}`);
    const hash = await page.evaluate(() => decodeURIComponent(location.hash));
    for (const piece of ['big', 'red', 'height', '0.8']) expect(hash).not.toContain(piece);
    expect(hash.length).toBeLessThan(1000);

    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 90_000 })
      .toBe('finished');
    const trained = await api.current();
    expect(trained?.failure).toBeNull();
    expect(trained?.step).toBe(60);
    expect(trained?.loss).toBeLessThan(trained?.firstLoss ?? 0);
    // Both classes, as two labels with commas in them, reached the model.
    expect(trained?.views).toContain('confusion');
    // Saved every two seconds; give it time to write.
    await page.waitForTimeout(3000);

    await page.reload();
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    // Restored paused at its last step (a reload does not keep "finished"), not failed for want of its data.
    await expect
      .poll(async () => (await api.runs()).find((r) => r.id === trained?.id)?.status, {
        timeout: 60_000,
      })
      .toBe('paused');
    const back = (await api.runs()).find((r) => r.id === trained?.id);
    expect(back?.failure).toBeNull();
    expect(back?.step).toBe(60);
    expect(back?.points).toBe(trained?.points);
    expect((await api.config())?.data).toMatchObject({ kind: 'csv', dataset: id });
    // The text is back in the panel, read from this browser's storage by its id.
    await expect(page.getByLabel(CSV_FIELD)).toHaveValue(CSV);
    expect(await page.evaluate(() => location.hash)).not.toContain('big');
    expect(
      await page.evaluate(() => (window.__playground as { message(): string | null }).message()),
    ).toBeNull();
  });

  test('a hash naming data this browser does not have says so and shows the defaults', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(`#data.kind=csv&data.dataset=sha256:${'ab'.repeat(32)}&model.kind=mlp`);
    await expect(page.getByRole('alert').first()).toContainText('not stored in this browser');
    await expect.poll(async () => (await api.config())?.data.kind).toBe('spiral');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
  });

  test('the data panel refuses a CSV over the size limit before any run is made', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(CSV_RUN);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const runs = (await api.runs()).length;
    await paste(page, '0.5,0.25,a\n'.repeat(50_000));
    await expect(page.getByRole('alert')).toContainText(
      'The CSV has 550,000 characters; at most 500,000 are allowed',
    );
    await expect(page.getByRole('button', { name: 'Use this table' })).toBeDisabled();
    expect((await api.runs()).length).toBe(runs);
  });

  test('Share link carries a small CSV, and says when one is too large to share', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(CSV_RUN);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await paste(page, CSV);
    await page.getByRole('button', { name: 'Use this table' }).click();
    await expect.poll(async () => JSON.stringify((await api.config())?.data)).toContain('sha256:');
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByLabel('Share link').inputValue();
    expect(link).toMatch(/#compare=z\.[A-Za-z0-9_-]+$/);

    // The link opens the run, its CSV included, in a browser that has never seen it.
    const fresh = await page.context().browser()?.newContext();
    const other = await fresh?.newPage();
    if (!fresh || !other) throw new Error('no second context');
    await other.goto(link);
    await expect
      .poll(
        () =>
          other.evaluate(
            () =>
              (window.__playground as { runs(): { status: string }[] } | undefined)?.runs()[0]
                ?.status,
          ),
        { timeout: 60_000 },
      )
      .toBe('paused');
    await expect(other.getByLabel(CSV_FIELD)).toHaveValue(CSV);
    await fresh.close();

    // About 300,000 characters of random numbers: allowed to train, too large for a link.
    let seed = 11;
    const r = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32).toFixed(5);
    const big =
      'x,y,label\n' + Array.from({ length: 18_000 }, (_, i) => `${r()},${r()},${i % 2}`).join('\n');
    await paste(page, big);
    await page.getByRole('button', { name: 'Use this table' }).click();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await page.getByRole('button', { name: 'Share link' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'too large to share' })).toContainText(
      'Export runs',
    );
    await expect(page.getByLabel('Share link')).toHaveCount(0);
  });

  test('an export holds the data its runs use: imported in another browser, the run trains', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(CSV_RUN);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await paste(page, CSV);
    await page.getByRole('button', { name: 'Use this table' }).click();
    await expect.poll(async () => JSON.stringify((await api.config())?.data)).toContain('sha256:');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export runs' }).click(),
    ]);
    const file = await download.path();
    const json = JSON.parse(await readFile(file, 'utf8')) as { datasets: { text: string }[] };
    expect(json.datasets.map((d) => d.text)).toEqual([CSV]);

    const fresh = await page.context().browser()?.newContext();
    const other = await fresh?.newPage();
    if (!fresh || !other) throw new Error('no second context');
    await other.goto('./#backend=wasm');
    const hook = () =>
      other.evaluate(() =>
        (
          window.__playground as
            { runs(): { status: string; step: number; failure: string | null }[] } | undefined
        )?.runs(),
      );
    await expect.poll(async () => (await hook())?.[0]?.status, { timeout: 60_000 }).toBe('paused');
    await other.getByLabel('Import runs from a JSON file').setInputFiles(file);
    await expect(other.getByRole('alert')).toContainText('Imported 1 run');
    await expect.poll(async () => (await hook())?.length).toBe(2);
    await expect.poll(async () => (await hook())?.[1]?.status, { timeout: 60_000 }).toBe('paused');
    await other.getByRole('button', { name: 'Play', exact: true }).click();
    await expect
      .poll(async () => (await hook())?.[1]?.status, { timeout: 90_000 })
      .toBe('finished');
    expect((await hook())?.[1]?.failure).toBeNull();
    await fresh.close();
  });
});
