import { expect, test } from './fixtures';

test.describe('pretraining objectives', () => {
  test('the objective choice reaches the run, which trains and shows its probe accuracies', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(
      '#data.kind=chars&data.sequenceLength=16&model.kind=transformer&model.dim=16&backend=wasm&metricsEvery=5',
    );
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const objective = page.getByRole('combobox', { name: 'Pretraining objective' });
    await expect(objective).toHaveValue('causal');
    await objective.selectOption('electra');
    await expect
      .poll(async () => {
        const m = (await api.config())?.model;
        return m?.kind === 'transformer' ? m.objective : undefined;
      })
      .toBe('electra');
    await expect(page.getByLabel('RTD loss weight λ')).toHaveValue('50');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 90_000 })
      .toBeGreaterThanOrEqual(20);
    expect(Number.isFinite((await api.current())?.loss)).toBe(true);
    await expect
      .poll(async () => (await api.current())?.views ?? [], { timeout: 60_000 })
      .toContain('probes');
    const table = page.getByRole('table', { name: 'Probe accuracies' });
    await expect(table.getByRole('row', { name: /domain/ })).toBeVisible();
    await expect(table.getByRole('row', { name: /brackets/ })).toBeVisible();
    for (const cell of await table.getByTestId('probe-accuracy').all())
      await expect(cell).toHaveText(/^\d+(\.\d)?%$/);
    // Causal LM's text samples are not shown for an encoder.
    expect((await api.current())?.views).not.toContain('text-samples');
  });
});
