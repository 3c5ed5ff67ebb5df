import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, PlaygroundApi, test } from './fixtures';
import { startServer, staticFiles, type TestServer } from '../scripts/static-server';

/**
 * A new version of the app deployed while a tab has the old one open. The copy of dist-test/ this
 * serves carries a marker asset, version.txt, precached like every other file; "deploying"
 * version 2 rewrites it, puts a marker in index.html and changes both files' revisions in sw.js,
 * as a real build does for every file that changed.
 */

/** `sw.js` with the version marker added to its precache manifest at `revision`. */
function withMarker(sw: string, revision: string): string {
  const entry = '{url:"index.html",revision:"';
  if (!sw.includes(entry)) throw new Error('sw.js has no precache entry for index.html');
  return sw.replace(entry, `{url:"version.txt",revision:"${revision}"},${entry}`);
}

function deploy(dir: string, version: number, original: { sw: string; html: string }): void {
  writeFileSync(join(dir, 'version.txt'), String(version));
  const html =
    version === 1
      ? original.html
      : original.html.replace(
          '<head>',
          `<head><meta name="playground-version" content="${version}">`,
        );
  writeFileSync(join(dir, 'index.html'), html);
  // The new index.html needs a new revision too, or the new worker would keep the old page.
  const sw = withMarker(original.sw, `v${version}`).replace(
    /(\{url:"index\.html",revision:")[0-9a-f]+"/,
    `$1${version === 1 ? 'a' : 'b'}${'0'.repeat(31)}"`,
  );
  writeFileSync(join(dir, 'sw.js'), sw);
}

/** What the page runs: the marker in its document and the marker asset it fetches. */
async function versionSeen(page: Page): Promise<{ html: string | null; asset: string }> {
  return page.evaluate(async () => ({
    html:
      document.querySelector('meta[name="playground-version"]')?.getAttribute('content') ?? null,
    asset: await (await fetch('./version.txt')).text(),
  }));
}

test.describe('a new version of the app', () => {
  let dir: string;
  let server: TestServer;
  let original: { sw: string; html: string };

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'playground-update-'));
    cpSync('dist-test', dir, { recursive: true });
    original = {
      sw: readFileSync(join(dir, 'sw.js'), 'utf8'),
      html: readFileSync(join(dir, 'index.html'), 'utf8'),
    };
    server = await startServer(staticFiles(dir));
  });
  test.afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('waits for the user: the open page keeps the old version until Reload, then the new one controls it', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    deploy(dir, 1, original);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const api = new PlaygroundApi(page);
    const prompt = page.getByRole('status', { name: 'Update available' });
    await page.goto(`${server.origin}/#data.kind=xor&steps=100000&metricsEvery=10&backend=wasm`);
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    // Version 1 installs and controls the page (first visit: no prompt).
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(await versionSeen(page)).toEqual({ html: null, asset: '1' });
    await expect(prompt).toHaveCount(0);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 30_000 })
      .toBe('paused');
    await page.getByRole('button', { name: 'Play', exact: true }).click();

    // Version 2 is deployed; the browser checks for it.
    deploy(dir, 2, original);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect(prompt).toBeVisible({ timeout: 30_000 });
    await expect(prompt).toContainText('A new version of the playground is available.');
    // It waits: the page goes on with version 1, training included, assets from version 1.
    const waiting = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: r?.waiting?.state ?? null, active: r?.active?.state ?? null };
    });
    expect(waiting).toEqual({ waiting: 'installed', active: 'activated' });
    expect(await versionSeen(page)).toEqual({ html: null, asset: '1' });
    const step = (await api.current())?.step ?? 0;
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(step);
    expect((await api.current())?.status).toBe('running');

    // "Later" hides the prompt and changes nothing.
    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toHaveCount(0);
    expect(await versionSeen(page)).toEqual({ html: null, asset: '1' });

    // A plain reload is not the user's "update": still version 1, and the prompt comes back.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    expect(await versionSeen(page)).toEqual({ html: null, asset: '1' });
    await expect(prompt).toBeVisible({ timeout: 30_000 });

    // Reload: the new worker takes over and the page reloads into version 2, all of it.
    await Promise.all([
      page.waitForEvent('framenavigated', { timeout: 30_000 }),
      prompt.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await expect(page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    await expect
      .poll(() => versionSeen(page), { timeout: 30_000 })
      .toEqual({ html: '2', asset: '2' });
    const after = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return {
        waiting: r?.waiting ?? null,
        controlled: navigator.serviceWorker.controller === r?.active,
      };
    });
    expect(after).toEqual({ waiting: null, controlled: true });
    await expect(prompt).toHaveCount(0);
    // The app still works on version 2: its saved run is back.
    await expect
      .poll(async () => (await api.runs()).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('two tabs: Reload in one brings the other to the new version too, after it saved its runs', async ({
    context,
    page,
  }) => {
    test.setTimeout(150_000);
    deploy(dir, 1, original);
    const errors: string[] = [];
    const url = `${server.origin}/#data.kind=xor&steps=100000&metricsEvery=10&backend=wasm`;
    await page.goto(url);
    page.on('pageerror', (e) => errors.push(e.message));
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 30_000,
      })
      .toBe(true);
    const pageB = await context.newPage();
    pageB.on('pageerror', (e) => errors.push(e.message));
    const apiB = new PlaygroundApi(pageB);
    await pageB.goto(url);
    await expect(pageB.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
    // B trains its own run (A's is open in A).
    await expect
      .poll(async () => (await apiB.current())?.status, { timeout: 30_000 })
      .toBe('paused');
    await pageB.getByRole('button', { name: 'Play', exact: true }).click();
    await expect
      .poll(async () => (await apiB.current())?.step ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(50);
    const id = (await apiB.current())?.id ?? '';

    deploy(dir, 2, original);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const promptA = page.getByRole('status', { name: 'Update available' });
    await expect(promptA).toBeVisible({ timeout: 30_000 });
    await expect(pageB.getByRole('status', { name: 'Update available' })).toBeVisible({
      timeout: 30_000,
    });
    expect(await versionSeen(pageB)).toEqual({ html: null, asset: '1' });
    const stepB = (await apiB.runs()).find((r) => r.id === id)?.step ?? 0;

    // A says Reload: B saves, then both reload into version 2, all of it. Nothing here fetches
    // while the new worker takes over: with a fetch every 50 ms through the old worker, Chromium
    // held the new one back (in 2 of 13 tries, even after a second SKIP_WAITING).
    const reloadsB = pageB.waitForEvent('framenavigated', { timeout: 30_000 });
    await Promise.all([
      page.waitForEvent('framenavigated', { timeout: 30_000 }),
      promptA.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await reloadsB;
    for (const p of [page, pageB]) {
      await expect(p.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
      expect(await versionSeen(p)).toEqual({ html: '2', asset: '2' });
    }
    // B saved its run before it reloaded: it is back (in whichever tab claimed it first, as both
    // reloaded), at least where it was when A asked.
    const apiA = new PlaygroundApi(page);
    await expect
      .poll(
        async () =>
          [...(await apiA.runs()), ...(await apiB.runs())].find((r) => r.id === id)?.step ?? -1,
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(stepB);
    expect(errors).toEqual([]);
    await pageB.close();
  });
});
