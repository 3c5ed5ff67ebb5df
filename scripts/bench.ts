/**
 * npm run bench: the project's benchmark. `npm run bench` builds the app (dist/, and dist-test/ with
 * the test hook the app's measurements read) and the bench page first; this script serves the app
 * and the bench page, drives headless Chromium and prints JSON plus a short table.
 *   tsx scripts/bench.ts [--short] [--backends webgl,wasm] [--workloads spiral-mlp] [--json <file>] [--profile <workload>:<backend>[:<steps>]]
 * --profile prints, instead, the kernels one chunk of the engine and of the plain loop ran, by time.
 * Measures, in one browser session:
 * - per backend and workload: samples/s of the engine and of a hand-written TF.js loop of the same
 *   model (scripts/bench/plain.ts), each in a worker, and their ratio;
 * - on WASM, for mnist-mlp and mnist-cnn: samples/s of ConvNetJS (convnetjs 0.3.0 from npm) training
 *   the same model on the same digits with the same batch and Adam (scripts/bench/convnet.ts),
 *   taking turns with the engine in the same worker, and `engine (WASM) / ConvNetJS`;
 * - not TensorFlow Playground: its nn.ts is not published on npm and the bench does not copy its
 *   code, so that row prints as not measured and the engine-against-hand-written-loop ratio stands
 *   in for it;
 * - the backend `auto` picks per workload, and its speed as a fraction of the fastest measured;
 * - the app-style rate (a chunk and its evaluation every `metricsEvery` steps) beside it;
 * - main-thread frame times (p50, p95, longest task) while 1, 2 and 4 runs train in the app;
 * - time from page load to the first training step in the app;
 * - gzip sizes of the initial JS, the worker chunk and embed.js.
 * Speed is reported, never asserted: the numbers only mean something as ratios within one run.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { sizes } from './bench/sizes';
import { frameTimes } from './frame-times';
import { startServer, staticFiles } from './static-server';
import type { KernelProfile, MeasureRequest, MeasureResult } from './bench/bench.worker';
import { WORKLOADS, type WorkloadId } from './bench/workloads';

const short = process.argv.includes('--short');
const jsonOut = process.argv.includes('--json')
  ? process.argv[process.argv.indexOf('--json') + 1]
  : undefined;
/** `fused`: the engine's typed-array path for small dense models (engine/fast-mlp), beside TF.js's backends. */
const ALL_BACKENDS = ['fused', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** --backends webgl,wasm measures only those (the full table takes a quarter of an hour on software WebGPU). */
const BACKENDS = process.argv.includes('--backends')
  ? ALL_BACKENDS.filter((b) =>
      process.argv[process.argv.indexOf('--backends') + 1].split(',').includes(b),
    )
  : ALL_BACKENDS;
/** --workloads spiral-mlp,mnist-mlp measures only those. */
const SELECTED = process.argv.includes('--workloads')
  ? WORKLOADS.filter((w) =>
      process.argv[process.argv.indexOf('--workloads') + 1].split(',').includes(w),
    )
  : WORKLOADS;
const MEASURE = short
  ? { chunks: 1, rounds: 1, chunkSeconds: 0.2 }
  : { chunks: 3, rounds: 2, chunkSeconds: 1.5 };
const FRAME_WINDOW_MS = short ? 2_000 : 8_000;
/** The workloads ConvNetJS trains beside the engine (scripts/bench/convnet.ts), on this backend. */
const CONVNETJS = { workloads: ['mnist-mlp', 'mnist-cnn'] as WorkloadId[], backend: 'wasm' };
const TF_PLAYGROUND = {
  measured: false,
  reason:
    "TensorFlow Playground's nn.ts is not published on npm and the bench does not copy its code; the engine against a hand-written TF.js loop stands in for it",
} as const;

interface BenchWindow {
  __bench?: {
    profile(
      backend: string,
      workload: WorkloadId,
      k: number,
    ): Promise<Record<'engine' | 'plain', KernelProfile>>;
    measure(req: MeasureRequest): Promise<MeasureResult>;
    choose(workload: WorkloadId): Promise<{ backend: string; reason: string }>;
  };
  __playground?: { runs(): { status: string; step: number; backend: string | null }[] };
}

async function engineVersusPlain(browser: Browser, origin: string) {
  const page = await newPage(browser);
  page.on('pageerror', (e) => console.error(`bench page: ${e.message}`));
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const rows: (MeasureResult | { backend: string; workload: WorkloadId; error: string })[] = [];
  const auto: { workload: WorkloadId; backend: string; reason: string }[] = [];
  for (const workload of SELECTED) {
    // The short mode (CI) keeps every code path alive, not the numbers: each backend once, each workload once.
    // The fused path takes the small dense models only: the spiral among these.
    const usable = BACKENDS.filter((b) => b !== 'fused' || workload === 'spiral-mlp');
    const backends = short
      ? workload === 'spiral-mlp'
        ? usable
        : usable.filter((b) => b === 'wasm')
      : usable;
    for (const backend of backends) {
      const convnetjs = backend === CONVNETJS.backend && CONVNETJS.workloads.includes(workload);
      const req: MeasureRequest = { backend, workload, ...MEASURE, convnetjs };
      const t0 = Date.now();
      try {
        const r = await page.evaluate(
          (q) => (window as unknown as BenchWindow).__bench!.measure(q),
          req,
        );
        rows.push(r);
        const cj = r.convnetjs ? `, ConvNetJS ${r.convnetjs.samplesPerSecond.toFixed(0)}/s` : '';
        console.error(
          `${workload} on ${backend}: engine ${r.engineSamplesPerSecond.toFixed(0)}/s, app-style ${r.appSamplesPerSecond.toFixed(0)}/s, plain ${r.plainSamplesPerSecond.toFixed(0)}/s${cj} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        );
      } catch (e) {
        const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
        rows.push({ backend, workload, error });
        console.error(`${workload} on ${backend}: ${error}`);
      }
    }
    const choice = await page.evaluate(
      (w) => (window as unknown as BenchWindow).__bench!.choose(w),
      workload,
    );
    auto.push({ workload, ...choice });
  }
  await page.close();
  return { rows, auto };
}

const waitStep = (page: Page, n: number, count = 1) =>
  page.waitForFunction(
    ([min, k]) => {
      const runs = (window as unknown as BenchWindow).__playground?.runs() ?? [];
      // At least k runs past `min` (of several started, the queued ones have not begun).
      return runs.filter((r) => r.step >= min).length >= k ? performance.now() : false;
    },
    [n, count] as const,
    { timeout: 180_000, polling: 'raf' },
  );

/** Load → a paused run ready → Play → first step, in the real app with the automatic backend. */
async function firstStep(browser: Browser, origin: string) {
  const page = await newPage(browser);
  await page.goto(`${origin}/`);
  const ready = await page.waitForFunction(
    () =>
      (window as unknown as BenchWindow).__playground?.runs().at(-1)?.status === 'paused' &&
      performance.now(),
    null,
    { timeout: 120_000, polling: 'raf' },
  );
  const readyMs = (await ready.jsonValue()) as number;
  const clicked = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const stepped = (await (await waitStep(page, 1)).jsonValue()) as number;
  const backend = await page.evaluate(
    () => (window as unknown as BenchWindow).__playground?.runs().at(-1)?.backend ?? null,
  );
  await page.close();
  return {
    backend,
    loadToReadyMs: readyMs,
    playToFirstStepMs: stepped - clicked,
    loadToFirstStepMs: readyMs + (stepped - clicked),
  };
}

/**
 * rAF intervals and long tasks on the main thread after `count` runs were started (automatic
 * backend). The app trains as many at once as it allows on this machine (app/state/cores.ts: 2 on
 * 2 cores, taking turns on one core) and queues the rest, as a user gets it.
 */
async function frames(browser: Browser, origin: string, count: number) {
  const page = await newPage(browser);
  // Long runs, so none finishes while the others are measured.
  await page.goto(`${origin}/#steps=1000000`);
  await page.waitForFunction(
    () => (window as unknown as BenchWindow).__playground?.runs().at(-1)?.status === 'paused',
    null,
    { timeout: 120_000 },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // Add run makes a paused draft of the shown settings; Play starts it (or queues it).
  for (let i = 1; i < count; i++) {
    await page.getByRole('button', { name: 'Add run' }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
  }
  // Those the app let train (the rest are queued), once none is still starting.
  const training = (await (
    await page.waitForFunction(
      () => {
        const runs = (window as unknown as BenchWindow).__playground?.runs() ?? [];
        const running = runs.filter((r) => r.status === 'running').length;
        return running > 0 && runs.every((r) => r.status !== 'starting') && running;
      },
      null,
      { timeout: 120_000 },
    )
  ).jsonValue()) as number;
  await waitStep(page, 20, training);
  const stats = await frameTimes(page, FRAME_WINDOW_MS);
  const runs = await page.evaluate(
    () =>
      (window as unknown as BenchWindow).__playground
        ?.runs()
        .map((r) => ({ step: r.step, backend: r.backend })) ?? [],
  );
  await page.close();
  return { ...stats, startedRuns: count, trainingRuns: training, runs };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');

/** tsx compiles the functions passed to page.evaluate with esbuild's keepNames, which wraps named inner functions in `__name`: give the page one. */
async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript('globalThis.__name = (f) => f;');
  return page;
}

async function main() {
  // The app's measurements read its test hook, so they use the test build; sizes() measures dist/.
  const app = await startServer(staticFiles(resolve('dist-test')));
  const bench = await startServer(staticFiles(resolve('dist-bench')));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const started = Date.now();
    const { rows, auto } = await engineVersusPlain(browser, bench.origin);
    const fastest = SELECTED.map((workload) => {
      const ok = rows.filter(
        (r): r is MeasureResult => r.workload === workload && 'engineSamplesPerSecond' in r,
      );
      const best = ok.reduce<MeasureResult | null>(
        (a, b) => (!a || b.engineSamplesPerSecond > a.engineSamplesPerSecond ? b : a),
        null,
      );
      const choice = auto.find((a) => a.workload === workload)!;
      const chosen = ok.find((r) => r.backend === choice.backend);
      return {
        workload,
        auto: choice.backend,
        reason: choice.reason,
        fastest: best?.backend ?? 'none',
        fractionOfFastest:
          chosen && best ? chosen.engineSamplesPerSecond / best.engineSamplesPerSecond : Number.NaN,
      };
    });
    const app1 = await firstStep(browser, app.origin);
    const frameRuns = [];
    for (const count of short ? [4] : [1, 2, 4])
      frameRuns.push(await frames(browser, app.origin, count));
    const ok = rows.filter((r): r is MeasureResult => 'engineSamplesPerSecond' in r);
    const spiral = ok.filter((r) => r.workload === 'spiral-mlp');
    const fusedRow = spiral.find((r) => r.backend === 'fused');
    const tfjs = spiral.filter((r) => r.backend !== 'fused');
    const fusedSpiral = fusedRow
      ? {
          samplesPerSecond: fusedRow.engineSamplesPerSecond,
          versusBestEngineTfjs:
            fusedRow.engineSamplesPerSecond /
            Math.max(...tfjs.map((r) => r.engineSamplesPerSecond)),
          versusBestPlainTfjs:
            fusedRow.engineSamplesPerSecond / Math.max(...tfjs.map((r) => r.plainSamplesPerSecond)),
        }
      : null;
    const convnetjs = ok.flatMap((r) =>
      r.convnetjs
        ? [
            {
              workload: r.workload,
              backend: r.backend,
              engineSamplesPerSecond: r.engineSamplesPerSecond,
              ...r.convnetjs,
            },
          ]
        : [],
    );
    const result = {
      mode: short ? 'short' : 'full',
      engineVersusPlain: rows,
      engineVersusConvnetjs: convnetjs,
      tensorflowPlayground: TF_PLAYGROUND,
      fusedSpiral,
      auto: fastest,
      firstStep: app1,
      frames: frameRuns,
      sizes: existsSync('dist/index.html') ? sizes() : null,
      seconds: (Date.now() - started) / 1000,
    };
    const json = JSON.stringify(result, null, 2);
    console.log(json);
    if (jsonOut) writeFileSync(jsonOut, `${json}\n`);
    console.log('\nworkload    backend  engine/s   plain/s  ratio   app/s  app/engine');
    for (const r of rows) {
      if ('error' in r) console.log(`${r.workload.padEnd(11)} ${r.backend.padEnd(8)} ${r.error}`);
      else {
        const app = `${fmt(r.appSamplesPerSecond).padStart(7)}  ${fmt(r.appSamplesPerSecond / r.engineSamplesPerSecond, 2)}`;
        console.log(
          `${r.workload.padEnd(11)} ${r.backend.padEnd(8)} ${fmt(r.engineSamplesPerSecond).padStart(8)}  ${fmt(r.plainSamplesPerSecond).padStart(8)}  ${fmt(r.ratio, 2).padStart(5)} ${app}`,
        );
      }
    }
    if (convnetjs.length > 0)
      console.log(
        '\nworkload    engine (WASM)/s  ConvNetJS/s  engine (WASM) / ConvNetJS  training only  ConvNetJS: loss, test accuracy, evaluation',
      );
    for (const c of convnetjs)
      console.log(
        `${c.workload.padEnd(11)} ${fmt(c.engineSamplesPerSecond).padStart(15)}  ${fmt(c.samplesPerSecond).padStart(11)}  ${fmt(c.engineVersusConvnetjs, 2).padStart(25)}  ${fmt(c.engineVersusConvnetjsTraining, 2).padStart(13)}  ${fmt(c.firstLoss, 2)} -> ${fmt(c.lastLoss, 2)} in ${c.steps} steps, ${fmt(c.testAccuracy * 100, 1)}%, ${fmt(c.evalFraction * 100)}% of its time evaluating`,
      );
    console.log(`TensorFlow Playground: not measured (${TF_PLAYGROUND.reason})`);
    if (fusedSpiral) {
      const f = fusedSpiral;
      console.log(
        `\nfused spiral: ${fmt(f.samplesPerSecond)} samples/s, ${fmt(f.versusBestEngineTfjs, 1)}x the engine's best TF.js backend, ${fmt(f.versusBestPlainTfjs, 1)}x the best hand-written TF.js loop`,
      );
    }
    console.log('\nworkload    auto     fastest  auto/fastest');
    for (const f of fastest)
      console.log(
        `${f.workload.padEnd(11)} ${f.auto.padEnd(8)} ${f.fastest.padEnd(8)} ${fmt(f.fractionOfFastest, 2)}`,
      );
    console.log(
      `\nfirst step: ready ${fmt(app1.loadToReadyMs)} ms after load, first step ${fmt(app1.playToFirstStepMs)} ms after Play (${app1.backend})`,
    );
    for (const frame of frameRuns) {
      console.log(
        `frames with ${frame.startedRuns} run(s) started, ${frame.trainingRuns} training: p50 ${fmt(frame.p50Ms, 1)} ms, p95 ${fmt(frame.p95Ms, 1)} ms, longest task ${fmt(frame.longestTaskMs)} ms`,
      );
    }
    const s = result.sizes;
    if (s)
      console.log(
        `gzip: initial JS ${fmt(s.initialJsGzipBytes / 1024, 1)} KB, worker ${fmt(s.workerChunkGzipBytes / 1024, 1)} KB, embed.js ${fmt(s.embedJsGzipBytes / 1024, 1)} KB`,
      );
  } finally {
    await browser.close();
    await app.close();
    await bench.close();
  }
}

async function profile(spec: string) {
  const [workload, backend, steps] = spec.split(':');
  const bench = await startServer(staticFiles(resolve('dist-bench')));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await newPage(browser);
    await page.goto(`${bench.origin}/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const args = [backend, workload as WorkloadId, Number(steps ?? 10)] as const;
    const result = await page.evaluate(
      ([b, w, k]) => (window as unknown as BenchWindow).__bench!.profile(b, w, k),
      args,
    );
    for (const side of ['engine', 'plain'] as const) {
      const p = result[side];
      console.log(`\n${side}: ${p.kernels} kernels, ${fmt(p.wallMs)} ms wall`);
      for (const k of p.byKernel.slice(0, 20))
        console.log(
          `  ${k.name.padEnd(28)} ${fmt(k.ms, 1).padStart(8)} ms ${String(k.calls).padStart(6)} calls`,
        );
    }
  } finally {
    await browser.close();
    await bench.close();
  }
}

const profileSpec = process.argv.includes('--profile')
  ? process.argv[process.argv.indexOf('--profile') + 1]
  : undefined;
await (profileSpec ? profile(profileSpec) : main());
