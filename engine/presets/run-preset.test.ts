import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { NODE_ENV } from '../data/node-assets';
import { MODEL_DEFAULTS } from '../models/schema';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { chooseFactor, withLrFactor } from './lr-grid';
import { runArm, runPreset, type ArmJob } from './run-preset';
import type { ArmResult, AvailablePreset, PresetArm } from './types';
import { verdict } from './verdict';

const lm: RunConfig = {
  ...DEFAULT_CONFIG,
  data: { kind: 'chars', domains: ['arithmetic'], sequenceLength: 8, corpusChars: 2000 },
  model: { ...MODEL_DEFAULTS.transformer, dim: 8, layers: 1, heads: 1, mlpRatio: 1 },
  optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 3e-3 },
  batchSize: 8,
  steps: 12,
  metricsEvery: 6,
};

describe('runArm', () => {
  it('with heldOut "validation" it reports a split carved from the training data, not the test split', async () => {
    const arm: PresetArm = { label: 'lm', config: lm, seeds: 1 };
    const test = await runArm(arm, 0, { heldOut: 'test' });
    const validation = await runArm(arm, 0, { heldOut: 'validation' });
    expect(test.loss.length).toBe(12);
    expect(validation.loss.length).toBe(12);
    expect(validation.finalTestLoss).not.toBe(test.finalTestLoss);
  });

  it('measures the batch Hessian at the initial weights: a positive λ_max per batch size, larger for small batches', async () => {
    const mlp: RunConfig = {
      ...DEFAULT_CONFIG,
      data: { kind: 'mnist', trainSamples: 512 },
      model: { ...MODEL_DEFAULTS.mlp, hidden: [16] },
      steps: 4,
      metricsEvery: 4,
    };
    const arm: PresetArm = {
      label: 'h',
      config: mlp,
      seeds: 1,
      batchHessian: { sizes: [4, 256], batches: 4, iterations: 15 },
    };
    const r = await runArm(arm, 0, { ...NODE_ENV, heldOut: 'test' });
    const [small, large] = [r.extra['lambdaMax@4'], r.extra['lambdaMax@256']];
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(0);
    // The mean over batches of the top eigenvalue shrinks toward the full Hessian's as B grows.
    expect(small).toBeGreaterThan(large);
  });
});

describe('LR grid', () => {
  it('a factor scales every rate of the optimizer, Muon’s AdamW part too', () => {
    const muon = withLrFactor({ ...lm, optimizer: OPTIMIZER_DEFAULTS.muon }, 3).optimizer;
    expect(muon.kind === 'muon' && [muon.lr, muon.adamLr]).toEqual([
      3 * OPTIMIZER_DEFAULTS.muon.lr,
      3 * OPTIMIZER_DEFAULTS.muon.adamLr,
    ]);
  });

  it('chooses the lowest validation loss; a diverged rate never wins', () => {
    const r = (finalTestLoss: number) =>
      ({ finalTestLoss }) as Parameters<typeof chooseFactor>[1][number];
    expect(chooseFactor([0.1, 1, 10], [r(2), r(1.5), r(Number.NaN)])).toBe(1);
    expect(Number.isNaN(chooseFactor([1, 10], [r(Number.NaN), r(Number.NaN)]))).toBe(true);
  });

  it('runs the grid on the validation split, then every seed at the chosen factor', async () => {
    const preset: AvailablePreset = {
      id: 'grid',
      number: 99,
      title: 'Grid',
      paper: { title: 't', url: 'https://example.org' },
      available: true,
      claim: 'c',
      expectation: 'e',
      lookAt: 'l',
      miniature: 'm',
      budgetSteps: 12,
      charts: ['loss'],
      arms: [
        { label: 'tuned', config: lm, seeds: 3, lrGrid: [0.1, 1, 10] },
        { label: 'follows', config: lm, seeds: 3, lrFrom: 'tuned' },
      ],
      verdict: () => verdict('inconclusive', 's', {}),
    };
    const jobs: ArmJob[] = [];
    const run = await runPreset(
      preset,
      {},
      {
        exec: (job, arm) => {
          jobs.push(job);
          return runArm(arm, job.seedIndex, { heldOut: job.heldOut }, job.lrFactor);
        },
      },
    );
    const choice = run.lrChoice.tuned;
    expect(choice.validationLoss).toHaveLength(3);
    expect(choice.factor).toBe(
      chooseFactor(
        [0.1, 1, 10],
        choice.validationLoss.map((finalTestLoss) => ({ finalTestLoss }) as never),
      ),
    );
    expect(choice.lr).toBeCloseTo(3e-3 * choice.factor, 12);
    const grid = jobs.filter((j) => j.heldOut === 'validation');
    expect(grid.map((j) => j.lrFactor)).toEqual([0.1, 1, 10]);
    const seeds = jobs.filter((j) => j.heldOut === 'test');
    expect(seeds).toHaveLength(6);
    expect(seeds.every((j) => j.lrFactor === choice.factor)).toBe(true);
    expect(run.results.tuned.map((r) => r.seed)).toEqual([lm.seed, lm.seed + 1, lm.seed + 2]);
  });
  it('a trained arm reports its evaluation curves and the last of each', async () => {
    const arm: PresetArm = {
      label: 'short',
      config: { ...DEFAULT_CONFIG, steps: 20, metricsEvery: 10 },
      seeds: 1,
      measures: ['paramCount'],
    };
    const r = await runArm(arm, 0, {}, 1);
    expect(r.evalSteps).toEqual([10, 20]);
    expect(r.loss.length).toBe(20);
    expect(r.finalTestLoss).toBe(r.testLoss[1]);
    expect(r.bestTestLoss).toBe(Math.min(...r.testLoss));
    expect(r.finalTestAccuracy).toBe(r.testAccuracy[1]);
    expect(Number.isFinite(r.finalTrainLoss)).toBe(true);
    expect(r.extra.params).toBeGreaterThan(0);
  });
});

