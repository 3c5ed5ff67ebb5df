import { expect, test } from './fixtures';

/** The hard mini-batches knob (docs/algorithms.md#hard-mini-batches) beside the batch size. */
test('hard batches δ=0.5: the config takes it, and an epoch takes fewer steps', async ({
  playground,
  api,
  page,
}) => {
  await playground.open('#backend=wasm&steps=60&metricsEvery=10');
  await expect.poll(async () => (await api.current())?.status, { timeout: 60_000 }).toBe('paused');
  const knob = page.getByRole('combobox', { name: 'Hard batches δ' });
  await expect(knob).toHaveValue('1');
  await knob.selectOption('0.5');
  await expect
    .poll(async () => (await api.config())?.batching)
    .toEqual({ kind: 'hard', keep: 0.5 });
  await expect(page.locator('#hard-note')).toContainText('one extra forward pass');
  await expect.poll(async () => (await api.current())?.status, { timeout: 60_000 }).toBe('paused');
  await playground.play();
  await expect
    .poll(async () => (await api.current())?.status, { timeout: 60_000 })
    .toBe('finished');
  // 200 training points in batches of 32 make 7 batches an epoch; δ=0.5 trains the hardest 4, so
  // 60 steps are 15 epochs (plain training: 60·32/200 = 9.6).
  await expect(page.getByLabel('Epoch count')).toHaveText('15.0');
  expect((await api.current())?.history[0].config.batching).toEqual({ kind: 'hard', keep: 0.5 });
  // The charts can draw against epochs: the loss chart's text alternative ends at epoch 15.
  await page.getByLabel('x axis').first().selectOption('epoch');
  await expect(page.getByText(/^Loss, latest values: .* at epoch 15[.;]/).first()).toBeAttached();
});
