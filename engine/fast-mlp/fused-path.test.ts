import { describe, expect, it } from 'vitest';
import {
  createRun,
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  OPTIMIZER_DEFAULTS,
  QUANT_PRESETS,
  SCHEDULE_DEFAULTS,
  type RunConfig,
} from '../index';
import type { OptimizerConfig } from '../optim/schema';
import type { Run } from '../run';

const SMALL: RunConfig = {
  ...DEFAULT_CONFIG,
  model: {
    kind: 'mlp',
    hidden: [8, 6],
    activation: 'tanh',
    norm: 'none',
    weightStandardization: false,
  },
  batchSize: 10,
  steps: 100,
  metricsEvery: 10,
  schedule: { ...SCHEDULE_DEFAULTS.cosine },
};

interface Trace {
  readonly losses: number[];
  readonly norms: number[];
  readonly evals: number[];
  readonly weights: Float32Array[];
  readonly stats: number[];
}

async function trace(run: Run, steps: number, every = 10): Promise<Trace> {
  const losses: number[] = [];
  const norms: number[] = [];
  const evals: number[] = [];
  const stats: number[] = [];
  while (run.step < steps) {
    const chunk = await run.train(Math.min(every, steps - run.step));
    losses.push(...chunk.columns.loss);
    norms.push(...chunk.columns.gradNorm);
    const last = chunk.rows - 1;
    evals.push(
      chunk.columns.trainLoss[last],
      chunk.columns.testLoss[last],
      chunk.columns.testAccuracy[last],
    );
    if (chunk.layers) stats.push(...chunk.layers.gradNorm, ...chunk.layers.updateRatio);
  }
  const snap = await run.snapshot();
  return { losses, norms, evals, stats, weights: Object.values(snap.params).map((p) => p.values) };
}

function expectClose(
  actual: readonly number[],
  expected: readonly number[],
  rel: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  actual.forEach((a, i) => {
    const e = expected[i];
    if (Number.isNaN(e)) return expect(a, `${what}[${i}]`).toBeNaN();
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), 1e-3));
  });
  expect(worst, what).toBeLessThan(rel);
}

async function bothPaths(config: RunConfig, steps = 100): Promise<[Trace, Trace, string]> {
  const tfRun = await createRun(config);
  const fusedRun = await createRun(config, { fused: true, evalBudget: Infinity });
  const path = fusedRun.trainingPath();
  const result: [Trace, Trace, string] = [
    await trace(tfRun, steps),
    await trace(fusedRun, steps),
    path.reason,
  ];
  expect(path.fused, path.reason).toBe(true);
  tfRun.dispose();
  fusedRun.dispose();
  return result;
}

const OPTIMIZERS: readonly OptimizerConfig[] = [
  OPTIMIZER_DEFAULTS.sgd,
  OPTIMIZER_DEFAULTS.momentum,
  OPTIMIZER_DEFAULTS.nesterov,
  OPTIMIZER_DEFAULTS.adam,
  { ...OPTIMIZER_DEFAULTS.adamw, weightDecay: 0.1 },
  { ...OPTIMIZER_DEFAULTS.rmsprop, momentum: 0.5 },
  OPTIMIZER_DEFAULTS.adagrad,
  { ...OPTIMIZER_DEFAULTS.lamb, weightDecay: 0.1 },
  { ...OPTIMIZER_DEFAULTS.lars, weightDecay: 0.01, nesterov: true },
  { ...OPTIMIZER_DEFAULTS.lion, weightDecay: 0.1 },
];

