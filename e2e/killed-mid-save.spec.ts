import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { expect, test, PlaygroundApi, PlaygroundPage } from './fixtures';

const PORT = Number(process.env.PLAYGROUND_PORT ?? 4173);
// A model big enough that its snapshot takes a while to write (three 256-wide layers, Adam).
const HASH =
  '#backend=wasm&steps=100000&metricsEvery=10&model.hidden=256,256,256&optimizer.kind=adam';

/** A browser on a profile folder, so what IndexedDB holds outlives the browser. */
async function launch(profile: string): Promise<[BrowserContext, Page]> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH as string,
    args: CHROMIUM_ARGS as string[],
    baseURL: `http://localhost:${PORT}/`,
    viewport: { width: 1400, height: 900 },
  });
  return [context, context.pages()[0] ?? (await context.newPage())];
}

test('a browser killed while it trains and saves reopens each time with weights and curves of one save', async () => {
  test.setTimeout(300_000);
  const profile = mkdtempSync(join(tmpdir(), 'playground-kill-'));
  let lastStep = 0;
  let id = '';
  try {
    for (let round = 0; round < 3; round++) {
      const [context, page] = await launch(profile);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const api = new PlaygroundApi(page);
      const playground = new PlaygroundPage(page);
      await playground.open(HASH);
      await expect
        .poll(async () => (await api.current())?.status, { timeout: 90_000 })
        .toBe('paused');
      const back = await api.current();
      if (round === 0) id = back?.id ?? '';
      else {
        // The run is back at a state one save wrote whole: its curve reaches its step exactly.
        expect((await api.runs()).map((r) => r.id)).toEqual([id]);
        expect(back?.step ?? 0).toBeGreaterThanOrEqual(lastStep);
        expect(back?.points).toBe(back?.step);
        expect(await page.evaluate(() => window.__playground?.message() ?? '')).not.toMatch(
          /could not be read/,
        );
      }
      lastStep = back?.step ?? 0;
      await playground.play();
      await expect
        .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
        .toBeGreaterThan(lastStep + 30);
      // Past a snapshot taken while training (every 10 s; metrics every 2 s), then killed at a
      // moment that differs by round.
      await page.waitForTimeout(10_500 + round * 700);
      expect(errors).toEqual([]);
      const cdp = await context.newCDPSession(page);
      // The whole browser dies at once (CDP's answer never comes: its target is gone).
      const before = (await api.current())?.step ?? 0;
      const answer = await cdp.send('Browser.crash').then(
        () => 'still alive',
        (e: unknown) => String(e),
      );
      expect(answer).toMatch(/closed/);
      console.log(`round ${round}: browser crashed at step ${before}, back at step ${lastStep}`);
      await context.close().catch(() => undefined);
    }
    expect(lastStep).toBeGreaterThan(0);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
