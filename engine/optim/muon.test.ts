import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adamw } from './adamw';
import { muon } from './muon';
import { newtonSchulz } from './orthogonalize-newton-schulz';
import { expectClose, named, step } from './test-utils';

/** Singular values of a 2×2 matrix, largest first. */
function singular2([[a, b], [c, d]]: number[][]): [number, number] {
  const [p, q, r] = [a * a + c * c, a * b + c * d, b * b + d * d]; // XᵀX = [[p,q],[q,r]]
  const mid = (p + r) / 2;
  const rad = Math.sqrt(((p - r) / 2) ** 2 + q * q);
  return [Math.sqrt(mid + rad), Math.sqrt(mid - rad)];
}

// docs/algorithms.md#muon. PyTorch G is [out=3, in=2]; the TF.js kernel is its transpose,
// [in=2, out=3].
const G_TORCH = [
  [0.5, -1],
  [2, 0],
  [1, 1],
];
const G_TF = [
  [0.5, 2, 1],
  [-1, 0, 1],
];
const W1_TORCH = [
  [0.09449, 0.112597],
  [0.079222, 0.100631],
  [0.089926, 0.087876],
];
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

describe('Newton–Schulz (NS₅)', () => {
  it('maps [[1,2],[3,4]] to the reference output, not to UVᵀ', () => {
    const out = newtonSchulz(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(out, [
      [-0.680661, 0.82554],
      [0.741295, 0.25944],
    ]);
    expectClose(singular2(out.arraySync()), [1.128395, 0.698833]);
  });

  it.each([
    [0, 0.997765, 0.066816],
    [1, 0.702645, 0.228726],
    [2, 1.111733, 0.731981],
    [3, 1.075479, 0.718293],
    [4, 1.092988, 0.687571],
    [5, 1.128395, 0.698833],
  ])('singular values after %i iterations', (k, s1, s2) => {
    expectClose(
      singular2(
        newtonSchulz(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          k,
        ).arraySync(),
      ),
      [s1, s2],
    );
  });

  it('orthogonalizes a tall matrix through its transpose: NS(Gᵀ) = NS(G)ᵀ', () => {
    const expected = [
      [0.224939, -0.514261],
      [0.848252, -0.025753],
      [0.41125, 0.494946],
    ];
    expectClose(newtonSchulz(tf.tensor2d(G_TORCH)), expected);
    expectClose(newtonSchulz(tf.tensor2d(G_TF)), transpose(expected));
  });
});

describe('muon', () => {
  const roles = { w: 'kernel', b: 'bias', h: 'head' } as const;

  it('takes the reference step on a TF.js [in, out] kernel (aspect factor √(out/in))', () => {
    const opt = muon({ lr: 0.02, roles });
    const p = named({
      w: [
        [0.1, 0.1, 0.1],
        [0.1, 0.1, 0.1],
      ],
    });
    expectClose(step(opt, p, named({ w: G_TF }), opt.init(p)).params.w, transpose(W1_TORCH));
  });

  it('flattens a conv kernel [kh, kw, Cin, Cout] to [kh·kw·Cin, Cout]', () => {
    const opt = muon({ lr: 0.02 });
    const p = { w: tf.fill([1, 1, 2, 3], 0.1) };
    const out = step(opt, p, { w: tf.reshape(tf.tensor2d(G_TF), [1, 1, 2, 3]) }, opt.init(p)).params
      .w;
    expect(out.shape).toEqual([1, 1, 2, 3]);
    expectClose(out, transpose(W1_TORCH));
  });

  it('sends biases and the head to AdamW with its own hyper-parameters', () => {
    const opt = muon({ roles, adamLr: 0.01, adamWeightDecay: 0.1 });
    const ref = adamw({ lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-10, weightDecay: 0.1 });
    const p = named({
      w: [
        [1, 2],
        [3, 4],
      ],
      b: [0.5, -0.5],
      h: [
        [1, -1],
        [2, 0],
      ],
    });
    const g = named({
      w: [
        [1, 0],
        [0, 1],
      ],
      b: [0.2, 0.1],
      h: [
        [0.3, -0.2],
        [0.1, 0.4],
      ],
    });
    const got = step(opt, p, g, opt.init(p)).params;
    const sub = { b: p.b, h: p.h };
    const want = step(ref, sub, { b: g.b, h: g.h }, ref.init(sub)).params;
    expectClose(got.b, Array.from(want.b.dataSync()), 8);
    expectClose(got.h, Array.from(want.h.dataSync()), 8);
  });
});
