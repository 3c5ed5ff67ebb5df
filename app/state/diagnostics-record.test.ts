import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/tf-free';
import type { DiagnosticsRecord } from './diagnostics-record';
import type { StoredRun } from './stored-run';
import { exportComparison, importComparison } from './transfer';

const run: StoredRun = {
  id: 'a',
  createdAt: 1700000000000,
  label: 'a',
  color: '#0877bd',
  config: DEFAULT_CONFIG,
  status: 'paused',
  step: 40,
  hidden: false,
};

const diagnostics: DiagnosticsRecord = {
  lrFinder: {
    fromStep: 0,
    suggested: 0.03,
    divergedAt: Number.NaN,
    wallMs: 812,
    points: [
      { lr: 1e-5, loss: 1.1 },
      { lr: 1e-4, loss: Number.NaN },
    ],
  },
  sharpness: [
    { step: 0, lambdaMax: 1.5, lr: 0.1, threshold: 20, iterations: 10, converged: true, ms: 12 },
  ],
  batchHessian: { step: 40, points: [{ batchSize: 8, mean: 9, values: [8, 10] }] },
  criticalBatch: {
    sweep: 'sweep-1',
    target: 0.3,
    batchSize: 32,
    stepsToTarget: null,
    fit: { bCrit: 30, lo: 20, hi: 44, level: 0.9, sMin: 100, k: 3000 },
  },
};

describe('diagnostics in the run export', () => {
  it('travel with the run and read back the same (NaN as null)', async () => {
    const text = exportComparison([{ run, metrics: null, diagnostics }]);
    const back = await importComparison(text);
    if (!back.ok) throw new Error(back.message);
    expect(back.runs[0].diagnostics).toEqual(diagnostics);
  });

  it('are left out when there are none, and a file with an unknown diagnostics field is refused', async () => {
    expect(exportComparison([{ run, metrics: null, diagnostics: {} }])).not.toContain(
      'diagnostics',
    );
    const text = exportComparison([{ run, metrics: null, diagnostics }]).replace(
      '"lrFinder"',
      '"other"',
    );
    expect((await importComparison(text)).ok).toBe(false);
  });
});
