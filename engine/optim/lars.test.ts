import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { lars } from './lars';
import { trustRatiosOf } from './scale-by-trust-ratio';
import type { TraceState } from './trace';
import { expectClose, named, step } from './test-utils';

// docs/algorithms.md#lars: w=[1,−2], g=[0.5,0.5], η=0.1, λ=1e-4, μ=0.9, η_tc=0.001.
describe('lars', () => {
  it('takes the reference step (g′, r, v, w₁)', () => {
    const opt = lars({ lr: 0.1, weightDecay: 1e-4, excludeBiasAndNorm: false });
    const p = named({ w: W() });
    const { params, state } = step(opt, p, named({ w: [0.5, 0.5] }), opt.init(p));
    expectClose(trustRatiosOf(opt, state).w, 0.00316259, 8);
    // The trace holds −v: updates are added to w.
    const trace = (state as readonly unknown[])[3] as TraceState;
    expectClose(tf.neg(trace.momentum.w), [1.581613e-4, 1.580664e-4], 10);
    expectClose(params.w, [0.99984184, -2.00015807], 8);
  });

  it('with Nesterov takes w − (μ·v + η·r·g′)', () => {
    const opt = lars({ lr: 0.1, weightDecay: 1e-4, nesterov: true, excludeBiasAndNorm: false });
    const p = named({ w: W() });
    const v = [1.581613e-4, 1.580664e-4];
    const expected = [1 - 1.9 * v[0], -2 - 1.9 * v[1]];
    expectClose(step(opt, p, named({ w: [0.5, 0.5] }), opt.init(p)).params.w, expected, 9);
  });

  it('an excluded tensor (rank 1 by default) is plain momentum SGD: r = 1, no λ', () => {
    const opt = lars({ lr: 0.1, weightDecay: 1e-4 });
    const p = named({ w: W() });
    expectClose(step(opt, p, named({ w: [0.5, 0.5] }), opt.init(p)).params.w, [0.95, -2.05]);
  });
});

function W(): number[] {
  return [1, -2];
}
