import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_INFO } from './info';
import { lamb } from './lamb';
import { optimizerFromConfig } from './from-config';
import { OPTIMIZER_DEFAULTS, OPTIMIZERS, OptimizerConfigSchema } from './schema';
import { expectClose, named, step } from './test-utils';

describe('optimizer configs', () => {
  it.each(OPTIMIZERS)(
    '%s: the default parses, has lr and documented fields, and builds',
    (kind) => {
      const config = OPTIMIZER_DEFAULTS[kind];
      expect(v.parse(OptimizerConfigSchema, config)).toEqual(config);
      expect(config.lr).toBeGreaterThan(0);
      const info = OPTIMIZER_INFO[kind];
      expect(Object.keys(info.params).sort()).toEqual(
        Object.keys(config)
          .filter((k) => k !== 'kind')
          .sort(),
      );
      expect(info.paper.url).toMatch(/^https:\/\//);
      expect(info.summary.length).toBeGreaterThan(10);
      const opt = optimizerFromConfig(config, { w: 'kernel' });
      const p = named({
        w: [
          [1, 2],
          [3, 4],
        ],
      });
      const [u] = opt.update(
        named({
          w: [
            [0.1, -0.2],
            [0.3, 0.4],
          ],
        }),
        opt.init(p),
        p,
      );
      expect(u.w.shape).toEqual([2, 2]);
    },
  );

  it('keeps the sgd and adam shapes', () => {
    expect(v.safeParse(OptimizerConfigSchema, { kind: 'sgd', lr: 0.1 }).success).toBe(true);
    expect(
      v.safeParse(OptimizerConfigSchema, {
        kind: 'adam',
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
      }).success,
    ).toBe(true);
  });

  it.each([
    { kind: 'sgd', lr: 0 },
    { ...OPTIMIZER_DEFAULTS.lamb, beta1: 1.5 },
    { ...OPTIMIZER_DEFAULTS.muon, nsSteps: 2.5 },
    { ...OPTIMIZER_DEFAULTS.lars, extra: 1 },
    { kind: 'nope', lr: 0.1 },
  ])('rejects %o', (config) => {
    expect(v.safeParse(OptimizerConfigSchema, config).success).toBe(false);
  });

  it('passes roles: a LAMB config excludes a bias-role matrix', () => {
    const config = { ...OPTIMIZER_DEFAULTS.lamb, lr: 0.01, weightDecay: 0.01 };
    const p = named({ b: [[1, -2]] });
    const got = step(
      optimizerFromConfig(config, { b: 'bias' }),
      p,
      named({ b: [[0.5, 0.5]] }),
      optimizerFromConfig(config, { b: 'bias' }).init(p),
    );
    expectClose(got.params.b, [0.99, -2.01]);
    const plain = lamb({ lr: 0.01, weightDecay: 0.01 });
    expectClose(
      step(plain, p, named({ b: [[0.5, 0.5]] }), plain.init(p)).params.b,
      [0.983952, -2.015571],
    );
  });

  it.each([
    [OPTIMIZER_DEFAULTS.rmsprop, { ...OPTIMIZER_DEFAULTS.rmsprop, momentum: 0.9 }],
    [
      OPTIMIZER_DEFAULTS.lamb,
      { ...OPTIMIZER_DEFAULTS.lamb, weightDecay: 0, excludeBiasAndNorm: false },
    ],
    [OPTIMIZER_DEFAULTS.lars, { ...OPTIMIZER_DEFAULTS.lars, nesterov: true, weightDecay: 0.01 }],
    [OPTIMIZER_DEFAULTS.muon, { ...OPTIMIZER_DEFAULTS.muon, nesterov: false, weightDecay: 0.1 }],
  ])('a hot change of hyper-parameters keeps the state usable (%o)', (before, after) => {
    const p = named({
      w: [
        [1, 2],
        [3, 4],
      ],
      b: [1, -1],
    });
    const g = named({
      w: [
        [0.1, -0.2],
        [0.3, 0.4],
      ],
      b: [0.5, 0.5],
    });
    const roles = { w: 'kernel', b: 'bias' } as const;
    const first = optimizerFromConfig(before, roles);
    const [, s1] = first.update(g, first.init(p), p);
    const [u] = optimizerFromConfig(after, roles).update(g, s1, p);
    expect(Array.from(u.w.dataSync()).every(Number.isFinite)).toBe(true);
  });
});
