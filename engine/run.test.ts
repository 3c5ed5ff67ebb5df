import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  createRun,
  DEFAULT_CONFIG,
  hotFields,
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  QUANT_PRESETS,
  SCHEDULE_DEFAULTS,
  type RunConfig,
} from './index';
import { flattened } from './optim/flatten';
import { adam } from './optim/adam';
import { runPlan } from './plan/run-plan';
import { freezeTree, thawTree, treeTensors, type FrozenTree } from './tree';

const at = (c: RunConfig, patch: Partial<RunConfig>): RunConfig => ({ ...c, ...patch });

async function trainTo(config: RunConfig, steps: number) {
  const run = await createRun(config);
  const losses: number[] = [];
  let lastEval = { testLoss: NaN, accuracy: NaN };
  while (run.step < steps) {
    const chunk = await run.train(Math.min(config.metricsEvery, steps - run.step));
    losses.push(...chunk.columns.loss);
    const last = chunk.rows - 1;
    lastEval = {
      testLoss: chunk.columns.testLoss[last],
      accuracy: chunk.columns.testAccuracy[last],
    };
  }
  return { run, losses, lastEval };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('run', () => {
  it('the default spiral run halves its loss within 200 steps', async () => {
    const { run, losses } = await trainTo(DEFAULT_CONFIG, 200);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 10)) / 2);
    run.dispose();
  });

  it.each([
    ['sgd', { kind: 'sgd', lr: 0.5 }, 600],
    ['adam', { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 300],
  ] as const)(
    '%s reduces the spiral loss on the whole training set',
    async (_name, optimizer, steps) => {
      const run = await createRun(at(DEFAULT_CONFIG, { optimizer }));
      const evals: number[] = [];
      while (run.step < steps) {
        const chunk = await run.train(10);
        evals.push(chunk.columns.trainLoss[9]);
      }
      expect(evals.every(Number.isFinite)).toBe(true);
      expect(evals[evals.length - 1]).toBeLessThan(0.6 * evals[0]);
      run.dispose();
    },
  );

  it('keeps the tensor count flat while training', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    await run.train(10);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run.train(10);
    await run.predictGrid(8);
    await run.predictGrid(8); // the cached grid survives between calls
    expect(tf.memory().numTensors).toBe(before + 1); // the cached 8x8 grid
    run.dispose();
  });
});

