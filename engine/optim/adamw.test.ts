import { describe, it } from 'vitest';
import { adam } from './adam';
import { adamw } from './adamw';
import { expectClose, named, step } from './test-utils';

/** AdamW in float64: w ← w(1−ηλ) − η·m̂/(√v̂+ε). */
function oracle(
  w: number[],
  grads: number[][],
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  wd: number,
): number[] {
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  let x = [...w];
  grads.forEach((g, k) => {
    const t = k + 1;
    x = x.map((xi, i) => {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
      const mh = m[i] / (1 - b1 ** t);
      const vh = v[i] / (1 - b2 ** t);
      return xi * (1 - lr * wd) - (lr * mh) / (Math.sqrt(vh) + eps);
    });
  });
  return x;
}

describe('adamw', () => {
  const grads = [
    [0.5, -0.1, 2],
    [0.3, 0.2, -1],
    [-0.4, 0.05, 0.5],
  ];
  const w = [1, -2, 0.5];

  it.each([
    { wd: 0.01, lr: 0.01 },
    { wd: 0.1, lr: 0.003 },
    { wd: 0, lr: 0.01 },
  ])('matches its formula over 3 steps (λ=$wd, η=$lr)', ({ wd, lr }) => {
    const opt = adamw({ lr, weightDecay: wd });
    let p = named({ w });
    let s = opt.init(p);
    for (const g of grads) ({ params: p, state: s } = step(opt, p, named({ w: g }), s));
    expectClose(p.w, oracle(w, grads, lr, 0.9, 0.999, 1e-8, wd), 7);
  });

  it('with λ = 0 equals Adam', () => {
    const p = named({ w });
    const a = adam({ lr: 0.01 });
    const b = adamw({ lr: 0.01, weightDecay: 0 });
    const g = named({ w: grads[0] });
    expectClose(
      step(b, p, g, b.init(p)).params.w,
      Array.from(step(a, p, g, a.init(p)).params.w.dataSync()),
      8,
    );
  });
});
