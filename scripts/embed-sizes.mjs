#!/usr/bin/env node
// What the widget costs: dist/embed.js gzipped, what embed.html loads before its first training step
// (each file's gzip size, from dist/), and the service worker's precache. Needs the built app served
// (`npm run preview`); pass its URL and a backend: `node scripts/embed-sizes.mjs [url] [auto|wasm|...]`.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const base = process.argv[2] ?? 'http://localhost:4173/';
const backend = process.argv[3] ?? 'auto';
const gz = (file) => gzipSync(readFileSync(file)).length;
const kb = (n) => Math.round(n / 102.4) / 10;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const context = await browser.newContext({ serviceWorkers: 'block' });
const page = await context.newPage();
const files = new Map();
page.on('response', (res) => {
  const url = new URL(res.url());
  if (res.ok() && url.href.startsWith(base))
    files.set(url.pathname.slice(new URL(base).pathname.length) || 'index.html', true);
});
const started = Date.now();
await page.goto(`${base}embed.html?preset=spiral-adam&autoplay=1&backend=${backend}`);
// The production build has no test hook: read the widget's step counter ("step 12 / 800").
await page.waitForFunction(
  () => /^step [1-9]/.test(document.querySelector('[aria-label="Step count"]')?.textContent ?? ''),
  null,
  { timeout: 120_000 },
);
const firstStepMs = Date.now() - started;
const loaded = [...files.keys()].sort().map((f) => ({ file: f, gzipKB: kb(gz(join('dist', f))) }));
await browser.close();

const sw = readFileSync('dist/sw.js', 'utf8');
const precached = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
const precacheBytes = precached.reduce((sum, f) => sum + statSync(join('dist', f)).size, 0);

console.log(
  JSON.stringify(
    {
      embedJsGzipKB: kb(gz('dist/embed.js')),
      backend,
      firstStepMs,
      beforeFirstStep: {
        gzipKB: kb(loaded.reduce((s, f) => s + f.gzipKB * 1024, 0)),
        files: loaded,
      },
      precache: { entries: precached.length, KB: kb(precacheBytes) },
    },
    null,
    2,
  ),
);
