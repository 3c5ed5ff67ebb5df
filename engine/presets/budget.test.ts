import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS } from '../data/schema';
import { DEFAULT_CONFIG } from '../config';
import { presetSeconds, runSeconds, runSuite, type SuiteRow } from './budget';
import { runPreset } from './run-preset';
import type { AvailablePreset } from './types';
import { above, pairedDiff, perSeed, verdict } from './verdict';

const config = {
  ...DEFAULT_CONFIG,
  data: { ...DATA_DEFAULTS.spiral, samples: 100 },
  steps: 30,
  metricsEvery: 10,
};
const tiny: AvailablePreset = {
  id: 'tiny',
  number: 99,
  title: 'Tiny',
  paper: { title: 't', url: 'https://example.org' },
  available: true,
  claim: 'c',
  expectation: 'e',
  lookAt: 'l',
  miniature: 'm',
  budgetSteps: 30,
  charts: ['loss'],
  arms: [
    { label: 'a', config, seeds: 3 },
    {
      label: 'b',
      config: { ...config, optimizer: { ...config.optimizer, lr: config.optimizer.lr / 10 } },
      seeds: 3,
    },
  ],
  verdict: (r) =>
    verdict(
      above(
        pairedDiff(
          perSeed(r, 'b', (x) => x.finalTrainLoss),
          perSeed(r, 'a', (x) => x.finalTrainLoss),
        ),
      ),
      's',
      {},
    ),
};
const cost = { stepSeconds: 0.01, evalSeconds: 0.02 };

describe('the claims runner never truncates', () => {
  it('estimates a preset from its grid and seeds, spread over the workers', () => {
    // 30 steps and 3 evaluations per run, 3 seeds per arm, 2 arms.
    expect(runSeconds(tiny.arms[0], cost)).toBeCloseTo(30 * 0.01 + 3 * 0.02, 12);
    expect(presetSeconds(tiny, [cost, cost], 1)).toBeCloseTo(6 * 0.36, 12);
    expect(presetSeconds(tiny, [cost, cost], 2)).toBeCloseTo(3 * 0.36, 12);
  });

  it('a budget too small yields "not run: needs ~N min" and no verdict; the preset never starts', async () => {
    let started = 0;
    const rows = await runSuite([tiny], {
      budgetSeconds: 1,
      estimate: async () => 125,
      execute: async (p) => {
        started++;
        return runPreset(p, {});
      },
    });
    expect(started).toBe(0);
    const row = rows[0] as SuiteRow;
    expect(row.status).toBe('not run');
    expect('verdict' in row).toBe(false);
    expect(row.status === 'not run' && row.needsMinutes).toBe(3);
  });

  it('a budget that fits runs every arm, every seed, every step', async () => {
    const done: number[] = [];
    const rows = await runSuite([tiny], {
      budgetSeconds: 600,
      estimate: async (p) => presetSeconds(p, [cost, cost], 1),
      execute: (p) => runPreset(p, {}, { onArm: (r) => done.push(r.loss.length) }),
    });
    const row = rows[0];
    expect(row.status).toBe('ran');
    if (row.status !== 'ran') return;
    expect(['pass', 'fail', 'inconclusive']).toContain(row.verdict.outcome);
    expect(done).toEqual([30, 30, 30, 30, 30, 30]);
  });

  it('runs what fits, cheapest first, and reports the rest', async () => {
    const order: string[] = [];
    const big = { ...tiny, id: 'big' };
    const rows = await runSuite([big, tiny], {
      budgetSeconds: 100,
      estimate: async (p) => (p.id === 'big' ? 1e6 : 1),
      execute: async (p) => {
        order.push(p.id);
        return runPreset(p, {});
      },
    });
    expect(order).toEqual(['tiny']);
    expect(rows.map((r) => [r.preset.id, r.status])).toEqual([
      ['big', 'not run'],
      ['tiny', 'ran'],
    ]);
  });

  it('with concurrency 2, two presets run at once, and what is in flight counts against the budget', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const presets = ids.map((id) => ({ ...tiny, id }));
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const rows = await runSuite(presets, {
      budgetSeconds: 100,
      concurrency: 2,
      // a and b start together; c waits for a slot, then fits beside b's remaining estimate.
      estimate: async (p) => ({ a: 30, b: 40, c: 50, d: 1e6 })[p.id] ?? 0,
      execute: async (p) => {
        started.push(p.id);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return { results: {}, lrChoice: {} };
      },
    });
    expect(most).toBe(2);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => r.status === 'not run')).toEqual([false, false, false, true]);
    // With 60 s, b (40) does not fit beside a's 30 still to run, though a slot is free.
    started.length = 0;
    const tight = await runSuite(presets.slice(0, 2), {
      budgetSeconds: 60,
      concurrency: 2,
      estimate: async (p) => (p.id === 'a' ? 30 : 40),
      execute: async (p) => {
        started.push(p.id);
        await new Promise((r) => setTimeout(r, 20));
        return { results: {}, lrChoice: {} };
      },
    });
    expect(started).toEqual(['a']);
    expect(tight[1].status).toBe('not run');
  });
});

describe('the estimate of derived arms', () => {
  it('counts the parent’s extra validation run that a child with a grid starts from', () => {
    const parent = { label: 'parent', config, seeds: 3 };
    const child = {
      label: 'child',
      config: { ...config, init: { from: 'parent' as const } },
      seeds: 3,
      lrGrid: [0.5, 1, 2],
      parent: { arm: 'parent' },
    };
    const cost = { stepSeconds: 1, evalSeconds: 0 };
    const withChild = { ...tiny, arms: [parent, child] };
    // Parent: 3 seeds + 1 validation run; child: 3 grid points + 3 seeds; 30 steps each.
    expect(presetSeconds(withChild, [cost, cost], 1)).toBe((4 + 6) * 30);
    const noGrid = { ...tiny, arms: [parent, { ...child, lrGrid: undefined }] };
    expect(presetSeconds(noGrid, [cost, cost], 1)).toBe((3 + 3) * 30);
  });
});
