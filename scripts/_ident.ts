import { startTf } from './node-tf';
const tf = await startTf('wasm');
const { createRun } = await import('../engine/index');
const { loadNodeAsset } = await import('../engine/data/node-assets');
const { workloadConfig } = await import('./bench/workloads');
const config = { ...workloadConfig('mnist-mlp'), backend: 'wasm' as const };
const run = await createRun(config, { loadAsset: loadNodeAsset, evalBudget: 0 });
await run.train(3);
const info = await tf.profile(async () => { await run.train(2); return [] as never[]; });
const ids = info.kernels.filter((k) => k.name === 'Identity' || k.name === 'Reshape');
const by = new Map<string, number>();
for (const k of ids) { const key = `${k.name} ${JSON.stringify(k.inputShapes)}`; by.set(key, (by.get(key) ?? 0) + 1); }
console.log([...by].sort((a, b) => b[1] - a[1]).slice(0, 30));
