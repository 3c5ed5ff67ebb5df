import { describe, expect, it } from 'vitest';
import { EvalBudget } from './eval-budget';
import { createRun, DEFAULT_CONFIG, type RunConfig } from './index';

describe('EvalBudget', () => {
  it('evaluates while evaluation time stays within its share of training time', () => {
    const b = new EvalBudget(0.1);
    expect(b.due(false)).toBe(true); // nothing spent yet: the first chunk is evaluated
    b.trained(100);
    b.evaluated(30); // 30 > 0.1 × 100
    expect(b.due(false)).toBe(false);
    b.trained(200); // 30 ≤ 0.1 × 300
    expect(b.due(false)).toBe(true);
    expect(new EvalBudget(0).due(true)).toBe(true); // the last step always
  });

  it('defaults to every chunk', () => {
    const b = new EvalBudget();
    b.evaluated(1e9);
    expect(b.due(false)).toBe(true);
  });
});

const SMALL: RunConfig = {
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, hidden: [8] } as RunConfig['model'],
  batchSize: 10,
  steps: 60,
  metricsEvery: 10,
  backend: 'cpu',
};

async function chunks(evalBudget: number) {
  const run = await createRun(SMALL, { evalBudget });
  const out = [];
  try {
    while (run.step < SMALL.steps) out.push(await run.train(10));
  } finally {
    run.dispose();
  }
  return out;
}

describe('the TF.js path under an evaluation budget', () => {
  it('skips evaluations, keeps the last step, and never changes training', async () => {
    const every = await chunks(Number.POSITIVE_INFINITY);
    const budgeted = await chunks(0);
    const evaluated = (cs: typeof every) =>
      cs.map((c) => Number.isFinite(c.columns.testLoss[c.rows - 1]));
    expect(evaluated(every)).toEqual([true, true, true, true, true, true]);
    // Budget 0: the first chunk (nothing spent yet) and the last step only.
    expect(evaluated(budgeted)).toEqual([true, false, false, false, false, true]);
    // Same batch losses and gradient norms, bit for bit: evaluation is a read, not a step.
    expect(budgeted.flatMap((c) => [...c.columns.loss])).toEqual(
      every.flatMap((c) => [...c.columns.loss]),
    );
    expect(budgeted.flatMap((c) => [...c.columns.gradNorm])).toEqual(
      every.flatMap((c) => [...c.columns.gradNorm]),
    );
    // The evaluated rows agree between the single and the split read-back.
    expect(budgeted.at(-1)!.columns.testLoss.at(-1)).toBeCloseTo(
      every.at(-1)!.columns.testLoss.at(-1)!,
      6,
    );
  });
});