describe('fused dense path', () => {
  it.each(OPTIMIZERS.map((o) => [o.kind, o] as const))(
    '%s: the same losses, gradient norms, evaluations, stats and weights as TF.js over 100 steps',
    async (_kind, optimizer) => {
      const [tfTrace, fusedTrace] = await bothPaths({ ...SMALL, optimizer });
      expectClose(fusedTrace.losses, tfTrace.losses, 1e-4, 'losses');
      expectClose(fusedTrace.norms, tfTrace.norms, 1e-4, 'gradient norms');
      expectClose(fusedTrace.evals, tfTrace.evals, 1e-4, 'evaluations');
      expectClose(fusedTrace.stats, tfTrace.stats, 1e-3, 'layer stats');
      fusedTrace.weights.forEach((w, i) =>
        expectClose([...w], [...tfTrace.weights[i]], 1e-3, `weights ${i}`),
      );
    },
  );

  it.each(['relu', 'sigmoid', 'gelu', 'linear'] as const)(
    '%s activation matches TF.js',
    async (activation) => {
      const config: RunConfig = {
        ...SMALL,
        model: { ...SMALL.model, activation } as RunConfig['model'],
      };
      const [tfTrace, fusedTrace] = await bothPaths(config, 50);
      expectClose(fusedTrace.losses, tfTrace.losses, 1e-4, 'losses');
    },
  );

  it('regression (the plane) and tabular data match TF.js', async () => {
    for (const data of [DATA_DEFAULTS.plane, DATA_DEFAULTS.csv]) {
      const [tfTrace, fusedTrace] = await bothPaths({ ...SMALL, data }, 40);
      expectClose(fusedTrace.losses, tfTrace.losses, 1e-4, `${data.kind} losses`);
      expectClose(fusedTrace.evals, tfTrace.evals, 1e-4, `${data.kind} evaluations`);
    }
  });

  it('hands its state over: a snapshot restores on TF.js, and a change of optimizer continues there', async () => {
    const config = { ...SMALL, optimizer: OPTIMIZER_DEFAULTS.adam };
    const reference = await createRun(config);
    const fusedRun = await createRun(config, { fused: true });
    await reference.train(30);
    await fusedRun.train(30);
    const snap = await fusedRun.snapshot();
    const resumed = await createRun(config);
    resumed.restore(snap);
    const resumedFused = await createRun(config, { fused: true });
    resumedFused.restore(snap);
    resumedFused.reconfigure({ steps: config.steps });
    const [a, b, c] = [
      await reference.train(20),
      await resumed.train(20),
      await resumedFused.train(20),
    ];
    expectClose([...b.columns.loss], [...a.columns.loss], 1e-4, 'resumed losses');
    expectClose([...c.columns.loss], [...a.columns.loss], 1e-4, 'losses resumed on the fused path');
    expect(resumedFused.step).toBe(50);
    resumedFused.dispose();
    // Quantization is not fused: the run leaves the fused path and keeps training on TF.js.
    fusedRun.reconfigure({ quant: QUANT_PRESETS.int8 });
    expect(fusedRun.trainingPath()).toMatchObject({ fused: false });
    const after = await fusedRun.train(10);
    expect(after.columns.loss.every(Number.isFinite)).toBe(true);
    for (const r of [reference, fusedRun, resumed]) r.dispose();
  });

  it('a layer large enough to be kept apart by the TF.js optimizer hands its state over both ways', async () => {
    // 80 × 64 = 5,120 weights: the TF.js path keeps that moment apart, the fused path keeps all flat.
    const config: RunConfig = {
      ...SMALL,
      model: { ...SMALL.model, hidden: [80, 64] } as RunConfig['model'],
      optimizer: OPTIMIZER_DEFAULTS.adam,
    };
    const reference = await createRun(config);
    await reference.train(20);
    const fromTfjs = await reference.snapshot();
    const onFused = await createRun(config, { fused: true });
    onFused.restore(fromTfjs);
    onFused.reconfigure({ steps: config.steps });
    expect(onFused.trainingPath()).toMatchObject({ fused: true });
    const [a, b] = [await reference.train(10), await onFused.train(10)];
    expectClose([...b.columns.loss], [...a.columns.loss], 1e-4, 'TF.js state continued fused');
    const backOnTfjs = await createRun(config);
    backOnTfjs.restore(await onFused.snapshot());
    const [c, d] = [await reference.train(10), await backOnTfjs.train(10)];
    expectClose([...d.columns.loss], [...c.columns.loss], 1e-4, 'fused state continued on TF.js');
    for (const r of [reference, onFused, backOnTfjs]) r.dispose();
  });

  it('keeps evaluation within its budget of the training time, and evaluates the last step', async () => {
    const run = await createRun({ ...SMALL, steps: 60 }, { fused: true, evalBudget: 0 });
    const chunks = [];
    while (run.step < 60) chunks.push(await run.train(10));
    const evaluated = chunks.map((c) => Number.isFinite(c.columns.testLoss[c.rows - 1]));
    // Budget 0: the first chunk (nothing spent yet) and the last step only.
    expect(evaluated).toEqual([true, false, false, false, false, true]);
    run.dispose();
  });

  it('says why it falls back', async () => {
    const run = await createRun(
      { ...SMALL, model: { ...SMALL.model, norm: 'layer' } as RunConfig['model'] },
      { fused: true },
    );
    expect(run.trainingPath()).toEqual({
      fused: false,
      reason: 'TF.js kernels: the fused path has no layer norm',
    });
    run.dispose();
  });
});
