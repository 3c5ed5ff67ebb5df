import { expect, test } from './fixtures';

test.describe('full storage', () => {
  test('when IndexedDB refuses writes the run keeps training, the user is told what to do, and what was saved stays loadable', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await playground.open('#backend=wasm&steps=100000&metricsEvery=10');
    await api.untilStatus('paused');
    await playground.play();
    await api.untilPast(50);
    await playground.pause();
    await page.waitForTimeout(2500); // the paused run is saved with its snapshot
    const saved = await api.current();
    await expect(
      page.getByText(/^Saved runs and the offline app use .+ of .+ in this browser/),
    ).toBeVisible();

    // The disk fills: from now on IndexedDB refuses every write as a full disk does, with a
    // QuotaExceededError, and the transaction it was in is rolled back. (CDP's
    // Storage.overrideQuotaForOrigin has no effect on Playwright's browser contexts.)
    await page.evaluate(() => {
      IDBObjectStore.prototype.put = function refuse(): IDBRequest<IDBValidKey> {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await playground.play();
    await expect(page.getByRole('alert')).toContainText("The browser's storage is full", {
      timeout: 30_000,
    });
    await expect(page.getByRole('alert')).toContainText('delete or export old runs');
    const during = (await api.current())?.step ?? 0;
    await expect.poll(async () => (await api.current())?.step ?? 0).toBeGreaterThan(during + 20);
    expect((await api.current())?.status).toBe('running');
    await playground.pause();

    await page.waitForTimeout(2500); // the saver tries the paused run again, and fails
    await expect(page.getByRole('alert')).toContainText("The browser's storage is full");

    // The tab closes with the disk full; the next one finds the run as it was last saved, whole.
    await page.reload();
    await expect
      .poll(async () => (await api.runs()).map((r) => r.id), { timeout: 30_000 })
      .toEqual([saved?.id]);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const back = await api.current();
    expect(back?.step).toBe(saved?.step);
    expect(back?.points).toBe(saved?.points);
    expect(errors).toEqual([]);
  });
});
