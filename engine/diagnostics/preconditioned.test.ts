import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, MODEL_DEFAULTS, OPTIMIZER_DEFAULTS, type RunConfig } from '../config';
import * as tf from '@tensorflow/tfjs-core';
import { createRun } from '../run';
import { thawTree, treeTensors, type FrozenTree } from '../tree';
import { adamPreconditioner } from './preconditioned';

/** The second-moment values of a frozen Adam state, in parameter order. */
function frozenNu(tree: FrozenTree, names: readonly string[]): number[] | null {
  if (tree.t === 'array') {
    for (const x of tree.items) {
      const found = frozenNu(x, names);
      if (found) return found;
    }
    return null;
  }
  if (tree.t !== 'record') return null;
  const nu = tree.entries.nu;
  if (nu?.t === 'record') {
    const keys = '__flat__' in nu.entries ? ['__flat__'] : names;
    return keys.flatMap((k) => {
      const x = nu.entries[k];
      return x?.t === 'tensor' ? Array.from(x.values) : [];
    });
  }
  for (const x of Object.values(tree.entries)) {
    const found = frozenNu(x, names);
    if (found) return found;
  }
  return null;
}

describe('Adam preconditioned sharpness', () => {
  it('reads √v̂ + ε from the optimizer state in parameter order, for Adam (fused) and AdamW', async () => {
    for (const optimizer of [OPTIMIZER_DEFAULTS.adam, OPTIMIZER_DEFAULTS.adamw]) {
      const config: RunConfig = {
        ...DEFAULT_CONFIG,
        optimizer,
        model: { ...MODEL_DEFAULTS.mlp, hidden: [4] },
      };
      const run = await createRun(config);
      expect(
        (await run.measureSharpness({ iterations: 3, preconditioned: true })).preconditioned,
      ).toBe(false);
      await run.train(5);
      const tensors = tf.memory().numTensors;
      const m = await run.measureSharpness({ iterations: 30, preconditioned: true });
      await run.batchHessian([8, 32], { iterations: 5 });
      expect(tf.memory().numTensors).toBe(tensors);
      const plain = await run.measureSharpness({ iterations: 30 });
      expect(m.preconditioned, optimizer.kind).toBe(true);
      // The preconditioner is √(ν/(1−β₂⁵)) + ε of the state, in the order of the parameters.
      const snap = await run.snapshot();
      const names = Object.keys(snap.params);
      const nu = frozenNu(snap.optimizer.state, names);
      expect(nu?.length).toBe(run.paramCount);
      const state = thawTree(snap.optimizer.state);
      const params = Object.fromEntries(
        names.map((n) => [n, tf.tensor(snap.params[n].values, [...snap.params[n].shape])]),
      );
      const p = await adamPreconditioner(state, optimizer, params);
      const c2 = 1 - optimizer.beta2 ** 5;
      (nu ?? []).forEach((v, i) =>
        expect(p?.[i]).toBeCloseTo(Math.sqrt(v / c2) + optimizer.eps, 5),
      );
      tf.dispose([...treeTensors(state), ...Object.values(params)]);
      expect(plain.preconditioned).toBe(false);
      expect(Number.isFinite(m.lambdaMax)).toBe(true);
      // P ≈ √v̂ is far below 1 on this loss, so P⁻¹H is much sharper than H.
      expect(Math.abs(m.lambdaMax)).toBeGreaterThan(Math.abs(plain.lambdaMax));
      run.dispose();
    }
  });
});
