import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { hessianVectorProduct, lanczos, powerIteration, type Hvp } from './hessian';

const H = [
  [2, 1],
  [1, 3],
];
const matHvp: Hvp = (v) => Float64Array.from(H.map((row) => row[0] * v[0] + row[1] * v[1]));

describe('powerIteration (docs/algorithms.md#hessian-eigenvalues)', () => {
  it('gives the reference Rayleigh quotients on [[2,1],[1,3]] from [1,0]', async () => {
    const r = await powerIteration(matHvp, 2, { v0: Float64Array.from([1, 0]), tol: 1e-9 });
    const expected = [2, 3, 3.5, 3.6, 3.615385, 3.617647, 3.617978, 3.618026];
    expected.forEach((x, i) => expect(r.history[i]).toBeCloseTo(x, 5));
    expect(r.eigenvalue).toBeCloseTo(3.618034, 5);
    expect(r.converged).toBe(true);
  });

  it('stops at tol and returns the latest estimate', async () => {
    const r = await powerIteration(matHvp, 2, { v0: Float64Array.from([1, 0]) });
    expect(r.eigenvalue).toBe(r.history[r.history.length - 1]);
    expect(r.history.length).toBeLessThan(8);
  });
});

describe('the largest eigenvalue of an indefinite matrix', () => {
  it('is the largest Ritz value of Lanczos, where power iteration finds the largest in magnitude', async () => {
    const d = [-5, 2, 1];
    const diag: Hvp = (v) => v.map((x, i) => d[i] * x);
    const v0 = Float64Array.from([1, 1, 1]);
    expect(
      (await powerIteration(diag, 3, { v0, tol: 1e-12, maxIter: 500 })).eigenvalue,
    ).toBeCloseTo(-5, 6);
    const r = await lanczos(diag, 3, 3, { v0 });
    expect(Math.max(...r.ritzValues)).toBeCloseTo(2, 6);
  });
});

describe('lanczos', () => {
  it('two steps give α=(2,3), β₁=1 and Ritz values 1.381966, 3.618034', async () => {
    const r = await lanczos(matHvp, 2, 2, { v0: Float64Array.from([1, 0]) });
    expect(r.alpha[0]).toBeCloseTo(2, 10);
    expect(r.alpha[1]).toBeCloseTo(3, 10);
    expect(r.beta[0]).toBeCloseTo(1, 10);
    expect(r.ritzValues[0]).toBeCloseTo(1.381966, 6);
    expect(r.ritzValues[1]).toBeCloseTo(3.618034, 6);
    expect(r.weights[0] + r.weights[1]).toBeCloseTo(1, 10);
  });

  it('recovers the spectrum of a random symmetric 12×12 matrix', async () => {
    const rng = createRng(3);
    const n = 12;
    const q = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    const a = q.map((row, i) => row.map((_, j) => (q[i][j] + q[j][i]) / 2));
    const hvp: Hvp = (v) =>
      Float64Array.from(a.map((row) => row.reduce((s, x, j) => s + x * v[j], 0)));
    const r = await lanczos(hvp, n, 12, { rng });
    const power = await powerIteration(hvp, n, { rng, tol: 1e-12, maxIter: 2000 });
    const extreme =
      Math.abs(r.ritzValues[0]) > Math.abs(r.ritzValues[n - 1])
        ? r.ritzValues[0]
        : r.ritzValues[n - 1];
    expect(power.eigenvalue).toBeCloseTo(extreme, 4);
  });
});

describe('hessianVectorProduct', () => {
  it('is exact on a quadratic ½θᵀAθ + bᵀθ', () => {
    const a = tf.tensor2d([
      [4, 1, 0],
      [1, 3, -1],
      [0, -1, 2],
    ]);
    const b = tf.tensor1d([0.5, -1, 2]);
    const loss = (p: Readonly<Record<string, tf.Tensor>>): tf.Scalar => {
      const th = tf.reshape(p.theta, [3, 1]);
      return tf.add(
        tf.mul(0.5, tf.sum(tf.mul(th, tf.matMul(a, th)))),
        tf.sum(tf.mul(b, p.theta)),
      ) as tf.Scalar;
    };
    const params = { theta: tf.tensor1d([0.3, -0.2, 1.1]) };
    const v = { theta: tf.tensor1d([0.6, 0, -0.8]) };
    const hv = hessianVectorProduct(loss, params, v);
    const got = hv.theta.dataSync();
    // Aθ-independent: H = A, so Hv = Av.
    [2.4, 1.4, -1.6].forEach((x, i) => expect(got[i]).toBeCloseTo(x, 3));
    tf.dispose([a, b, params.theta, v.theta, hv.theta]);
  });
});
