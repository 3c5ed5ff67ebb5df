/**
 * A worker process of `npm run claims`: runs one preset arm job at a time (one seed, or one LR
 * grid point on the validation split) and sends back its ArmResult. Started by scripts/claims.ts.
 */
import type { ArmJob } from '../engine/presets/run-preset';
import { startTf } from './node-tf';

const backend = process.argv[2] ?? 'wasm';
await startTf(backend);
const { NODE_ENV } = await import('../engine/data/node-assets');
const { presetById } = await import('../engine/presets/index');
const { runArm } = await import('../engine/presets/run-preset');

interface Request {
  readonly id: number;
  readonly job: ArmJob;
}

process.on('message', (m: Request) => {
  void (async () => {
    try {
      const preset = presetById(m.job.presetId);
      if (!preset?.available) throw new Error(`no runnable preset ${m.job.presetId}`);
      const arm = preset.arms[m.job.armIndex];
      // The whole held-out split (rule 4): every test digit, every validation window.
      const env = { ...NODE_ENV, evalExamples: Number.POSITIVE_INFINITY, heldOut: m.job.heldOut };
      const result = await runArm(arm, m.job.seedIndex, env, m.job.lrFactor);
      process.send?.({ id: m.id, result });
    } catch (e) {
      process.send?.({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
process.send?.({ ready: true });
