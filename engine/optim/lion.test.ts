import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lion } from './lion';
import type { LionState } from './scale-by-lion';
import { scaleBySign } from './scale-by-sign';
import { expectClose, named, step } from './test-utils';

// docs/algorithms.md#lion: w=[1,−2], m=[0.3,0.2], g=[0.5,−0.1], η=1e-4, λ=1.
describe('lion', () => {
  it('takes the reference step from a given momentum', () => {
    const opt = lion({ lr: 1e-4, weightDecay: 1 });
    const p = named({ w: [1, -2] });
    const init = opt.init(p) as readonly LionState[] & readonly unknown[];
    const state = [{ mu: named({ w: [0.3, 0.2] }) }, ...init.slice(1)];
    const out = step(opt, p, named({ w: [0.5, -0.1] }), state);
    expectClose(out.params.w, [0.9998, -1.9999], 8);
    expectClose((out.state as readonly LionState[])[0].mu.w, [0.302, 0.197]);
  });

  it('sign(0) = 0', () => {
    const [u] = scaleBySign().update(named({ w: [0, -3, 2] }), {}, named({ w: [0, 0, 0] }));
    expect(Array.from(u.w.dataSync())).toEqual([0, -1, 1]);
    expect(tf.sign(tf.scalar(-0)).dataSync()[0]).toBe(0);
  });
});
