// Opens the built app in Chromium, presses Play, waits, and saves a screenshot; it prints the runs
// from the test hook when the test build is served (`npm run build:test && vite preview --mode test`):
//   node scripts/screenshot.mjs [url] [out.png] [seconds]
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const [url = 'http://localhost:4173/', out = 'screenshot.png', seconds = '20'] =
  process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
page.on('console', (m) => console.log('[page]', m.type(), m.text()));
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url);
await page.getByRole('button', { name: 'Play' }).click({ timeout: 60_000 });
await page.waitForTimeout(Number(seconds) * 1000);
console.log(JSON.stringify(await page.evaluate(() => window.__playground?.runs())));
await page.screenshot({ path: out });
await browser.close();
