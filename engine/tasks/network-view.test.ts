import { describe, expect, it } from 'vitest';
import { createRun, DATA_DEFAULTS, DEFAULT_CONFIG, MODEL_DEFAULTS } from '../index';

describe('network view of a 2-D MLP', () => {
  it('has one thumbnail per neuron and the kernels between layers', async () => {
    const run = await createRun({
      ...DEFAULT_CONFIG,
      data: { ...DATA_DEFAULTS.xor, features: ['x1', 'x2', 'x1x2'] },
      model: { ...MODEL_DEFAULTS.mlp, hidden: [4, 3] },
    });
    const view = (await run.views()).find((v) => v.kind === 'network');
    const snap = await run.snapshot();
    run.dispose();
    if (view?.kind !== 'network') throw new Error('no network view');
    expect(view.inputs).toEqual(['x1', 'x2', 'x1x2']);
    expect(view.widths).toEqual([4, 3, 2]);
    expect(view.activations.map((l) => l.length)).toEqual([3, 4, 3, 2]);
    for (const layer of view.activations)
      for (const a of layer) expect(a.length).toBe(view.side ** 2);
    // The x1 thumbnail is x1 itself: -1 on the left edge, +1 on the right (grid cell centres).
    expect(view.activations[0][0][0]).toBeLessThan(-0.9);
    expect(view.activations[0][0][view.side - 1]).toBeGreaterThan(0.9);
    expect(Array.from(view.weights[0])).toEqual(Array.from(snap.params['dense0/w'].values));
    expect(view.weights.map((w) => w.length)).toEqual([12, 12, 6]);
  });
});
