import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, PlaygroundApi, PlaygroundPage } from './fixtures';

const HASH = '#backend=wasm&steps=100000&metricsEvery=10';

/** The row of run `id` in the "open in another tab" table of `page`. */
const rowElsewhere = (page: Page, id: string) =>
  page.getByRole('table', { name: 'Open in another tab' }).locator(`tr[data-run-id="${id}"]`);

/** The step shown there for run `id`. */
async function stepShownElsewhere(page: Page, id: string): Promise<number> {
  return Number((await rowElsewhere(page, id).getByRole('cell').nth(1).textContent()) ?? 'NaN');
}

/** The Loss chart of `page`. */
const lossChart = (page: Page) =>
  page.getByRole('region', { name: 'Charts' }).getByRole('img', { name: 'Loss', exact: true });

/**
 * The last step of the loss line drawn for a run in another tab, read from the Loss chart's text
 * alternative ("… <label> (in another tab) 0.123 at step 1,230; …"); -1 when there is none.
 */
async function chartStepElsewhere(page: Page): Promise<number> {
  const text = await lossChart(page).evaluate(
    (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
  );
  const m = /\(in another tab\) \S+ at step ([\d,]+)/.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : -1;
}

test.describe('two tabs of the app', () => {
  test('a run is trained and saved by one tab only; the other shows it, takes it over, and gets it back when that tab closes', async ({
    context,
    page,
  }) => {
    test.setTimeout(240_000);
    const errors: string[] = [];
    const watch = (p: Page) => p.on('pageerror', (e) => errors.push(e.message));
    watch(page);
    const a = new PlaygroundPage(page);
    const apiA = new PlaygroundApi(page);
    await a.open(HASH);
    await expect
      .poll(async () => (await apiA.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await a.play();
    await expect
      .poll(async () => (await apiA.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    const id = (await apiA.current())?.id ?? '';
    await page.waitForTimeout(2500); // saved at least once

    // Tab B: A's run is not B's to train; it is listed as open in another tab, updating.
    const pageB = await context.newPage();
    watch(pageB);
    const apiB = new PlaygroundApi(pageB);
    await new PlaygroundPage(pageB).open(HASH);
    const others = pageB.getByRole('table', { name: 'Open in another tab' });
    await expect(rowElsewhere(pageB, id)).toBeVisible({ timeout: 30_000 });
    await expect(others.getByRole('row')).toHaveCount(2);
    const axe = await new AxeBuilder({ page: pageB })
      .include('table[aria-label="Open in another tab"]')
      .analyze();
    const serious = axe.violations.filter((x) => ['serious', 'critical'].includes(x.impact ?? ''));
    expect(serious.map((x) => x.id)).toEqual([]);
    await expect.poll(async () => (await apiB.runs()).length, { timeout: 30_000 }).toBe(1);
    expect((await apiB.runs()).map((r) => r.id)).not.toContain(id);
    const seen = await stepShownElsewhere(pageB, id);
    expect(seen).toBeGreaterThan(50);
    await expect
      .poll(() => stepShownElsewhere(pageB, id), { timeout: 30_000 })
      .toBeGreaterThan(seen);
    expect((await apiA.current())?.status).toBe('running');
    await expect(rowElsewhere(pageB, id).getByRole('cell').first()).toHaveText(
      'training in another tab',
    );

    // B's charts draw A's run beside B's own, marked as in another tab, growing as A saves.
    const legendElsewhere = pageB
      .getByRole('region', { name: 'Charts' })
      .getByTestId('legend-entry')
      .filter({ hasText: '(in another tab)' });
    await expect(legendElsewhere.first()).toBeVisible({ timeout: 30_000 });
    const drawn = await chartStepElsewhere(pageB);
    expect(drawn).toBeGreaterThan(50);
    await expect.poll(() => chartStepElsewhere(pageB), { timeout: 30_000 }).toBeGreaterThan(drawn);
    // Two entries in the Loss chart's legend, B's run and A's, in colours of their own.
    const lossLegend = lossChart(pageB).locator('xpath=..').getByTestId('legend-entry');
    await expect(lossLegend).toHaveCount(2);
    const swatches = await lossLegend.evaluateAll((els) =>
      els.map((el) => getComputedStyle(el.querySelector('span') as Element).backgroundColor),
    );
    expect(new Set(swatches).size).toBe(2);

    // Take over: A saves the run and lets it go; B opens it, paused, where A left it.
    await rowElsewhere(pageB, id)
      .getByRole('button', { name: /^Take over / })
      .click();
    await expect
      .poll(async () => (await apiB.runs()).map((r) => r.id), { timeout: 30_000 })
      .toContain(id);
    await expect.poll(async () => (await apiA.runs()).map((r) => r.id)).not.toContain(id);
    await expect
      .poll(async () => (await apiB.runs()).find((r) => r.id === id)?.status, { timeout: 30_000 })
      .toBe('paused');
    const taken = (await apiB.runs()).find((r) => r.id === id);
    expect(taken?.step ?? 0).toBeGreaterThan(seen);
    // Now a run of B's: drawn as B's own, nothing on B's charts is in another tab.
    await expect(legendElsewhere).toHaveCount(0);
    expect(await chartStepElsewhere(pageB)).toBe(-1);
    await expect(lossLegend).toHaveCount(2);
    // A lists it now, beside B's own run (saved by B, so shown in A too).
    await expect(rowElsewhere(page, id)).toBeVisible({ timeout: 30_000 });
    // A, which no longer owns it, does not write it: its step in storage stays B's.
    const stepInB = taken?.step ?? 0;
    await page.waitForTimeout(4500);
    expect(await stepShownElsewhere(page, id)).toBe(stepInB);

    // B closes: its runs come back to A, at the step B had.
    const both = [...(await apiA.runs()), ...(await apiB.runs())].map((r) => r.id).sort();
    await pageB.close();
    await expect
      .poll(async () => (await apiA.runs()).map((r) => r.id).sort(), { timeout: 30_000 })
      .toEqual(both);
    expect((await apiA.runs()).find((r) => r.id === id)?.step).toBe(stepInB);
    await expect(page.getByRole('table', { name: 'Open in another tab' })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('a run deleted in one tab is not written back by the other', async ({ context, page }) => {
    test.setTimeout(180_000);
    const a = new PlaygroundPage(page);
    const apiA = new PlaygroundApi(page);
    await a.open(HASH);
    await expect
      .poll(async () => (await apiA.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await a.play();
    await expect
      .poll(async () => (await apiA.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(30);
    await a.pause();
    await page.waitForTimeout(2500);
    const run = await apiA.current();

    const pageB = await context.newPage();
    await new PlaygroundPage(pageB).open(HASH);
    await expect(rowElsewhere(pageB, run?.id ?? '')).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => chartStepElsewhere(pageB), { timeout: 30_000 }).toBe(run?.step);

    await page.getByRole('button', { name: `Delete ${run?.label ?? ''}`, exact: true }).click();
    await expect(rowElsewhere(pageB, run?.id ?? '')).toHaveCount(0, { timeout: 30_000 });
    // Gone from B's charts too.
    await expect.poll(() => chartStepElsewhere(pageB), { timeout: 30_000 }).toBe(-1);
    await pageB.waitForTimeout(4500); // two saver rounds in B
    await page.reload();
    await expect
      .poll(async () => (await apiA.runs()).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect((await apiA.runs()).map((r) => r.id)).not.toContain(run?.id);
    await pageB.close();
  });
});

test('a tab that hangs has its run taken after a few seconds, and leaves it alone when it wakes', async ({
  context,
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const a = new PlaygroundPage(page);
  const apiA = new PlaygroundApi(page);
  await a.open(HASH);
  await expect.poll(async () => (await apiA.current())?.status, { timeout: 60_000 }).toBe('paused');
  await a.play();
  await expect
    .poll(async () => (await apiA.current())?.step ?? 0, { timeout: 60_000 })
    .toBeGreaterThan(30);
  await page.waitForTimeout(2500);
  const id = (await apiA.current())?.id ?? '';

  const pageB = await context.newPage();
  pageB.on('pageerror', (e) => errors.push(e.message));
  const apiB = new PlaygroundApi(pageB);
  await new PlaygroundPage(pageB).open(HASH);
  await expect(rowElsewhere(pageB, id)).toBeVisible({ timeout: 30_000 });

  // Tab A hangs (its main thread busy for 9 s): it cannot answer the request.
  const hung = page.evaluate(() => {
    const until = Date.now() + 9000;
    while (Date.now() < until);
  });
  const asked = Date.now();
  await rowElsewhere(pageB, id)
    .getByRole('button', { name: /^Take over / })
    .click();
  await expect
    .poll(async () => (await apiB.runs()).map((r) => r.id), { timeout: 30_000 })
    .toContain(id);
  expect(Date.now() - asked).toBeGreaterThan(4000); // it waited for an answer first
  await expect
    .poll(async () => (await apiB.runs()).find((r) => r.id === id)?.status, { timeout: 30_000 })
    .toBe('paused');
  const stepInB = (await apiB.runs()).find((r) => r.id === id)?.step ?? 0;

  // A wakes: the run has left its screen, and A does not write it again.
  await hung;
  await expect.poll(async () => (await apiA.runs()).map((r) => r.id)).not.toContain(id);
  await expect(rowElsewhere(page, id)).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(4500);
  expect(await stepShownElsewhere(page, id)).toBe(stepInB);
  expect(errors).toEqual([]);
  await pageB.close();
});
