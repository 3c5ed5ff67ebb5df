/**
 * npm run claims: runs every available paper preset headless (TF.js cpu backend in Node) against
 * its stated expectation and writes CLAIMS.md.
 *   --budget-minutes M  total time budget (default 15): steps are scaled down to fit, and said so
 *   --only <id>         one preset
 *   --quick             smoke test: 5% of the steps, one seed
 *   --seeds S           at most S seeds per arm (default 3, or 1 with --quick)
 *   --out <file>        default CLAIMS.md
 *   --backend wasm|cpu  TF.js backend (default wasm: XNNPACK kernels, many times faster than cpu)
 */
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { AvailablePreset, PresetResults, Verdict } from '../engine/presets/index';

// TF.js's ESM build imports extensionless paths ('./gradients'), which Node's ESM loader rejects
// (Vite and Vitest resolve them). This resolve hook retries such paths with '.js' and '/index.js';
// it must be registered before TF.js loads, hence the dynamic imports below.
const HOOK = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (!specifier.startsWith('.') || !/tfjs/.test(context.parentURL ?? '')) throw error;
    for (const suffix of ['.js', '/index.js']) { try { return await next(specifier + suffix, context); } catch {} }
    throw error;
  }
}`;
register(`data:text/javascript,${encodeURIComponent(HOOK)}`);

await import('@tensorflow/tfjs-backend-cpu');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
const tf = await import('@tensorflow/tfjs-core');
await import('../engine/index');
const { NODE_ENV } = await import('../engine/data/node-assets');
const { PRESETS } = await import('../engine/presets/index');
const { runPreset } = await import('../engine/presets/run-preset');
const { createRun } = await import('../engine/run');
const { shareBudget } = await import('../engine/presets/budget');
const { registerWasmConvGradients } = await import('../engine/backends/wasm-conv-grads');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const budgetMinutes = Number(flag('budget-minutes') ?? 15);
const only = flag('only');
const maxSeeds = Number(flag('seeds') ?? (quick ? 1 : 3));
const out = flag('out') ?? 'CLAIMS.md';
const backend = flag('backend') ?? 'wasm';
const env = { ...NODE_ENV, evalExamples: 500 };

/** Measured cost of one arm: seconds per training step, and per evaluation (one per metrics chunk). */
interface ArmCost {
  readonly stepSeconds: number;
  readonly evalSeconds: number;
}

/**
 * Times an arm's real config for a few steps: train(1) twice, then train(3). Each train() call
 * ends with one evaluation, so the difference isolates the step cost from the evaluation cost.
 * Arms sharing data, model and batch shape share one measurement.
 */
async function calibrate(arm: AvailablePreset['arms'][number], cache: Map<string, ArmCost>): Promise<ArmCost> {
  const c = arm.config;
  const key = JSON.stringify([c.data, c.model, c.batchSize, c.microBatches, c.quant, c.optimizer.kind]);
  const hit = cache.get(key);
  if (hit) return hit;
  const run = await createRun({ ...c, steps: 1_000_000, metricsEvery: 1000 }, env);
  try {
    await run.train(1);
    let t = performance.now();
    await run.train(1);
    const one = (performance.now() - t) / 1000;
    t = performance.now();
    await run.train(3);
    const three = (performance.now() - t) / 1000;
    const stepSeconds = Math.max((three - one) / 2, 1e-4);
    const cost = { stepSeconds, evalSeconds: Math.max(one - stepSeconds, 0) };
    cache.set(key, cost);
    return cost;
  } finally {
    run.dispose();
  }
}

/** Seconds one preset would take at scale 1 with the seeds allowed. */
function presetSeconds(p: AvailablePreset, costs: readonly ArmCost[]): number {
  return p.arms.reduce((s, a, i) => {
    const seeds = Math.min(a.seeds, maxSeeds);
    const steps = a.measures?.includes('lrRange') ? (a.lrRange?.maxSteps ?? a.config.steps) : a.config.steps;
    const evals = a.measures?.includes('lrRange') ? steps / (a.lrRange?.every ?? 20) : steps / a.config.metricsEvery;
    return s + seeds * (steps * costs[i].stepSeconds + evals * costs[i].evalSeconds);
  }, 0);
}

interface Row {
  readonly preset: AvailablePreset;
  readonly verdict: Verdict | null;
  readonly error?: string;
  readonly scale: number;
  readonly seconds: number;
  readonly estimate: number;
}

async function main(): Promise<void> {
  if (backend === 'wasm') {
    // In Node the WASM binaries are read from the package; the browser build points at hashed assets.
    wasm.setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep);
    registerWasmConvGradients();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  const selected = PRESETS.filter((p) => !only || p.id === only);
  if (selected.length === 0) throw new Error(`no preset with id ${only}`);
  const runnable = selected.filter((p): p is AvailablePreset => p.available);
  const t0 = performance.now();
  const cache = new Map<string, ArmCost>();
  const full: number[] = [];
  for (const preset of runnable) {
    const costs: ArmCost[] = [];
    for (const arm of preset.arms) costs.push(await calibrate(arm, cache));
    full.push(presetSeconds(preset, costs));
    console.log(`${preset.id}: ${full.at(-1)?.toFixed(0)} s at full size (step ${costs.map((c) => (c.stepSeconds * 1000).toFixed(1)).join('/')} ms)`);
  }
  console.log(`calibration took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const rows: Row[] = [];
  for (const [k, preset] of runnable.entries()) {
    // Re-share what is left before each preset, so an estimate that was off is paid for by the rest.
    const left = budgetMinutes * 60_000 - (performance.now() - t0);
    const scale = quick ? 0.05 : Math.max(0.02, shareBudget(full.slice(k), left / 1000)[0]);
    const start = performance.now();
    process.stdout.write(`${preset.id} (scale ${scale.toFixed(2)}, estimate ${(full[k] * scale).toFixed(0)} s) ... `);
    let verdict: Verdict | null = null;
    let error: string | undefined;
    try {
      const results: PresetResults = await runPreset(preset, env, { stepScale: scale, maxSeeds });
      verdict = preset.verdict(results);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`${verdict?.outcome ?? 'error'} in ${seconds.toFixed(1)} s${error ? `: ${error}` : ''}`);
    if (verdict) console.log(`  ${verdict.summary}`);
    rows.push({ preset, verdict, error, scale, seconds, estimate: full[k] * scale });
  }
  const total = (performance.now() - t0) / 1000;
  writeFileSync(out, render(rows, selected.filter((p) => !p.available), total));
  console.log(`wrote ${out} (${total.toFixed(0)} s)`);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function render(rows: readonly Row[], unavailable: readonly { id: string; number: number; title: string; available: false; reason: string }[], total: number): string {
  const mode = quick ? 'quick (5% of steps, smoke test only: verdicts mean little)' : `full, budget ${budgetMinutes} min`;
  const lines = [
    '# Paper claims, reproduced in miniature',
    '',
    `Generated by \`npm run claims\` (${mode}; at most ${maxSeeds} seed(s) per arm) on ${new Date().toISOString().slice(0, 10)}, TF.js ${tf.version_core} ${backend} backend in Node ${process.version}, evaluation on at most 500 examples per split. Total wall time ${total.toFixed(0)} s.`,
    '',
    'Each preset tests one falsifiable expectation (engine/presets/). A fail is a result, not a bug; inconclusive means the seeds disagree or a number could not be measured. "Steps" is the fraction of each preset\'s own step budget that ran: the time budget is shared by timing a few steps of every arm first, running the cheap presets in full and giving the rest equal slices of what is left, so a miniature that ran at a small fraction says less than its verdict suggests.',
    '',
    '| # | Preset | Expectation | Measured | Verdict | Steps | Wall time |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.preset.number} | ${cell(r.preset.title)} (\`${r.preset.id}\`) | ${cell(r.preset.expectation)} | ${cell(r.verdict?.summary ?? `error: ${r.error}`)} | **${r.verdict?.outcome ?? 'error'}** | ${Math.round(r.scale * 100)}% | ${r.seconds.toFixed(0)} s |`),
    '',
    '## How each miniature departs from the paper',
    '',
    ...rows.map((r) => `- **${r.preset.id}**: ${r.preset.miniature}`),
  ];
  if (unavailable.length) {
    lines.push('', '## Not runnable yet', '', '| # | Preset | Why |', '|---|---|---|', ...unavailable.map((p) => `| ${p.number} | ${cell(p.title)} (\`${p.id}\`) | ${cell(p.reason)} |`));
  }
  return `${lines.join('\n')}\n`;
}

await main();
