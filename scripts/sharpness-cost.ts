/**
 * What one sharpness measurement costs, in training steps' worth of time, for the spiral MLP,
 * the MNIST MLP and the char LM (issue 16). Node, TF.js wasm (default) or cpu backend:
 *   npx tsx scripts/sharpness-cost.ts [--backend wasm|cpu] [--iterations 10]
 * Needs public/data (npm run data) for MNIST.
 */
import { register } from 'node:module';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

// TF.js's ESM build imports extensionless paths; retry them with '.js' (as scripts/claims.ts does).
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
const engine = await import('../engine/index');
const { NODE_ENV } = await import('../engine/data/node-assets');

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const backend = flag('backend') ?? 'wasm';
const iterations = Number(flag('iterations') ?? 10);

if (backend === 'wasm')
  wasm.setWasmPaths(
    join(
      dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    ) + sep,
  );
if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);

const { DEFAULT_CONFIG, DATA_DEFAULTS, MODEL_DEFAULTS } = engine;
const cases = [
  ['spiral MLP', DEFAULT_CONFIG],
  ['MNIST MLP', { ...DEFAULT_CONFIG, data: DATA_DEFAULTS.mnist, model: MODEL_DEFAULTS.mlp }],
  [
    'char LM (transformer)',
    {
      ...DEFAULT_CONFIG,
      data: DATA_DEFAULTS.chars,
      model: MODEL_DEFAULTS.transformer,
      optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.003 },
    },
  ],
] as const;

console.log(
  `backend ${backend}, ${iterations} power iterations at most (tol 1e-3), fixed batch of 256`,
);
console.log(
  '| model | params | ms / step | ms / measurement | HVPs used | steps per measurement |',
);
console.log('|---|---|---|---|---|---|');
for (const [name, config] of cases) {
  const run = await engine.createRun({ ...config, steps: 1_000_000 }, NODE_ENV);
  await run.train(5); // warm-up: kernels compiled, first evaluation done
  const k = 20;
  let t = performance.now();
  await run.train(1);
  const one = performance.now() - t;
  t = performance.now();
  await run.train(k + 1);
  const stepMs = (performance.now() - t - one) / k;
  await run.measureSharpness({ iterations: 2 }); // warm-up of the HVP kernels
  const reps = 3;
  let used = 0;
  t = performance.now();
  for (let i = 0; i < reps; i++) used += (await run.measureSharpness({ iterations })).iterations;
  const measureMs = (performance.now() - t) / reps;
  console.log(
    `| ${name} | ${run.paramCount} | ${stepMs.toFixed(2)} | ${measureMs.toFixed(1)} | ${(used / reps).toFixed(1)} | ${(measureMs / stepMs).toFixed(1)} |`,
  );
  run.dispose();
}
