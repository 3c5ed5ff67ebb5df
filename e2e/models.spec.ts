import { expect, test } from './fixtures';

test.describe('models and their views', () => {
  test('the MNIST CNN trains a few steps and shows its predictions', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    // WASM: the engine registers the convolution gradients TF.js's WASM backend lacks.
    await playground.open(
      '#data.kind=mnist&data.trainSamples=500&model.kind=cnn&backend=wasm&metricsEvery=2&batchSize=16',
    );
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 90_000 })
      .toBe('paused');
    expect((await api.current())?.backend).toBe('wasm');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 120_000 })
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(async () => (await api.current())?.views ?? [])
      .toEqual(expect.arrayContaining(['predictions', 'confusion']));
    const grid = page.getByRole('list', { name: 'Test predictions' });
    await expect(grid.getByTestId('digit')).toHaveCount(36);
    await expect(page.getByRole('table', { name: 'Confusion matrix' })).toBeVisible();
    expect(Number.isFinite((await api.current())?.loss)).toBe(true);
  });

  test('auto times the backends for a CNN and says what it measured', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#data.kind=mnist&data.trainSamples=200&model.kind=cnn&backend=auto');
    await expect
      .poll(async () => (await api.current())?.backend, { timeout: 90_000 })
      .not.toBeNull();
    await expect(page.getByRole('status', { name: 'Backend' })).toContainText('measured fastest');
  });

  test('the character language model trains and writes text', async ({ playground, api, page }) => {
    await playground.open('#data.kind=chars&model.kind=transformer&backend=wasm&metricsEvery=5');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 90_000 })
      .toBeGreaterThanOrEqual(20);
    await expect.poll(async () => (await api.current())?.views ?? []).toContain('text-samples');
    const samples = page
      .getByRole('list', { name: 'Generated text samples' })
      .getByRole('listitem');
    await expect(samples.first()).toBeVisible();
    expect(((await samples.first().textContent()) ?? '').trim().length).toBeGreaterThan(5);
    await api.untilLossFalls();
  });
});
