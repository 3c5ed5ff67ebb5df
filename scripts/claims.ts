/**
 * npm run claims: runs every available paper preset headless in Node, in full, against its stated
 * expectation, and writes CLAIMS.md (rules: engine/presets/README.md).
 *   --budget-minutes M  total time budget (default 40): a preset whose estimate does not fit what
 *                       is left is reported "not run: needs ~N min", never run short
 *   --only <id>         one preset
 *   --workers W         worker processes running arms in parallel (default 2)
 *   --out <file>        default CLAIMS.md
 *   --backend wasm|cpu  TF.js backend (default wasm: XNNPACK kernels, many times faster than cpu)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ArmCost, SuiteRow } from '../engine/presets/budget';
import type { ArmJob } from '../engine/presets/run-preset';
import type { ArmResult, AvailablePreset, Preset } from '../engine/presets/types';
import { startTf } from './node-tf';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const budgetMinutes = Number(flag('budget-minutes') ?? 40);
const only = flag('only');
const workers = Number(flag('workers') ?? 2);
const out = flag('out') ?? 'CLAIMS.md';
const backend = flag('backend') ?? 'wasm';

const tf = await startTf(backend);
const { NODE_ENV } = await import('../engine/data/node-assets');
const { PRESETS } = await import('../engine/presets/index');
const { runPreset } = await import('../engine/presets/run-preset');
const { presetSeconds, runSuite } = await import('../engine/presets/budget');
const env = { ...NODE_ENV, evalExamples: Number.POSITIVE_INFINITY };

/** Arms sharing data, model, batch shape and quantization share one timing (scripts/claims-worker.ts). */
const costKey = (c: AvailablePreset['arms'][number]['config']) =>
  JSON.stringify([c.data, c.model, c.batchSize, c.microBatches, c.quant, c.optimizer.kind]);

/** Worker processes (scripts/claims-worker.ts), each running one job at a time. */
class Workers {
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: ((w: ChildProcess) => void)[] = [];
  private readonly all: ChildProcess[] = [];
  private nextId = 0;

  async start(n: number): Promise<void> {
    const url = new URL('./claims-worker.ts', import.meta.url);
    await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<void>((resolve, reject) => {
            const w = fork(url.pathname, [backend], {
              execArgv: process.execArgv,
              serialization: 'advanced',
            });
            w.once('message', () => resolve());
            w.once('error', reject);
            this.all.push(w);
            this.idle.push(w);
          }),
      ),
    );
  }

  private acquire(): Promise<ChildProcess> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: ChildProcess): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  run(job: ArmJob): Promise<ArmResult> {
    return this.ask<ArmResult>(job, false);
  }

  calibrate(job: ArmJob): Promise<ArmCost> {
    return this.ask<ArmCost>(job, true);
  }

  private async ask<T>(job: ArmJob, calibrate: boolean): Promise<T> {
    const w = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        const onMessage = (m: { id: number; result?: T; cost?: T; error?: string }) => {
          if (m.id !== id) return;
          w.off('message', onMessage);
          const value = m.result ?? m.cost;
          if (value !== undefined) resolve(value);
          else reject(new Error(m.error ?? 'worker failed'));
        };
        w.on('message', onMessage);
        w.send({ id, job, calibrate });
      });
    } finally {
      this.release(w);
    }
  }

  stop(): void {
    for (const w of this.all) w.kill();
  }
}

async function main(): Promise<void> {
  const selected = PRESETS.filter((p) => !only || p.id === only);
  if (selected.length === 0) throw new Error(`no preset with id ${only}`);
  const runnable = selected.filter((p): p is AvailablePreset => p.available);
  const t0 = performance.now();
  const cache = new Map<string, Promise<ArmCost>>();
  const pool = new Workers();
  const done: SuiteRow[] = [];
  await pool.start(workers);
  console.log(`${workers} worker processes on ${availableParallelism()} cores`);
  try {
    const rows = await runSuite(runnable, {
      budgetSeconds: budgetMinutes * 60,
      // Two presets share the workers, so one preset's last job never leaves a worker idle.
      concurrency: workers,
      async estimate(preset) {
        // Both workers time arms at once; arms with the same shape share one timing.
        const costs = await Promise.all(
          preset.arms.map((arm, armIndex) => {
            const key = costKey(arm.config);
            let cost = cache.get(key);
            if (!cost) {
              cost = pool.calibrate({
                presetId: preset.id,
                armIndex,
                seedIndex: 0,
                lrFactor: 1,
                heldOut: 'test',
              });
              cache.set(key, cost);
            }
            return cost;
          }),
        );
        const s = presetSeconds(preset, costs, workers);
        console.log(
          `${preset.id}: ~${(s / 60).toFixed(1)} min in full (step ${costs.map((c) => (c.stepSeconds * 1000).toFixed(1)).join('/')} ms)`,
        );
        return s;
      },
      execute: (preset) =>
        runPreset(preset, env, { parallel: workers, exec: (job) => pool.run(job) }),
      onRow(row) {
        done.push(row);
        // Written after every preset, so a stopped run still leaves the honest output of what ran.
        writeFileSync(
          out,
          render(
            runnable.map((p) => done.find((r) => r.preset === p) ?? pending(p)),
            selected.filter((p) => !p.available),
            (performance.now() - t0) / 1000,
          ),
        );
        if (row.status === 'not run')
          console.log(`${row.preset.id}: not run, needs ~${row.needsMinutes} min`);
        else if (row.status === 'error')
          console.log(`${row.preset.id}: error after ${row.seconds.toFixed(0)} s: ${row.error}`);
        else
          console.log(
            `${row.preset.id}: ${row.verdict.outcome} in ${row.seconds.toFixed(0)} s (estimate ${row.estimateSeconds.toFixed(0)} s)\n  ${row.verdict.summary}`,
          );
      },
    });
    const total = (performance.now() - t0) / 1000;
    writeFileSync(
      out,
      render(
        rows,
        selected.filter((p) => !p.available),
        total,
      ),
    );
    saveChosenRates(rows);
    console.log(`wrote ${out} (${total.toFixed(0)} s)`);
  } finally {
    pool.stop();
  }
}

