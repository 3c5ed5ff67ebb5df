import { expect, test } from './fixtures';

test.describe('schedules and quantization', () => {
  test('the schedule preview follows the editor, and WSD can branch a decay from the stable phase', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=20000&metricsEvery=10');
    await page.getByLabel('Schedule', { exact: true }).selectOption('wsd');
    await expect(page.getByTestId('schedule-preview')).toBeVisible();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('schedule.kind=wsd');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    // Past the 5% warmup, inside the stable phase.
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 90_000 })
      .toBeGreaterThan(1100);
    await page.getByRole('button', { name: 'Decay now' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    const [parent, branch] = await api.runs();
    expect(branch.parentId).toBe(parent.id);
    const config = await page.evaluate(() => window.__playground?.config());
    expect(config?.schedule.kind).toBe('wsd');
  });

  test('switching to ternary weights mid-run keeps training and shows the quantized weights', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=20000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(100);
    await page.getByLabel('Number format').selectOption('b1.58-absmean');
    await expect.poll(async () => (await api.current())?.switches.length).toBe(1);
    await expect
      .poll(async () => (await api.current())?.quantizedTensors ?? [])
      .toEqual(['dense0/w', 'dense1/w']);
    await expect(
      page
        .getByRole('list', { name: 'Weight histograms' })
        .getByRole('listitem', { name: 'dense1/w weights' }),
    ).toContainText('quantized');
    const step = (await api.current())?.step ?? 0;
    await expect.poll(async () => (await api.current())?.step ?? 0).toBeGreaterThan(step + 50);
    expect(Number.isFinite((await api.current())?.loss)).toBe(true);
  });
});
