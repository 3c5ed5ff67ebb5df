import { expect, test } from './fixtures';

test.describe('paper gallery', () => {
  test('every preset has a card; the LayerNorm preset runs to a verdict', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(240_000);
    await playground.open('#backend=wasm');
    await page.getByText('Paper gallery').click();
    const gallery = page.getByRole('region', { name: 'Paper gallery' });
    await expect(gallery.getByRole('listitem')).toHaveCount(19);
    await gallery
      .getByRole('button', { name: 'Quick look at Layer normalization', exact: false })
      .first()
      .click();
    await expect(page.getByRole('status', { name: 'Preset result' })).toBeVisible();
    await expect
      .poll(
        async () => (await page.evaluate(() => window.__playground?.verdict()))?.outcome ?? null,
        { timeout: 200_000, intervals: [2000] },
      )
      .toMatch(/^(pass|fail|inconclusive)$/);
    const verdict = await page.evaluate(() => window.__playground?.verdict());
    expect(verdict?.summary.length).toBeGreaterThan(10);
    await expect(page.getByRole('status', { name: 'Preset result' })).toContainText(
      verdict?.outcome ?? '',
    );
    // What the verdict rests on: one row per arm (8), its rate, and each of its 3 seeds.
    const seeds = page.getByRole('table', { name: 'Per-seed results' });
    await expect(seeds.getByRole('row')).toHaveCount(1 + 8);
    await expect(seeds.getByRole('columnheader')).toHaveCount(2 + 3);
    await expect(seeds.getByRole('row', { name: /^layer B=64 SGD/ })).toContainText(
      /\d\.\d+ · \d+\.\d%/,
    );
    // The charts the verdict read: steps to the loss target (4 arms and the target level) and the
    // batch-size shift read at each arm's final evaluation (a marker).
    const reads = page.getByLabel('What the verdict read');
    const target = reads.getByRole('img', { name: /steps until it reaches/ });
    await expect(target).toHaveAttribute('data-lines', '5');
    const shift = reads.getByRole('img', { name: /Batch-size shift/ });
    await expect(shift).toHaveAttribute('data-lines', '4');
    await expect(shift).not.toHaveAttribute('data-markers', '0');
    expect((await api.runs()).every((r) => r.backend === 'wasm' || r.backend === null)).toBe(true);
  });
});
