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
  /** One run of an arm, or (`calibrate`) a few timed steps of its config. */
  readonly job: ArmJob;
  readonly calibrate?: boolean;
}

/**
 * Times an arm's real config: train(1) after a warm-up, then train(1 + n) with n doubling until
 * the n extra steps take at least half as long as the first call. Each train() call ends with one
 * evaluation (on the whole held-out split, often dearer than many steps), so the difference
 * isolates the step cost from the evaluation cost without drowning in its noise.
 */
async function calibrate(
  config: import('../engine/config').RunConfig,
  env: import('../engine/tasks/task').RunEnv,
) {
  const { createRun } = await import('../engine/run');
  const run = await createRun({ ...config, steps: 1_000_000, metricsEvery: 1000 }, env);
  const timed = async (k: number) => {
    const t = performance.now();
    await run.train(k);
    return (performance.now() - t) / 1000;
  };
  try {
    await run.train(1);
    const one = await timed(1);
    let n = 2;
    let more = await timed(1 + n);
    while (more - one < one / 2 && n < 256) {
      n *= 2;
      more = await timed(1 + n);
    }
    // Noise can still leave the difference at or below zero: then charge the whole call to steps.
    const stepSeconds = more > one ? (more - one) / n : more / (1 + n);
    return { stepSeconds, evalSeconds: Math.max(one - stepSeconds, 0) };
  } finally {
    run.dispose();
  }
}

process.on('message', (m: Request) => {
  void (async () => {
    try {
      const preset = presetById(m.job.presetId);
      if (!preset?.available) throw new Error(`no runnable preset ${m.job.presetId}`);
      const arm = preset.arms[m.job.armIndex];
      // The whole held-out split (rule 4): every test digit, every validation window.
      const env = { ...NODE_ENV, evalExamples: Number.POSITIVE_INFINITY, heldOut: m.job.heldOut };
      if (m.calibrate) {
        // A derived arm is timed from the seed (no parent yet), without its teacher's forward.
        const { init: _init, distill: _distill, ...own } = arm.config;
        process.send?.({ id: m.id, cost: await calibrate(own, env) });
        return;
      }
      // A derived arm gets its parent's final state in the job; a parent arm sends its own back.
      const result = await runArm(arm, m.job.seedIndex, env, m.job.lrFactor, m.job);
      process.send?.({ id: m.id, result });
    } catch (e) {
      process.send?.({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
// The runner is gone (finished or stopped): so is this worker.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
