import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// The public surface, part 1: optimizers, their blocks and schedules, from index.ts only.
import {
  adagrad,
  adam,
  adamw,
  adaptableMask,
  addDecayedWeights,
  calibratePowerA,
  chain,
  clipByGlobalNorm,
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  flattened,
  hiddenMatrixMask,
  join,
  lamb,
  lars,
  linearSchedule,
  lion,
  masked,
  minimizeStep,
  momentum,
  muon,
  nesterov,
  newtonSchulz,
  oneCycleSchedule,
  orthogonalizeNewtonSchulz,
  partition,
  piecewiseSchedule,
  powerDecay,
  powerLr,
  powerSchedule,
  rmsprop,
  scaleByAdagrad,
  scaleByAdam,
  scaleByLearningRate,
  scaleByLion,
  scaleByRms,
  scaleBySign,
  scaleByTrustRatio,
  scaledLr,
  DEFAULT_CONFIG,
  runPlan,
  scaleSchedule,
  SCHEDULE_DEFAULTS,
  SCHEDULES,
  sgd,
  trace,
  trustRatiosOf,
  wsdSchedule,
  type GradientTransformation,
} from './index';
import { values, near, vec, applyOnce } from './index.test-helper';

describe('every named optimizer takes a loss down from engine/index.ts', () => {
  const table: [string, GradientTransformation][] = [
    ['sgd', sgd({ lr: 0.1 })],
    ['momentum', momentum({ lr: 0.05 })],
    ['nesterov', nesterov({ lr: 0.05 })],
    ['adam', adam({ lr: 0.01 })],
    ['adamw', adamw({ lr: 0.01 })],
    ['rmsprop', rmsprop({ lr: 0.01 })],
    ['adagrad', adagrad({ lr: 0.1 })],
    ['lamb', lamb({ lr: 0.01 })],
    ['lars', lars({ lr: 1 })],
    ['lion', lion({ lr: 0.003 })],
    ['muon', muon({ lr: 0.02 })],
    ['flattened adam', flattened(adam({ lr: 0.01 }))],
  ];
  it.each(table)('%s: 5 steps on Σw² lower it', (_, opt) => {
    // A matrix, so LAMB and LARS adapt it and Muon orthogonalizes it; plus a bias-like vector.
    const vars = {
      w: tf.variable(
        tf.tensor2d([
          [1, -2],
          [0.5, 3],
        ]),
      ),
      b: tf.variable(tf.tensor1d([0.5, -0.5])),
    };
    const loss = () => tf.add(tf.sum(tf.square(vars.w)), tf.sum(tf.square(vars.b))) as tf.Scalar;
    const before = loss().dataSync()[0];
    let state = opt.init(vars);
    for (let i = 0; i < 5; i++) {
      const out = minimizeStep(opt, vars, loss, state);
      state = out.state;
      out.loss.dispose();
    }
    const after = loss().dataSync()[0];
    expect(after).toBeLessThan(before);
    expect(Number.isFinite(after)).toBe(true);
  });
});

