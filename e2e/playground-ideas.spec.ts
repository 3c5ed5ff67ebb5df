import { expect, test } from './fixtures';

test.describe('TensorFlow Playground ideas', () => {
  test('toggling x1^2 and x2^2 changes the config, and the run trains on them', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&data.kind=circles&steps=100000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const features = page.getByTestId('features');
    await features.getByRole('checkbox', { name: 'x₁²' }).check();
    await features.getByRole('checkbox', { name: 'x₂²' }).check();
    await expect
      .poll(async () => (await api.config())?.data)
      .toMatchObject({ features: ['x1', 'x2', 'x1^2', 'x2^2'] });
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    await api.untilLossFalls();
    await expect(page.getByTestId('heatmap-legend')).toContainText('Probability of the blue class');
    await page.getByText('Network diagram', { exact: true }).click();
    const diagram = page.getByTestId('network-diagram');
    await expect(diagram.locator('image')).toHaveCount(4 + 32 + 32 + 2);
    await expect(diagram.locator('line title').first()).toHaveText(/^weight -?\d/);
  });

  test('the L2 control changes the config; Regenerate data picks a new data seed', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=100000');
    const reg = page.getByTestId('regularization');
    await reg.getByLabel('Regularisation').selectOption('l2');
    await expect
      .poll(async () => (await api.config())?.regularization)
      .toEqual({ kind: 'l2', rate: 0.001 });
    await reg.getByLabel('Rate').selectOption('0.01');
    await expect
      .poll(async () => (await api.config())?.regularization)
      .toEqual({ kind: 'l2', rate: 0.01 });
    await page.getByTestId('regenerate').click();
    await expect.poll(async () => (await api.config())?.data).toMatchObject({ dataSeed: 2 });
  });
});
