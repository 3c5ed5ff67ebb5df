import { expect, test } from './fixtures';

const FAST = '#backend=wasm&steps=100000&metricsEvery=10';

test.describe('runs derived from a trained run', () => {
  test('"Prune and distill…" and "Fine-tune on…" each make a child run that trains', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(FAST);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(30);
    await playground.pause();
    const parent = (await api.runs())[0];
    const parentRow = page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1);

    // Prune to 8 units a layer, retrained by distillation from the parent.
    await parentRow.getByRole('button', { name: /^Prune and distill/ }).click();
    const prune = page.getByRole('dialog', { name: /Prune and distill/ });
    await prune.getByLabel('Layer 1 width (of 32)').fill('8');
    await prune.getByLabel('Layer 2 width (of 32)').fill('8');
    await prune.getByLabel('Layer 2 width (of 32)').blur();
    await expect(prune.getByLabel('Retraining loss')).toHaveValue('kd');
    await prune.getByRole('button', { name: 'Prune and train' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    const pruned = (await api.runs())[1];
    expect(pruned.parentId).toBe(parent.id);
    const prunedConfig = pruned.history[0].config;
    expect(prunedConfig.model.kind === 'mlp' && prunedConfig.model.hidden).toEqual([8, 8]);
    expect(prunedConfig.init).toEqual({ from: 'parent', prune: { calibration: 1024 } });
    expect(prunedConfig.distill).toEqual({ temperature: 1, weight: 1 });
    await expect
      .poll(async () => (await api.runs())[1].step, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(20);
    expect((await api.runs())[1].failure).toBeNull();

    // Fine-tune the parent's weights on another 2-D dataset.
    await parentRow.getByRole('button', { name: /^Fine-tune on/ }).click();
    const tune = page.getByRole('dialog', { name: /Fine-tune/ });
    await tune.getByLabel('Fine-tune on').selectOption({ label: 'circles' });
    await tune.getByRole('button', { name: 'Fine-tune' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(3);
    const tuned = (await api.runs())[2];
    expect(tuned.parentId).toBe(parent.id);
    expect(tuned.history[0].config.data.kind).toBe('circles');
    expect(tuned.history[0].config.init).toEqual({ from: 'parent' });
    await expect
      .poll(async () => (await api.runs())[2].step, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(20);
    const t = (await api.runs())[2];
    expect(t.failure).toBeNull();
    // It starts fresh at step 1, not at the parent's step.
    expect(t.history[0].fromStep).toBe(0);

    // With the parent gone from the chart, its curves stay beside the children's as a reference.
    // (Labels name what differs between runs, so the parent's changed when the children came.)
    await parentRow.getByRole('checkbox', { name: /^Show .* on the charts$/ }).uncheck();
    await expect(page.getByText(/^parent of /).first()).toBeVisible();
  });
});