describe('optimizer blocks from engine/index.ts', () => {
  it('LAMB rebuilt from chain, masked, trust ratio: the reference step and r', () => {
    const lambChain = chain(
      scaleByAdam({ beta1: 0.9, beta2: 0.999, eps: 1e-6 }),
      addDecayedWeights({ weightDecay: 0.01 }),
      masked(adaptableMask(false), scaleByTrustRatio()),
      scaleByLearningRate(0.01),
    );
    const p = vec({ w: [1, -2] });
    const [u, s] = lambChain.update(vec({ w: [0.5, 0.5] }), lambChain.init(p), p);
    near(values(tf.add(p.w, u.w)), [0.983952, -2.015571]);
    near(values(trustRatiosOf(lambChain, s).w), [1.588907]);
  });

  it('trace, scaleByRms, scaleByAdagrad, scaleByLion, scaleBySign, clipByGlobalNorm', () => {
    const p = vec({ w: [0, 0] });
    const g = vec({ w: [2, -2] });
    const first = (t: GradientTransformation) => values(t.update(g, t.init(p), p)[0].w);
    near(first(trace({ decay: 0.9 })), [2, -2]);
    near(first(trace({ decay: 0.9, ema: true })), [0.2, -0.2]);
    near(first(scaleByRms({ decay: 0.9, eps: 0 })), [2 / Math.sqrt(0.4), -2 / Math.sqrt(0.4)]);
    near(first(scaleByAdagrad({ initialAccumulator: 0, eps: 0 })), [1, -1]);
    near(first(scaleByLion({ beta1: 0.9, beta2: 0.99 })), [0.2, -0.2]);
    expect(
      values(scaleBySign().update(vec({ w: [0, -3, 2] }), {}, vec({ w: [0, 0, 0] }))[0].w),
    ).toEqual([0, -1, 1]);
    near(
      values(clipByGlobalNorm(1).update(vec({ w: [3, 4] }), {}, vec({ w: [0, 0] }))[0].w),
      [0.6, 0.8],
    );
  });

  it('partition and the hidden-matrix mask send matrices and vectors apart', () => {
    const isHidden = hiddenMatrixMask();
    const t = partition((name, param) => (isHidden(name, param) ? 'fast' : 'slow'), {
      fast: sgd({ lr: 1 }),
      slow: sgd({ lr: 0.1 }),
    });
    const p = vec({ m: [[1]], v: [1] });
    const out = applyOnce(t, p, vec({ m: [[1]], v: [1] }));
    near(out.m, [0]);
    near(out.v, [0.9]);
  });

  it('Newton–Schulz: the reference NS₅ of [[1,2],[3,4]], as a function and a block', () => {
    const expected = [-0.680661, 0.82554, 0.741295, 0.25944];
    near(
      values(
        newtonSchulz(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
      expected,
    );
    const [u] = orthogonalizeNewtonSchulz().update(
      vec({
        w: [
          [1, 2],
          [3, 4],
        ],
      }),
      {},
      vec({
        w: [
          [0, 0],
          [0, 0],
        ],
      }),
    );
    near(values(u.w), expected);
  });
});

describe('schedules from engine/index.ts', () => {
  it('each factory gives its value at a step', () => {
    expect(constantSchedule(0.3)(7)).toBe(0.3);
    expect(piecewiseSchedule({ init: 1, boundaries: [10], factor: 0.1 })(10)).toBeCloseTo(0.1, 12);
    expect(exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 10 })(10)).toBeCloseTo(
      0.5,
      12,
    );
    expect(cosineSchedule({ init: 2, decaySteps: 100 })(50)).toBeCloseTo(1, 12);
    expect(linearSchedule({ from: 0, to: 1, steps: 10 })(5)).toBeCloseTo(0.5, 12);
    expect(join([constantSchedule(1), constantSchedule(2)], [5])(5)).toBe(2);
    near(
      [
        wsdSchedule({
          peak: 1e-3,
          warmupSteps: 100,
          decayStart: 800,
          totalSteps: 1000,
          shape: 'exponential',
          halfLife: 40,
        })(850),
      ],
      [4.2045e-4],
    );
    near([powerLr(1e5, { a: 4.6, b: -0.51, maxLr: 1, batchSize: 1 })], [0.0129646]);
    near([powerDecay(0.25, 0.1)], [0.685061]);
    near(
      [calibratePowerA({ maxLr: 3e-3, batchSize: 32, warmupSamples: 3200, b: -0.51 })],
      [0.0057491],
    );
    const power = powerSchedule({
      a: 0.0057491,
      b: -0.51,
      maxLr: 3e-3,
      batchSize: 32,
      warmupSteps: 100,
      totalSteps: 1000,
      decaySteps: 100,
    });
    near([power(200)], [0.00210667]);
    expect(oneCycleSchedule({ peak: 1, totalSteps: 100 })(0)).toBeCloseTo(0.04, 12);
    expect(scaledLr(0.1, 128, 32, 'linear', 'sgd')).toBeCloseTo(0.4, 12);
    expect(scaleSchedule(constantSchedule(1e-3), 2)(0)).toBeCloseTo(2e-3, 12);
    for (const kind of SCHEDULES) {
      const plan = runPlan({
        ...DEFAULT_CONFIG,
        optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.01 },
        schedule: SCHEDULE_DEFAULTS[kind],
        steps: 100,
        batchSize: 32,
      });
      const lrs = Array.from({ length: 100 }, (_, s) => plan.lr(s + 1));
      expect(Math.max(...lrs), kind).toBeLessThanOrEqual(0.01 * (1 + 1e-12));
    }
  });
});
