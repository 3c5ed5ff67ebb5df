import { describe, expect, it } from 'vitest';
import { chain } from './chain';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { masked } from './masked';
import { partition } from './partition';
import { relativeLr, scaleByLearningRate } from './scale-by-learning-rate';
import { trace, type TraceState } from './trace';
import { expectClose, named } from './test-utils';

const params = () => named({ a: [1, 2], b: [[3, 4]], c: [5] });
const grads = () => named({ a: [1, 1], b: [[1, 1]], c: [1] });

describe('chain', () => {
  it('applies transformations in order and keeps one state each', () => {
    const t = chain(scaleByLearningRate(0.5), trace({ decay: 0.9 }));
    const p = params();
    const s0 = t.init(p);
    const [u1, s1] = t.update(grads(), s0, p);
    const [u2] = t.update(grads(), s1, p);
    expectClose(u1.a, [-0.5, -0.5]);
    expectClose(u2.a, [-0.95, -0.95]);
    expect(s1).toHaveLength(2);
    expect(s1[0]).toEqual({}); // the learning rate keeps no count: the caller owns the step
  });

  it('uses the learning rate each update is given, and its own without one', () => {
    const t = chain(scaleByLearningRate(3));
    const p = params();
    const schedule = (step: number) => 1 / step;
    const [u1, s1] = t.update(grads(), t.init(p), p, schedule(1));
    const [u2, s2] = t.update(grads(), s1, p, schedule(2));
    const [u3] = t.update(grads(), s2, p);
    expectClose(u1.c, [-1]);
    expectClose(u2.c, [-0.5]);
    expectClose(u3.c, [-3]);
  });

  it('relativeLr gives its inner transformation a fixed multiple of the given rate', () => {
    const t = relativeLr(0.1, scaleByLearningRate(3));
    const p = params();
    expectClose(t.update(grads(), t.init(p), p, 2)[0].c, [-0.2]);
    expectClose(t.update(grads(), t.init(p), p)[0].c, [-3]); // none given: the inner's own
  });
});

describe('masked', () => {
  it('applies the inner transformation only where the mask holds; the rest pass through', () => {
    const t = masked((name) => name !== 'b', scaleByLearningRate(2));
    const p = params();
    const g = grads();
    const [u] = t.update(g, t.init(p), p);
    expectClose(u.a, [-2, -2]);
    expectClose(u.c, [-2]);
    expect(u.b).toBe(g.b);
  });

  it('keeps inner state over the selected names only', () => {
    const t = masked((_n, w) => w.rank >= 2, trace({ decay: 0.9 }));
    expect(Object.keys(t.init(params()).inner.momentum)).toEqual(['b']);
  });
});

describe('partition', () => {
  it('routes each parameter to the transformation of its label', () => {
    const t = partition((name) => (name === 'a' ? 'fast' : 'slow'), {
      fast: scaleByLearningRate(10),
      slow: chain(scaleByLearningRate(0.1), trace({ decay: 0.5 })),
    });
    const p = params();
    const s0 = t.init(p);
    const [u, s1] = t.update(grads(), s0, p);
    expectClose(u.a, [-10, -10]);
    // A given rate reaches every label: both scale by it.
    const [given] = t.update(grads(), s0, p, 2);
    expectClose(given.a, [-2, -2]);
    expectClose(given.b, [-2, -2]);
    expectClose(u.b, [-0.1, -0.1]);
    expectClose(u.c, [-0.1]);
    expect(Object.keys(u)).toEqual(['a', 'b', 'c']);
    const slow = s1.slow as readonly [unknown, TraceState];
    expect(Object.keys(slow[1].momentum)).toEqual(['b', 'c']);
  });

  it('throws on a label with no transformation', () => {
    const t = partition<string>(() => 'nope', { yes: scaleByLearningRate(1) });
    expect(() => t.init(params())).toThrow(/nope/);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all updates by min(1, c/‖u‖) over every tensor', () => {
    const t = clipByGlobalNorm(1);
    const p = params();
    const [u] = t.update(named({ a: [3, 0], b: [[0, 4]], c: [0] }), t.init(p), p);
    expectClose(u.a, [0.6, 0]);
    expectClose(u.b, [0, 0.8]);
    const [small] = t.update(named({ a: [0.1, 0], b: [[0, 0]], c: [0] }), t.init(p), p);
    expectClose(small.a, [0.1, 0]);
    const [zero] = t.update(named({ a: [0, 0], b: [[0, 0]], c: [0] }), t.init(p), p);
    expect(Array.from(zero.a.dataSync())).toEqual([0, 0]);
  });
});

describe('trace', () => {
  it('heavy ball: m ← μm + u; Nesterov: u + μm; EMA: m ← μm + (1−μ)u', () => {
    const p = named({ w: [0] });
    const g = named({ w: [1] });
    const run = (t: ReturnType<typeof trace>) => {
      const [u1, s1] = t.update(g, t.init(p), p);
      const [u2] = t.update(g, s1, p);
      return [u1.w.dataSync()[0], u2.w.dataSync()[0]];
    };
    expectClose(run(trace({ decay: 0.9 })), [1, 1.9]);
    expectClose(run(trace({ decay: 0.9, nesterov: true })), [1.9, 2.71]);
    expectClose(run(trace({ decay: 0.9, ema: true })), [0.1, 0.19]);
    expectClose(run(trace({ decay: 0.9, ema: true, nesterov: true })), [0.19, 0.271]);
  });
});
