/**
 * npm run soak: two runs train in the built app (dist-test/, the test build: its hook reads the
 * runs) for a while, and memory, storage and frame times are sampled at the start, a third of the
 * way and at the end (0, 10 and 30 minutes by default). Not part of `npm test`: it takes as long as
 * it is told. Reports, never asserts: it prints a table and JSON.
 *   npm run build:test && tsx scripts/soak.ts [--minutes 30] [--json <file>]
 * Each sample, after a garbage collection (CDP HeapProfiler.collectGarbage):
 * - the page's JS heap (CDP Runtime.getHeapUsage; the same as performance.memory, unrounded);
 * - each worker's JS heap (CDP Target.attachToTarget on every worker of the page's browser);
 * - what IndexedDB holds (navigator.storage.estimate's usageDetails.indexedDB; `usage` counts
 *   the offline app's cache too);
 * - frame times: rAF intervals on the main thread over 2 s, p50 and p95;
 * - the step of each run.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { frameTimes } from './frame-times';
import { startServer, staticFiles } from './static-server';

const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const MINUTES = Number(arg('--minutes') ?? 30);
const JSON_OUT = arg('--json');
const RUNS = 2;
const FRAME_WINDOW_MS = 2000;
if (!(MINUTES > 0)) throw new Error(`--minutes must be a positive number, not ${arg('--minutes')}`);

interface SoakWindow {
  __playground?: { runs(): { status: string; step: number; backend: string | null }[] };
}

interface Sample {
  atMinutes: number;
  steps: number[];
  pageHeapMB: number;
  workerHeapsMB: number[];
  indexedDbMB: number | null;
  storageUsageMB: number | null;
  frameP50Ms: number;
  frameP95Ms: number;
  frames: number;
  /** Main-thread tasks over 50 ms during the frame window, and the longest. */
  longTasks: number;
  longestTaskMs: number;
  /** This machine's 1-minute load average: frame times mean little on a machine busy elsewhere. */
  loadAverage: number;
}

const mb = (bytes: number) => bytes / 1e6;

/**
 * Sends one CDP command to a target through the browser session (Target.sendMessageToTarget:
 * Playwright's sessions do not take a child session id) and waits for its answer.
 */
function viaTarget(
  browserCdp: CDPSession,
  sessionId: string,
  method: string,
): Promise<Record<string, unknown>> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      browserCdp.off('Target.receivedMessageFromTarget', listen);
      reject(new Error(`${method} got no answer`));
    }, 30_000);
    const listen = (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const message = JSON.parse(e.message) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      if (message.id !== id) return;
      clearTimeout(timer);
      browserCdp.off('Target.receivedMessageFromTarget', listen);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result ?? {});
    };
    browserCdp.on('Target.receivedMessageFromTarget', listen);
    void browserCdp
      .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
      .catch(reject);
  });
}

