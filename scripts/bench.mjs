// The project's benchmark: builds nothing itself (run `npm run build` first, as `npm run bench`
// does), serves dist/, drives headless Chromium, and prints JSON plus a short table.
//   node scripts/bench.mjs [--short]
// Measures, per backend, the training speed of the default spiral run in the real app (worker,
// metrics streaming and drawing included), and the gzip sizes of the initial JS and the worker.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const short = process.argv.includes('--short');
const PORT = 4199;
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const WARMUP_STEPS = short ? 10 : 30;
const WINDOW_MS = short ? 3_000 : 15_000;

function sizes() {
  const html = readFileSync('dist/index.html', 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (file) => gzipSync(readFileSync(join('dist', file))).length;
  const assets = readdirSync('dist/assets');
  const entry = assets.filter((f) => f.startsWith('trainer.worker') && f.endsWith('.js')).map((f) => `assets/${f}`);
  const worker = staticClosure(entry);
  return {
    initialJsGzipBytes: initial.reduce((n, f) => n + gz(f), 0),
    workerChunkGzipBytes: worker.reduce((n, f) => n + gz(f), 0),
  };
}

/** A chunk and every chunk it imports statically (what loads before its first line runs). */
function staticClosure(files) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join('dist', file), 'utf8');
    for (const m of code.matchAll(/\bimport\s*(?:[^;()"']*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(`assets/${m[1]}`);
  };
  files.forEach(visit);
  return [...seen];
}

async function serve() {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', 'localhost'], { stdio: 'pipe' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${PORT}/`)).ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('vite preview did not start');
}

async function measure(browser, backend) {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(`http://localhost:${PORT}/#backend=${backend}`);
  const current = () => page.evaluate(() => window.__playground?.runs().at(-1));
  await page.waitForFunction(() => window.__playground?.runs().at(-1)?.status === 'paused', null, { timeout: 60_000 });
  const readyMs = Date.now() - t0;
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((n) => (window.__playground?.runs().at(-1)?.step ?? 0) >= n, WARMUP_STEPS, { timeout: 120_000 });
  const a = await current();
  const ta = Date.now();
  await page.waitForTimeout(WINDOW_MS);
  const b = await current();
  const tb = Date.now();
  await page.close();
  return { backend, used: b.backend, readyMs, stepsPerSecond: ((b.step - a.step) * 1000) / (tb - ta) };
}

if (process.argv.includes('--sizes')) {
  console.log(JSON.stringify(sizes()));
  process.exit(0);
}
const server = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const spiral = [];
  for (const backend of BACKENDS) spiral.push(await measure(browser, backend));
  const result = { mode: short ? 'short' : 'full', spiral, sizes: sizes() };
  console.log(JSON.stringify(result, null, 2));
  console.log('\nbackend  used     steps/s  ready(ms)');
  for (const r of spiral) {
    console.log(`${r.backend.padEnd(8)} ${String(r.used).padEnd(8)} ${r.stepsPerSecond.toFixed(1).padStart(7)}  ${String(r.readyMs).padStart(8)}`);
  }
  console.log(`initial JS ${(result.sizes.initialJsGzipBytes / 1024).toFixed(1)} KB gzip, worker chunk ${(result.sizes.workerChunkGzipBytes / 1024).toFixed(1)} KB gzip`);
} finally {
  await browser.close();
  server.kill();
}
