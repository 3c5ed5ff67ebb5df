import { expect, test } from './fixtures';

test.describe('saving after a failure', () => {
  test("after one run's worker crashes, a run added later is still saved and comes back after a reload", async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open('#backend=wasm&steps=100000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    const crashed = (await api.current())?.id ?? '';
    expect(await page.evaluate((id) => window.__playground?.crash(id), crashed)).toBe(true);
    await expect
      .poll(async () => (await api.runs()).find((r) => r.id === crashed)?.status)
      .toBe('failed');
    await page.waitForTimeout(2500); // the saver has tried the dead worker at least once

    await page.getByRole('button', { name: 'Add run' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    const added = (await api.current())?.id ?? '';
    expect(added).not.toBe(crashed);
    // Add run makes a paused draft of the shown settings; Play starts it.
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toMatch(/^(draft|paused|running)$/);
    if ((await api.current())?.status !== 'running') await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    await playground.pause();
    await expect.poll(async () => (await api.current())?.status).toBe('paused');
    await page.waitForTimeout(4500); // two saver rounds
    const before = (await api.runs()).find((r) => r.id === added);
    expect(before?.step ?? 0).toBeGreaterThan(50);

    await page.reload();
    await expect
      .poll(async () => (await api.runs()).map((r) => r.id).sort(), { timeout: 30_000 })
      .toEqual([crashed, added].sort());
    const after = (await api.runs()).find((r) => r.id === added);
    expect(after?.step).toBe(before?.step);
    expect(after?.points).toBe(before?.points);
  });

  test('a tab being left saves its training run with a fresh snapshot at once', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=100000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    // Snapshots of a training run come every 10 s; this one was taken near its start.
    await page.waitForTimeout(3000);
    const left = (await api.current())?.step ?? 0;
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    await page.waitForTimeout(1500);
    await page.reload();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const back = await api.current();
    expect(back?.step ?? 0).toBeGreaterThanOrEqual(left);
    expect(back?.points).toBe(back?.step);
  });
});
