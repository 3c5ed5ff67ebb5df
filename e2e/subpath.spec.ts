import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, PlaygroundApi, test } from './fixtures';
import { startServer, staticFiles, type TestServer } from '../scripts/static-server';

const SUB = '/sub/path/';

test.describe('the build under a sub-path', () => {
  let dir: string;
  let server: TestServer;

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'playground-subpath-'));
    // The test build (the shipped one plus the test hook this reads).
    cpSync('dist-test', join(dir, 'sub', 'path'), { recursive: true });
    server = await startServer(staticFiles(dir));
  });
  test.afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('dist-test/ copied under /sub/path/ trains, embeds and registers its service worker there', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const outside: string[] = [];
    const failed: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === server.origin && !url.pathname.startsWith(SUB)) outside.push(url.pathname);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    page.on('requestfailed', (req) => failed.push(`${req.failure()?.errorText} ${req.url()}`));

    const base = `${server.origin}${SUB}`;
    await page.goto(`${base}#data.kind=xor&steps=40&metricsEvery=10&backend=wasm`);
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    const api = new PlaygroundApi(page);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 30_000 })
      .toBe('paused');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 30_000 })
      .toBe('finished');
    expect((await api.current())?.backend).toBe('wasm');

    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(base);

    // The docs page finds embed.js and embed.html beside it, under the same sub-path.
    await page.goto(`${base}docs/`);
    // WASM is the fast backend here; changing an attribute reloads the widget's iframe.
    await page.locator('#xor').evaluate((el) => el.setAttribute('backend', 'wasm'));
    const frame = page.frameLocator('#xor iframe');
    await frame.getByRole('button', { name: 'Play' }).click();
    await expect(frame.getByLabel('Step count')).not.toHaveText(/^step 0 /, { timeout: 45_000 });

    expect(outside).toEqual([]);
    expect(failed.filter((f) => !f.includes('net::ERR_ABORTED'))).toEqual([]);
  });
});