describe('snapshot and restore', () => {
  it("a fork with no change reproduces the parent's next 50 steps exactly", async () => {
    const parent = await createRun({ ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS.lamb });
    await parent.train(30);
    const snap = await parent.snapshot();
    const next = await parent.train(50);
    // What the worker does for a fork: a fresh run of the same config, restored, hot fields re-applied.
    const fork = await createRun({ ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS.lamb });
    fork.restore(snap);
    fork.reconfigure(hotFields(snap.config));
    expect(fork.step).toBe(30);
    const again = await fork.train(50);
    expect(again.columns.loss).toEqual(next.columns.loss);
    expect(again.columns.gradNorm).toEqual(next.columns.gradNorm);
    expect(again.columns.testLoss).toEqual(next.columns.testLoss);
    parent.dispose();
    fork.dispose();
  });

  it('restores a snapshot saved with one optimizer moment per parameter (before the fused update)', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const parent = await createRun(DEFAULT_CONFIG);
    await parent.train(30);
    const snap = await parent.snapshot();
    const next = await parent.train(20);
    // The same state in the old layout: Adam's moments as { [param]: tensor } records.
    const flat = thawTree(snap.optimizer.state);
    const shapes = Object.fromEntries(
      Object.entries(snap.params).map(([n, p]) => [n, tf.zeros([...p.shape])]),
    );
    const perParam = flattened(adam({ lr: 1 })).perParameter(flat, shapes);
    const oldState = await freezeTree(perParam);
    for (const t of [...treeTensors(flat), ...treeTensors(perParam), ...Object.values(shapes)])
      t.dispose();
    expect(JSON.stringify(oldState)).toContain('"dense0/w"');
    const fork = await createRun(DEFAULT_CONFIG);
    fork.restore({ ...snap, optimizer: { kind: snap.optimizer.kind, state: oldState } });
    expect((await fork.snapshot()).optimizer).toEqual(snap.optimizer); // converted to the flat layout, not dropped
    const again = await fork.train(20);
    expect(again.columns.loss).toEqual(next.columns.loss);
    parent.dispose();
    fork.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('restores a snapshot whose learning-rate state still holds the step count it once kept', async () => {
    const parent = await createRun(DEFAULT_CONFIG);
    await parent.train(10);
    const snap = await parent.snapshot();
    const next = await parent.train(5);
    const state = snap.optimizer.state;
    if (state.t !== 'array') throw new Error('expected the chain of Adam and the learning rate');
    const counted: FrozenTree = {
      t: 'array',
      items: [state.items[0], { t: 'record', entries: { count: { t: 'number', value: 10 } } }],
    };
    const fork = await createRun(DEFAULT_CONFIG);
    fork.restore({ ...snap, optimizer: { kind: snap.optimizer.kind, state: counted } });
    expect((await fork.train(5)).columns.loss).toEqual(next.columns.loss);
    parent.dispose();
    fork.dispose();
  });

  it('snapshot and restore round-trip every part of the state', async () => {
    const config = { ...DEFAULT_CONFIG, quant: { ...QUANT_PRESETS.mesa } };
    const a = await createRun(config);
    await a.train(25);
    const snap = await a.snapshot();
    const b = await createRun({ ...config, seed: 99 });
    b.restore(snap);
    const back = await b.snapshot();
    expect(back.step).toBe(snap.step);
    expect(back.samplesSeen).toBe(snap.samplesSeen);
    expect(back.cursor).toEqual(snap.cursor);
    expect(back.params).toEqual(snap.params);
    expect(back.optimizer).toEqual(snap.optimizer);
    expect(Object.keys(snap.buffers).length).toBeGreaterThan(0); // Mesa's running ranges
    expect(back.buffers).toEqual(snap.buffers);
    a.dispose();
    b.dispose();
  });

  it('reconfigure applies hot fields and rejects invalid ones', async () => {
    // A constant schedule, so the lr column reads the optimizer's lr as it is.
    const run = await createRun({ ...DEFAULT_CONFIG, schedule: SCHEDULE_DEFAULTS.constant });
    await run.train(5);
    run.reconfigure({ optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 8 });
    expect(run.config.optimizer.kind).toBe('sgd');
    const chunk = await run.train(5);
    expect(Array.from(chunk.columns.lr)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1].map(Math.fround));
    expect(() => run.reconfigure({ batchSize: -3 })).toThrow(/batchSize/);
    run.dispose();
  });
});

describe('optimizer lab in a run', () => {
  it('streams per-layer gradient norms, update ratios and trust ratios', async () => {
    const run = await createRun({ ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS.lamb });
    const chunk = await run.train(5);
    const layers = chunk.layers;
    expect(layers?.names).toEqual([
      'dense0/w',
      'dense0/b',
      'dense1/w',
      'dense1/b',
      'head/w',
      'head/b',
    ]);
    expect([...(layers?.gradNorm ?? [])].every((g) => g > 0)).toBe(true);
    expect([...(layers?.updateRatio ?? [])].every((r) => r > 0 && r < 1)).toBe(true);
    // LAMB adapts kernels; biases are excluded from the trust ratio, so they report none.
    expect(layers?.trustRatio[0]).toBeGreaterThan(0);
    expect(layers?.trustRatio[4]).toBeGreaterThan(0);
    expect(layers?.trustRatio[1]).toBeNaN();
    run.dispose();
  });

  it('trust ratios are NaN for optimizers without one', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    const chunk = await run.train(3);
    expect([...(chunk.layers?.trustRatio ?? [])].every(Number.isNaN)).toBe(true);
    run.dispose();
  });

  it('scales the learning rate with the batch size by the chosen rule', async () => {
    const run = await createRun({
      ...DEFAULT_CONFIG,
      schedule: SCHEDULE_DEFAULTS.constant,
      batchSize: 128,
      batchScaling: { rule: 'auto', referenceBatch: 32 },
      optimizer: { kind: 'sgd', lr: 0.1 },
    });
    expect((await run.train(2)).columns.lr[0]).toBeCloseTo(0.4, 6); // SGD: linear
    run.reconfigure({ optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 0.001 } });
    expect((await run.train(2)).columns.lr[0]).toBeCloseTo(0.002, 6); // Adam: square root
    run.dispose();
  });

  it.each(OPTIMIZERS.filter((k) => k !== 'adam'))(
    'switching Adam → %s mid-run keeps the loss finite and continuous',
    async (kind) => {
      const run = await createRun(DEFAULT_CONFIG);
      let before = NaN;
      for (let i = 0; i < 4; i++) before = (await run.train(10)).columns.trainLoss[9];
      run.reconfigure({ optimizer: OPTIMIZER_DEFAULTS[kind] });
      const after = await run.train(10);
      expect(after.columns.loss.every(Number.isFinite)).toBe(true);
      // One chunk after the switch the loss on the training set has not jumped.
      expect(after.columns.trainLoss[9]).toBeLessThan(before * 1.5);
      run.dispose();
    },
  );
});

