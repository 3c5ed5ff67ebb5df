import { expect, test } from './fixtures';

test.describe('optimizer lab', () => {
  test('switching the optimizer while a run trains marks the switch and keeps training', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&metricsEvery=5');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect.poll(async () => (await api.current())?.step ?? 0).toBeGreaterThanOrEqual(20);

    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('lamb');
    await expect.poll(async () => (await api.current())?.switches.length).toBe(1);
    const run = await api.current();
    expect(run?.optimizer).toBe('lamb');
    expect(run?.status).toBe('running');
    const switchStep = run?.switches[0]?.step ?? 0;
    expect(switchStep).toBeGreaterThanOrEqual(20);
    expect(run?.switches[0]?.label).toContain('lamb');

    // Training goes on past the switch with a finite loss, and the charts draw the marker.
    await expect
      .poll(async () => (await api.current())?.step ?? 0)
      .toBeGreaterThan(switchStep + 20);
    expect(Number.isFinite((await api.current())?.loss)).toBe(true);
    await expect(page.getByRole('img', { name: 'Loss' })).toHaveAttribute('data-markers', '1');

    // The per-layer view shows LAMB's trust ratio for the hidden kernels.
    const table = page.getByRole('table', { name: 'Per-layer internals' });
    await expect(table.getByRole('row', { name: /dense0\/w/ })).toBeVisible();
    await expect
      .poll(async () =>
        (
          await table
            .getByRole('row', { name: /dense0\/w/ })
            .getByRole('cell')
            .last()
            .textContent()
        )?.trim(),
      )
      .toMatch(/^\d/);
  });

  test('each optimizer explains itself and links to its paper', async ({ playground, page }) => {
    await playground.open();
    for (const kind of ['lion', 'muon', 'lars']) {
      await page.getByRole('combobox', { name: 'Optimizer' }).selectOption(kind);
      await expect(page.getByRole('link', { name: 'Paper' })).toHaveAttribute(
        'href',
        /^https:\/\//,
      );
      await expect(page.getByText(/settings$/)).toBeVisible();
    }
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('optimizer.kind=lars');
  });
});
