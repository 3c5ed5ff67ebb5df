import { expect, test } from './fixtures';

test.describe('cleared site data', () => {
  test('after the database is deleted under the open tab, the next save reopens it, says what was lost, and the run comes back after a reload', async ({
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
    await page.waitForTimeout(2500); // saved, paused, with its snapshot

    // "Clear site data" for IndexedDB only, as the browser's settings do it: the database is
    // deleted and this tab's connection to it is closed by the browser.
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(page.url()).origin;
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb' });
    await expect
      .poll(() => page.evaluate(async () => (await indexedDB.databases()).length))
      .toBe(0);

    await playground.play();
    await expect(page.getByRole('alert')).toContainText('saved data was deleted', {
      timeout: 30_000,
    });
    const said = (await page.getByRole('alert').textContent()) ?? '';
    expect(said).not.toMatch(/saved earlier are kept/);
    expect(said).toMatch(/gone/);
    await expect
      .poll(async () => (await api.current())?.step ?? 0)
      .toBeGreaterThan(((await api.current())?.step ?? 0) + 20);
    await playground.pause();
    await page.waitForTimeout(2500); // the paused run is saved again, into the new database
    const saved = await api.current();

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