/** Merges the factors this run chose into engine/presets/chosen-rates.json, which the gallery reuses. */
function saveChosenRates(rows: readonly SuiteRow[]): void {
  const file = new URL('../engine/presets/chosen-rates.json', import.meta.url);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, number>>;
  for (const r of rows) {
    if (r.status !== 'ran') continue;
    stored[r.preset.id] = Object.fromEntries(
      Object.entries(r.lrChoice).map(([label, c]) => [label, c.factor]),
    );
  }
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`);
}

/** A preset the run has not reached yet (only in a file written before the run ends). */
const pending = (preset: AvailablePreset): SuiteRow => ({
  status: 'not run',
  preset,
  estimateSeconds: Number.NaN,
  needsMinutes: Number.NaN,
});

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rate = (x: number): string =>
  x >= 0.01 ? String(Number(x.toPrecision(3))) : x.toExponential(1);

function lrText(row: SuiteRow): string {
  if (row.status !== 'ran') return '';
  const entries = Object.entries(row.lrChoice);
  return entries.length
    ? entries.map(([label, c]) => `${label}: ${rate(c.lr)}`).join('; ')
    : 'fixed (no grid)';
}

function render(rows: readonly SuiteRow[], unavailable: readonly Preset[], total: number): string {
  const ran = rows.filter((r) => r.status === 'ran').length;
  const lines = [
    '# Paper claims, reproduced in miniature',
    '',
    `Generated by \`npm run claims\` (budget ${budgetMinutes} min, ${workers} worker processes, up to ${workers} presets at once sharing them, so a preset's wall time overlaps another's) on ${new Date().toISOString().slice(0, 10)}, TF.js ${tf.version_core} ${backend} backend in Node ${process.version}. ${ran} of ${rows.length} runnable presets ran; total wall time ${total.toFixed(0)} s.`,
    '',
    'Every preset that ran, ran in full: all its steps, all its seeds, its learning-rate grid on a validation split carved from the training data, and evaluation on the whole held-out split (rules: engine/presets/README.md). A preset whose estimated time did not fit what was left of the budget is listed as "not run" with its estimate, and has no verdict. A difference counts only when its paired mean over seeds lies more than 2 standard errors from the margin; otherwise the verdict is inconclusive. "±" is 2 standard errors over seeds.',
    '',
    '| # | Preset | Expectation | Measured | Verdict | Chosen learning rates | Wall time |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const head = `| ${r.preset.number} | ${cell(r.preset.title)} (\`${r.preset.id}\`) | ${cell(r.preset.expectation)} |`;
      if (r.status === 'not run')
        return `${head} ${Number.isFinite(r.needsMinutes) ? `not run: needs ~${r.needsMinutes} min (estimated)` : 'not reached yet'} | **not run** | | |`;
      if (r.status === 'error')
        return `${head} error: ${cell(r.error)} | **error** | | ${r.seconds.toFixed(0)} s |`;
      return `${head} ${cell(r.verdict.summary)} | **${r.verdict.outcome}** | ${cell(lrText(r))} | ${r.seconds.toFixed(0)} s |`;
    }),
    '',
    '## How each miniature departs from the paper',
    '',
    ...rows.map((r) => `- **${r.preset.id}**: ${r.preset.miniature}`),
  ];
  if (unavailable.length) {
    lines.push(
      '',
      '## Not runnable yet',
      '',
      '| # | Preset | Why |',
      '|---|---|---|',
      ...unavailable.map(
        (p) =>
          `| ${p.number} | ${cell(p.title)} (\`${p.id}\`) | ${cell(p.available ? '' : p.reason)} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

await main();