describe('schedules and quantization in a run', () => {
  it('the lr column follows a WSD schedule over the budget', async () => {
    const run = await createRun({
      ...DEFAULT_CONFIG,
      steps: 100,
      schedule: { ...SCHEDULE_DEFAULTS.wsd, shape: 'linear' },
    });
    const lrs: number[] = [];
    while (run.step < 100) lrs.push(...(await run.train(10)).columns.lr);
    const peak = DEFAULT_CONFIG.optimizer.lr;
    expect(lrs[0]).toBeCloseTo(peak / 5, 6); // warmup: 5 steps, update 1 of 5
    expect(lrs[50]).toBeCloseTo(peak, 6); // stable
    expect(lrs[99]).toBeLessThan(peak * 0.2); // decayed over the last 10%
    run.dispose();
  });

  it('the lr column is the plan’s rate of each update, with batch scaling and WSD rounding', async () => {
    const configs: RunConfig[] = [
      // Power with batch scaling: the law reads B itself, so the rule does not apply to it.
      {
        ...DEFAULT_CONFIG,
        steps: 30,
        batchSize: 64,
        batchScaling: { rule: 'sqrt', referenceBatch: 32 },
        schedule: { ...SCHEDULE_DEFAULTS.power, referenceBatch: 16 },
      },
      // WSD where f·S = 0.5: the decay starts after update S − 1.
      {
        ...DEFAULT_CONFIG,
        steps: 20,
        batchSize: 128,
        batchScaling: { rule: 'auto', referenceBatch: 32 },
        schedule: { ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.025 },
      },
    ];
    for (const config of configs) {
      const run = await createRun(config);
      const lrs = Array.from((await run.train(config.steps)).columns.lr);
      const plan = runPlan(config);
      expect(lrs).toEqual(
        Array.from({ length: config.steps }, (_, i) => Math.fround(plan.lr(i + 1))),
      );
      run.dispose();
    }
  });

  it('the optimizer steps by the plan’s rate: a scheduled run equals one given each rate by hand', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      optimizer: OPTIMIZER_DEFAULTS.momentum,
      steps: 12,
      schedule: { ...SCHEDULE_DEFAULTS.wsd, warmupFraction: 0.25, decayFraction: 0.25 },
    };
    const plan = runPlan(config);
    const scheduled = await createRun(config);
    await scheduled.train(12);
    const byHand = await createRun({ ...config, schedule: SCHEDULE_DEFAULTS.constant });
    for (let n = 1; n <= 12; n++) {
      byHand.reconfigure({ optimizer: { ...config.optimizer, lr: plan.lr(n) } });
      await byHand.train(1);
    }
    expect((await byHand.snapshot()).params).toEqual((await scheduled.snapshot()).params);
    scheduled.dispose();
    byHand.dispose();
  });

  it('switching to ternary weights mid-run (warm-start QAT) keeps training and collapses the weights to three values', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    for (let i = 0; i < 10; i++) await run.train(10);
    run.reconfigure({ quant: QUANT_PRESETS['b1.58-absmean'] });
    const after = await run.train(20);
    expect(after.columns.loss.every(Number.isFinite)).toBe(true);
    const stats = await run.weightStats();
    const hidden = stats.find((s) => s.name === 'dense1/w');
    expect(hidden?.quantized).toBe(true);
    expect(hidden?.zeroFraction).toBeGreaterThan(0.1);
    expect(stats.find((s) => s.name === 'head/w')?.quantized).toBe(false);
    run.dispose();
  });
});
