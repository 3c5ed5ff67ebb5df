import { readdirSync } from 'node:fs';
import { expect, test } from './fixtures';

/** Dataset files the build ships (public/data/*.bin); each must be served from the cache offline. */
function datasetFiles(): string[] {
  try {
    return readdirSync('dist-test/data').filter((f) => f.endsWith('.bin'));
  } catch {
    return [];
  }
}

test.describe('offline PWA', () => {
  test('after one online visit the app, the widget and the datasets work offline', async ({
    page,
    context,
    playground,
    api,
  }) => {
    test.setTimeout(90_000);
    await playground.open('#data.kind=xor&steps=40&metricsEvery=10&backend=wasm');
    // The first install precaches everything, then claims the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 30_000,
      })
      .toBe(true);
    const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifest).toBe('./manifest.webmanifest');

    await context.setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 30_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 30_000 })
      .toBe('finished');
    expect((await api.current())?.step).toBe(40);

    for (const file of datasetFiles()) {
      const size = await page.evaluate(async (url) => {
        const r = await fetch(url);
        return r.ok ? (await r.arrayBuffer()).byteLength : -r.status;
      }, `./data/${file}`);
      expect(size, file).toBeGreaterThan(0);
    }

    // The widget page, with its settings in the query, comes from the cache too.
    await page.goto('./embed.html?preset=xor-lamb&controls=lr&backend=wasm');
    await expect(page.getByText('XOR with LAMB')).toBeVisible();
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(() => page.evaluate(() => window.__embed?.state().step ?? 0), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // So do the docs page and embed.js.
    await page.goto('./docs/');
    const frame = page.frameLocator('#spiral iframe');
    await expect(frame.getByRole('button', { name: 'Play' })).toBeVisible();
    await context.setOffline(false);
  });
});