/** Every worker's used JS heap after a collection, in bytes (workers that do not answer are left out). */
async function workerHeaps(browserCdp: CDPSession): Promise<number[]> {
  const { targetInfos } = await browserCdp.send('Target.getTargets');
  const heaps: number[] = [];
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    try {
      const { sessionId } = await browserCdp.send('Target.attachToTarget', {
        targetId: t.targetId,
        flatten: false,
      });
      await viaTarget(browserCdp, sessionId, 'HeapProfiler.collectGarbage');
      const usage = await viaTarget(browserCdp, sessionId, 'Runtime.getHeapUsage');
      heaps.push(Number(usage.usedSize));
      await browserCdp.send('Target.detachFromTarget', { sessionId });
    } catch (e) {
      console.error(`worker ${t.targetId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return heaps;
}

async function sample(
  page: Page,
  cdp: CDPSession,
  browserCdp: CDPSession,
  startedAt: number,
): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const workers = await workerHeaps(browserCdp);
  const inPage = await page.evaluate(async () => {
    const estimate = (await navigator.storage.estimate()) as StorageEstimate & {
      usageDetails?: { indexedDB?: number };
    };
    return {
      indexedDb: estimate.usageDetails?.indexedDB ?? null,
      usage: estimate.usage ?? null,
      steps: (window as unknown as SoakWindow).__playground?.runs().map((r) => r.step) ?? [],
    };
  });
  const frames = await frameTimes(page, FRAME_WINDOW_MS);
  return {
    atMinutes: (Date.now() - startedAt) / 60_000,
    steps: inPage.steps,
    pageHeapMB: mb(usedSize),
    workerHeapsMB: workers.map(mb),
    indexedDbMB: inPage.indexedDb === null ? null : mb(inPage.indexedDb),
    storageUsageMB: inPage.usage === null ? null : mb(inPage.usage),
    frameP50Ms: frames.p50Ms,
    frameP95Ms: frames.p95Ms,
    frames: frames.frames,
    longTasks: frames.longTasks,
    longestTaskMs: frames.longestTaskMs,
    loadAverage: loadavg()[0],
  };
}

const fmt = (n: number | null, d = 1) => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(d));

async function main() {
  const app = await startServer(staticFiles(resolve('dist-test')));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx keeps function names with an `__name` helper the page does not have.
    await page.addInitScript('globalThis.__name = (f) => f;');
    // The app trains max(2, cores - 1) runs at once: report a core more than runs, so both train.
    await page.addInitScript(
      `Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => ${RUNS + 1} });`,
    );
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Long runs, so neither finishes during the soak.
    await page.goto(`${app.origin}/#steps=1000000`);
    await page.waitForFunction(
      () => (window as unknown as SoakWindow).__playground?.runs().at(-1)?.status === 'paused',
      null,
      { timeout: 120_000 },
    );
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    // Add run makes a paused draft of the shown settings; Play starts it.
    for (let i = 1; i < RUNS; i++) {
      await page.getByRole('button', { name: 'Add run' }).click();
      await page.getByRole('button', { name: 'Play', exact: true }).click();
    }
    await page.waitForFunction(
      (n) => {
        const runs = (window as unknown as SoakWindow).__playground?.runs() ?? [];
        return runs.length === n && runs.every((r) => r.status === 'running' && r.step > 0);
      },
      RUNS,
      { timeout: 120_000 },
    );
    const cdp = await page.context().newCDPSession(page);
    const browserCdp = await browser.newBrowserCDPSession();
    const startedAt = Date.now();
    const samples: Sample[] = [];
    for (const at of [0, MINUTES / 3, MINUTES]) {
      const wait = startedAt + at * 60_000 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
      const s = await sample(page, cdp, browserCdp, startedAt);
      samples.push(s);
      console.log(
        `sampled at ${fmt(s.atMinutes)} min: steps ${s.steps.join(', ')}, page heap ${fmt(s.pageHeapMB)} MB`,
      );
    }
    const statuses = await page.evaluate(
      () => (window as unknown as SoakWindow).__playground?.runs().map((r) => r.status) ?? [],
    );
    const result = { minutes: MINUTES, runs: RUNS, statuses, pageErrors: errors, samples };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      '\nmin    steps                page heap MB  worker heaps MB     IndexedDB MB  storage MB  frame p50/p95 ms   long tasks (longest ms)  load',
    );
    for (const s of samples) {
      console.log(
        [
          fmt(s.atMinutes).padEnd(6),
          s.steps.join(', ').padEnd(20),
          fmt(s.pageHeapMB).padEnd(13),
          (s.workerHeapsMB.map((x) => fmt(x)).join(', ') || '-').padEnd(19),
          fmt(s.indexedDbMB, 2).padEnd(13),
          fmt(s.storageUsageMB).padEnd(11),
          `${fmt(s.frameP50Ms)} / ${fmt(s.frameP95Ms)}`.padEnd(18),
          `${s.longTasks} (${fmt(s.longestTaskMs, 0)})`.padEnd(24),
          fmt(s.loadAverage),
        ].join(' '),
      );
    }
    console.log(`run statuses at the end: ${statuses.join(', ')}; page errors: ${errors.length}`);
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