describe('derived arms', () => {
  const teacherConfig: RunConfig = {
    ...DEFAULT_CONFIG,
    model: { ...MODEL_DEFAULTS.mlp, hidden: [8] },
    steps: 10,
    metricsEvery: 10,
  };
  const preset: AvailablePreset = {
    id: 'derived',
    number: 98,
    title: 'Derived',
    paper: { title: 't', url: 'https://example.org' },
    available: true,
    claim: 'c',
    expectation: 'e',
    lookAt: 'l',
    miniature: 'm',
    budgetSteps: 10,
    charts: ['loss'],
    arms: [
      // Listed before its parent: the runner still runs the parent first.
      {
        label: 'pruned',
        config: {
          ...teacherConfig,
          model: { ...MODEL_DEFAULTS.mlp, hidden: [3] },
          init: { from: 'parent', prune: { calibration: 50 } },
        },
        seeds: 2,
        lrGrid: [0.5, 1, 2],
        parent: { arm: 'teacher' },
      },
      { label: 'teacher', config: teacherConfig, seeds: 2 },
    ],
    verdict: () => verdict('inconclusive', 's', {}),
  };

  it('runs parents first and starts each child seed from the same seed of its parent', async () => {
    const jobs: ArmJob[] = [];
    const out: Record<string, ArmResult> = {};
    const run = await runPreset(
      preset,
      {},
      {
        exec: async (job, arm) => {
          jobs.push(job);
          // The spiral has no validation split: every job evaluates on its test split here.
          const r = await runArm(arm, job.seedIndex, {}, job.lrFactor, job);
          out[`${arm.label}:${job.heldOut}:${job.seedIndex}:${job.lrFactor}`] = r;
          return r;
        },
      },
    );
    const order = jobs.map((j) => `${preset.arms[j.armIndex].label}:${j.heldOut}:${j.seedIndex}`);
    expect(order).toEqual([
      // The teacher has no grid: one run on the validation split for the child's grid.
      'teacher:validation:0',
      'teacher:test:0',
      'teacher:test:1',
      'pruned:validation:0',
      'pruned:validation:0',
      'pruned:validation:0',
      'pruned:test:0',
      'pruned:test:1',
    ]);
    const teacherJobs = jobs.filter((j) => j.armIndex === 1);
    expect(teacherJobs.every((j) => j.keepSnapshot === true && !j.parent)).toBe(true);
    for (const s of [0, 1]) {
      const child = jobs.find((j) => j.armIndex === 0 && j.heldOut === 'test' && j.seedIndex === s);
      expect(child?.parent).toBe(out[`teacher:test:${s}:1`].snapshot);
      expect(child?.parent?.config.seed).toBe(teacherConfig.seed + s);
    }
    const grid = jobs.filter((j) => j.armIndex === 0 && j.heldOut === 'validation');
    expect(grid.every((j) => j.parent === out['teacher:validation:0:1'].snapshot)).toBe(true);
    // Results carry no snapshots; the child has the pruned width.
    expect(run.results.teacher.every((r) => r.snapshot === undefined)).toBe(true);
    expect(run.results.pruned).toHaveLength(2);
    expect(run.lrChoice.pruned.grid).toEqual([0.5, 1, 2]);
  });

  it('refuses an unknown parent and a derived arm run without its parent', async () => {
    const orphan = { ...preset, arms: [{ ...preset.arms[0], parent: { arm: 'nobody' } }] };
    await expect(runPreset(orphan, {})).rejects.toThrow(/no parent arm/);
    await expect(runArm(preset.arms[0], 0, {})).rejects.toThrow(/parent/);
  });
});
