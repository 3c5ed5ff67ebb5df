import { expect, test } from './fixtures';

test.describe('sorted training', () => {
  test('the toggle turns on nested widths: the run reports accuracy at every width', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&metricsEvery=5');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const view = page.getByTestId('sorted-widths');
    // A standard MLP run: the slider is there, the per-width table is not.
    await expect(view.getByText('Turn on sorted training')).toBeVisible();
    await expect(view.getByTestId('width-row')).toHaveCount(0);

    await page.getByRole('checkbox', { name: 'Sorted training (nested widths)' }).check();
    await expect
      .poll(async () => (await api.config())?.sorted?.widths)
      .toEqual([0.25, 0.5, 0.75, 1]);
    await expect(page.getByRole('checkbox', { name: '12.5%' })).not.toBeChecked();
    await expect(page.getByRole('checkbox', { name: '25%', exact: true })).toBeChecked();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect.poll(async () => (await api.current())?.step ?? 0).toBeGreaterThanOrEqual(20);

    // One row per trained width, each with an accuracy read from the run.
    const rows = view.getByTestId('width-row');
    await expect(rows).toHaveCount(4);
    await expect(rows.first().getByRole('cell').first()).toHaveText('25%');
    for (let i = 0; i < 4; i++)
      await expect(rows.nth(i).getByRole('cell').last()).toHaveText(/^[01]\.\d{3}$/);

    // The slider cuts the run to a quarter and says what that width scores.
    await view.getByRole('slider', { name: /Cut to width/ }).fill('0.25');
    await expect(view.getByTestId('width-at')).toContainText(/At 25%: test accuracy [01]\.\d{3}/);
  });
});
