/**
 * npm run claims: runs every available paper preset headless (TF.js cpu backend in Node) against
 * its stated expectation and writes CLAIMS.md.
 *   --budget-minutes M  total time budget (default 15): steps are scaled down to fit, and said so
 *   --only <id>         one preset
 *   --quick             smoke test: 5% of the steps, one seed
 *   --seeds S           at most S seeds per arm (default 3, or 1 with --quick)
 *   --out <file>        default CLAIMS.md
 */
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
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
const tf = await import('@tensorflow/tfjs-core');
await import('../engine/index');
const { NODE_ENV } = await import('../engine/data/node-assets');
const { PRESETS } = await import('../engine/presets/index');
const { runPreset } = await import('../engine/presets/run-preset');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const budgetMinutes = Number(flag('budget-minutes') ?? 15);
const only = flag('only');
const maxSeeds = Number(flag('seeds') ?? (quick ? 1 : 3));
const out = flag('out') ?? 'CLAIMS.md';
const env = { ...NODE_ENV, evalExamples: 500 };

/** Steps one preset would run at scale 1 with the seeds allowed: the cost model for sharing the budget. */
function workSteps(p: AvailablePreset): number {
  return p.arms.reduce((s, a) => s + a.config.steps * Math.min(a.seeds, maxSeeds), 0);
}

interface Row {
  readonly preset: AvailablePreset;
  readonly verdict: Verdict | null;
  readonly error?: string;
  readonly scale: number;
  readonly seconds: number;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const selected = PRESETS.filter((p) => !only || p.id === only);
  if (selected.length === 0) throw new Error(`no preset with id ${only}`);
  const runnable = selected.filter((p): p is AvailablePreset => p.available);
  const t0 = performance.now();
  const rows: Row[] = [];
  // Calibrate on the first preset at a small scale? Simpler and honest: share the budget by step
  // count, measure each preset's real speed as it runs, and rescale the rest to what is left.
  let msPerStep = Number.NaN;
  for (const [k, preset] of runnable.entries()) {
    const left = budgetMinutes * 60_000 - (performance.now() - t0);
    const remaining = runnable.slice(k).reduce((s, p) => s + workSteps(p), 0);
    let scale = quick ? 0.05 : 1;
    if (!quick && Number.isFinite(msPerStep)) scale = Math.min(1, left / (remaining * msPerStep));
    if (!quick && !Number.isFinite(msPerStep)) scale = Math.min(1, 0.5);
    scale = Math.max(scale, 0.02);
    const start = performance.now();
    process.stdout.write(`${preset.id} (scale ${scale.toFixed(2)}) ... `);
    let verdict: Verdict | null = null;
    let error: string | undefined;
    try {
      const results: PresetResults = await runPreset(preset, env, { stepScale: scale, maxSeeds });
      verdict = preset.verdict(results);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const seconds = (performance.now() - start) / 1000;
    const done = workSteps(preset) * scale;
    const observed = (seconds * 1000) / Math.max(done, 1);
    msPerStep = Number.isFinite(msPerStep) ? Math.max(msPerStep * 0.5 + observed * 0.5, observed * 0.5) : observed;
    console.log(`${verdict?.outcome ?? 'error'} in ${seconds.toFixed(1)} s${error ? `: ${error}` : ''}`);
    if (verdict) console.log(`  ${verdict.summary}`);
    rows.push({ preset, verdict, error, scale, seconds });
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
    `Generated by \`npm run claims\` (${mode}; at most ${maxSeeds} seed(s) per arm) on ${new Date().toISOString().slice(0, 10)}, TF.js ${tf.version_core} cpu backend in Node ${process.version}, evaluation on at most 500 examples per split. Total wall time ${total.toFixed(0)} s.`,
    '',
    'Each preset tests one falsifiable expectation (engine/presets/). A fail is a result, not a bug; inconclusive means the seeds disagree or a number could not be measured. "Steps" is the fraction of each preset\'s own budget that ran to fit the time budget.',
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
