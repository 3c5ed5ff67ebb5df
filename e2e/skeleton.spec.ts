import { expect, test } from './fixtures';

test.describe('training in a worker on WebGPU', () => {
  test('Play trains the default spiral run until the loss halves', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(240_000);
    // Asked for explicitly: `auto` measures the backends and, with a software adapter like this
    // machine's, picks WASM (e2e/models.spec.ts checks that).
    await playground.open('#backend=webgpu');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();

    await expect
      .poll(
        async () => {
          const run = await api.current();
          return run !== undefined && run.step >= 200 && run.loss < run.firstLoss / 2;
        },
        { timeout: 200_000, intervals: [1000] },
      )
      .toBe(true);

    const run = await api.current();
    expect(run?.backend).toBe('webgpu');
    expect(run?.status).toBe('running');
    expect(run?.boundaryFrames).toBeGreaterThan(1);
    await expect(page.getByRole('status', { name: 'Backend' })).toContainText('WebGPU');
    await playground.pause();
    await expect.poll(async () => (await api.current())?.status).toBe('paused');
  });

  test('Step trains one chunk while paused and redraws the boundary', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#data.kind=circles&steps=100&metricsEvery=5');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const before = (await api.current())?.boundaryFrames ?? 0;
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(async () => (await api.current())?.step).toBe(5);
    await expect.poll(async () => (await api.current())?.boundaryFrames).toBeGreaterThan(before);
  });
});

test.describe('config in the URL', () => {
  test('a shared link restores the config after a reload', async ({ playground, api, page }) => {
    await playground.open(
      '#data.kind=xor&model.hidden=8,4&model.activation=tanh&optimizer.kind=sgd&optimizer.lr=0.3&batchSize=16&seed=7',
    );
    const config = await api.config();
    expect(config).toMatchObject({
      seed: 7,
      batchSize: 16,
      data: { kind: 'xor' },
      model: { hidden: [8, 4], activation: 'tanh' },
      optimizer: { kind: 'sgd', lr: 0.3 },
    });
    await expect(page.getByRole('radio', { name: 'Exclusive or' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await expect(page.getByRole('combobox', { name: 'Optimizer' })).toHaveValue('sgd');

    // Change a setting in the UI: the hash follows, and a reload restores it.
    await page.getByRole('combobox', { name: 'Batch size' }).selectOption('64');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('batchSize=64');
    await page.reload();
    await expect.poll(async () => (await api.config())?.batchSize).toBe(64);
    expect((await api.config())?.model).toMatchObject({ hidden: [8, 4] });
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('a garbage hash shows a message and falls back to defaults', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#optimizer.lr=banana&data.kind=moons');
    await expect(page.getByRole('alert')).toContainText("This link's settings could not be read");
    const config = await api.config();
    expect(config?.data.kind).toBe('spiral');
    expect(config?.optimizer.kind).toBe('adam');
  });
});
