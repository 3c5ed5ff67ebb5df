import { expect, test } from './fixtures';

test.describe('in-context learning (GPICL)', () => {
  test('the task is picked in the dataset picker and its number of tasks is a knob', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open();
    const tile = page
      .getByRole('radiogroup', { name: 'Dataset' })
      .getByRole('radio', { name: 'In-context tasks' });
    await tile.click();
    await expect(tile).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await api.config())?.data.kind).toBe('in-context');
    expect((await api.config())?.model.kind).toBe('transformer');
    await page.getByLabel('Training tasks').selectOption('fresh');
    await expect
      .poll(async () => {
        const data = (await api.config())?.data;
        return data?.kind === 'in-context' ? data.tasks : null;
      })
      .toBe('fresh');
  });

  test('a run trains and the per-position view shows accuracies', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(
      '#data.kind=in-context&data.tasks=16&data.sequenceLength=8&model.kind=transformer' +
        '&model.dim=16&model.layers=1&backend=wasm&metricsEvery=5&batchSize=16&optimizer.lr=0.01',
    );
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 120_000 })
      .toBeGreaterThanOrEqual(30);
    await expect.poll(async () => (await api.current())?.views ?? []).toContain('in-context');
    const table = page.getByRole('table', { name: 'Accuracy by position' });
    await expect(table).toBeVisible();
    const unseen = table.getByRole('row', { name: /unseen tasks/ }).getByRole('cell');
    await expect(unseen).not.toHaveCount(0);
    const cells = await unseen.allTextContents();
    for (const c of cells) expect(c).toMatch(/^\d{1,3}%$/);
    const trained = await table
      .getByRole('row', { name: /training tasks/ })
      .getByRole('cell')
      .allTextContents();
    expect(trained.length).toBe(cells.length);
    await api.untilLossFalls();
  });
});
