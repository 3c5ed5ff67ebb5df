import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { lamb } from './lamb';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio, trustRatiosOf } from './scale-by-trust-ratio';
import { expectClose, named, step } from './test-utils';

// docs/algorithms.md#lamb: w=[1,−2], g=[0.5,0.5], η=0.01, λ=0.01, t=1.
const W = [1, -2];
const G = [0.5, 0.5];
const opts = { lr: 0.01, weightDecay: 0.01 };

describe('lamb', () => {
  it('takes the reference first and second step, with its trust ratios', () => {
    // Rank-1 tensors are excluded by default; the reference excludes nothing.
    const opt = lamb({ ...opts, excludeBiasAndNorm: false });
    const g = named({ w: G });
    const s1 = step(opt, named({ w: W }), g, opt.init(named({ w: W })));
    expectClose(s1.params.w, [0.983952, -2.015571]);
    expectClose(trustRatiosOf(opt, s1.state).w, 1.588907);
    const s2 = step(opt, s1.params, g, s1.state);
    expectClose(trustRatiosOf(opt, s2.state).w, 1.594029);
    expectClose(s2.params.w, [0.967855, -2.03119]);
  });

  it('applies the same rule to a matrix by default (rank ≥ 2 is not excluded)', () => {
    const opt = lamb(opts);
    const p = named({ w: [W] });
    expectClose(step(opt, p, named({ w: [G] }), opt.init(p)).params.w, [0.983952, -2.015571]);
  });

  it('excludes rank-1 tensors and bias/norm roles from both λ and r by default', () => {
    const p = named({ w: W });
    const excluded = lamb(opts);
    expectClose(step(excluded, p, named({ w: G }), excluded.init(p)).params.w, [0.99, -2.01]);
    const byRole = lamb({ ...opts, roles: { m: 'norm' } });
    const pm = named({ m: [W] });
    expectClose(step(byRole, pm, named({ m: [G] }), byRole.init(pm)).params.m, [0.99, -2.01]);
  });

  it('excluded from adaptation only, it keeps λ', () => {
    const opt = chain(
      scaleByAdam({ beta1: 0.9, beta2: 0.999, eps: 1e-6 }),
      addDecayedWeights({ weightDecay: 0.01 }),
      scaleByLearningRate(0.01),
    );
    const p = named({ w: W });
    expectClose(step(opt, p, named({ w: G }), opt.init(p)).params.w, [0.9899, -2.0098]);
  });

  it('trust ratio is 1 when either norm is 0', () => {
    const t = scaleByTrustRatio();
    const p = named({ zero: [0, 0], w: [1, 2] });
    const [u, s] = t.update(named({ zero: [1, 1], w: [0, 0] }), t.init(p), p);
    expect(Array.from(u.zero.dataSync())).toEqual([1, 1]);
    expect(s.ratios.zero.dataSync()[0]).toBe(1);
    expect(s.ratios.w.dataSync()[0]).toBe(1);
    expect(tf.util.sizeFromShape(s.ratios.w.shape)).toBe(1);
  });
});
