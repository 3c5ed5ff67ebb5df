import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, MODEL_DEFAULTS, OPTIMIZER_DEFAULTS, type RunConfig } from '../config';
import { inferenceContext } from '../layers/context';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { createRun } from '../run';
import { createTask } from '../tasks/index';
import type { NamedTensors } from '../tree';
import { hessianVectorProduct, lanczos, powerIteration, symmetricEigen, type Hvp } from './hessian';
import { measureSharpness, sharpnessBatch } from './sharpness';
import { stabilityThreshold } from './stability';

/** A symmetric matrix Q·diag(spectrum)·Qᵀ with a random orthogonal Q (Gram–Schmidt). */
function withSpectrum(spectrum: readonly number[], seed: number): number[][] {
  const n = spectrum.length;
  const rng = createRng(seed);
  const q: number[][] = [];
  for (let c = 0; c < n; c++) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const d = u.reduce((s, x, i) => s + x * v[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * u[i];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => q.reduce((s, u, k) => s + u[i] * spectrum[k] * u[j], 0)),
  );
}

/** Hv of the quadratic ½θᵀAθ by the engine's finite differences of TF.js gradients. */
function quadraticHvp(a: number[][]): Hvp {
  const n = a.length;
  const A = tf.tensor2d(a);
  const loss = (p: NamedTensors): tf.Scalar => {
    const th = tf.reshape(p.theta, [n, 1]);
    return tf.mul(0.5, tf.sum(tf.mul(th, tf.matMul(A, th)))) as tf.Scalar;
  };
  const theta = tf.tensor1d(Array.from({ length: n }, (_, i) => 0.1 * (i - n / 2)));
  return async (v) => {
    const dir = { theta: tf.tensor1d(Float32Array.from(v)) };
    const hv = hessianVectorProduct(loss, { theta }, dir);
    const out = Float64Array.from(await hv.theta.data());
    tf.dispose([dir.theta, hv.theta]);
    return out;
  };
}

describe('lambda_max of known quadratics', () => {
  const cases = [
    ['2x2', [3, 1]],
    ['10x10', [10, 6, 4, 3, 2, 1.5, 1, 0.5, 0.2, 0.1]],
  ] as const;
  it.each(cases)(
    '%s: power iteration and Lanczos find the top of the spectrum',
    async (_name, spectrum) => {
      const hvp = quadraticHvp(withSpectrum(spectrum, 7));
      const n = spectrum.length;
      const power = await powerIteration(hvp, n, { maxIter: 200, tol: 1e-7, rng: createRng(1) });
      expect(power.eigenvalue).toBeCloseTo(spectrum[0], 2);
      const lz = await lanczos(hvp, n, n, { rng: createRng(2) });
      expect(Math.max(...lz.ritzValues)).toBeCloseTo(spectrum[0], 2);
      // With every step, Lanczos recovers the whole spectrum (float32 gradients: 2 decimals).
      const sorted = [...spectrum].sort((x, y) => x - y);
      lz.ritzValues.forEach((r, i) => expect(r).toBeCloseTo(sorted[i], 1));
    },
  );
});

describe('sharpness of a tiny MLP', () => {
  it('matches the top eigenvalue of a dense finite-difference Hessian', async () => {
    const config: RunConfig = { ...DEFAULT_CONFIG, model: { ...MODEL_DEFAULTS.mlp, hidden: [4] } };
    const task = await createTask(config, {});
    const params = createParams(task.init(createRng(3)));
    const ctx = inferenceContext();
    const indices = sharpnessBatch(task.trainCount, 64);
    const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
    const names = params.names;
    const sizes = names.map((n) => params.values[n].size);
    const dim = sizes.reduce((a, b) => a + b, 0);
    // Column j of H: [∇L(θ + h·e_j) − ∇L(θ − h·e_j)] / 2h, by TF.js gradients at shifted weights.
    const gradAt = (j: number, h: number): Float64Array => {
      const flat = tf.tidy(() => {
        let offset = 0;
        const shifted = names.map((n, i) => {
          const e = new Float32Array(sizes[i]);
          if (j >= offset && j < offset + sizes[i]) e[j - offset] = h;
          offset += sizes[i];
          return tf.add(params.values[n], tf.tensor(e, params.values[n].shape));
        });
        const f = (...ps: tf.Tensor[]) =>
          task.batchLoss(Object.fromEntries(names.map((n, i) => [n, ps[i]])), idx, ctx, 1);
        return tf.concat(
          tf
            .grads(f)(shifted)
            .map((g) => tf.reshape(g, [-1])),
        );
      });
      const out = Float64Array.from(flat.dataSync());
      flat.dispose();
      return out;
    };
    const h = 1e-2;
    const H = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
    for (let j = 0; j < dim; j++) {
      const plus = gradAt(j, h);
      const minus = gradAt(j, -h);
      for (let i = 0; i < dim; i++) H[i][j] = (plus[i] - minus[i]) / (2 * h);
    }
    const sym = H.map((row, i) => row.map((x, j) => (x + H[j][i]) / 2));
    const values = symmetricEigen(sym).values;
    const top = values.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
    expect(top).toBeGreaterThan(0);

    const power = await measureSharpness(task, params.values, ctx, {
      iterations: 200,
      tol: 1e-6,
      batchSize: 64,
    });
    expect(Math.abs(power.lambdaMax - top) / top).toBeLessThan(0.02);
    const lz = await measureSharpness(task, params.values, ctx, {
      method: 'lanczos',
      iterations: 30,
      batchSize: 64,
    });
    expect(Math.abs(lz.lambdaMax - Math.max(...values)) / top).toBeLessThan(0.02);
    // With a diagonal preconditioner P: λ_max(P⁻¹H) = λ_max(P^(-1/2) H P^(-1/2)).
    const rng = createRng(9);
    const p = Float64Array.from({ length: dim }, () => 0.2 + rng.next());
    const scaled = sym.map((row, i) => row.map((x, j) => x / Math.sqrt(p[i] * p[j])));
    const preValues = symmetricEigen(scaled).values;
    const preTop = preValues.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
    const pre = await measureSharpness(task, params.values, ctx, {
      iterations: 300,
      tol: 1e-7,
      batchSize: 64,
      preconditioner: p,
    });
    expect(pre.preconditioned).toBe(true);
    expect(Math.abs(pre.lambdaMax - preTop) / Math.abs(preTop)).toBeLessThan(0.02);
    idx.dispose();
    disposeParams(params);
    task.dispose();
  });
});

describe('measuring sharpness leaves the run alone', () => {
  async function losses(
    config: RunConfig,
    measureEvery: number,
  ): Promise<{ losses: number[]; lambdas: number[]; flags: boolean[] }> {
    const run = await createRun(config);
    const out: number[] = [];
    const lambdas: number[] = [];
    const flags: boolean[] = [];
    while (run.step < 60) {
      if (measureEvery > 0 && run.step % measureEvery === 0) {
        const m = await run.measureSharpness({ iterations: 8, preconditioned: true });
        lambdas.push(m.lambdaMax);
        flags.push(m.preconditioned);
      }
      const chunk = await run.train(10);
      out.push(...chunk.columns.loss, chunk.columns.trainLoss[9]);
    }
    run.dispose();
    return { losses: out, lambdas, flags };
  }

  it.each([
    ['sgd', OPTIMIZER_DEFAULTS.sgd, [false, false, false]],
    ['adam (preconditioned after step 0)', OPTIMIZER_DEFAULTS.adam, [false, true, true]],
  ] as const)(
    '%s: losses with sharpness on and off are bit-identical',
    async (_name, optimizer, flags) => {
      const config: RunConfig = {
        ...DEFAULT_CONFIG,
        optimizer,
        model: { ...MODEL_DEFAULTS.mlp, hidden: [8, 8] },
      };
      const on = await losses(config, 20);
      const off = await losses(config, 0);
      expect(on.lambdas.length).toBe(3);
      expect(on.flags).toEqual(flags);
      expect(on.lambdas.every((x) => Number.isFinite(x) && x !== 0)).toBe(true);
      expect(on.losses).toEqual(off.losses);
    },
  );
});

describe('stabilityThreshold', () => {
  it('is 2/lr for SGD, (2+2μ)/lr for heavy ball, 38/lr for preconditioned Adam, absent otherwise', () => {
    expect(stabilityThreshold({ kind: 'sgd', lr: 0.1 }, 0.1)?.value).toBeCloseTo(20, 10);
    expect(
      stabilityThreshold({ kind: 'momentum', lr: 0.1, momentum: 0.9 }, 0.1)?.value,
    ).toBeCloseTo(38, 10);
    expect(stabilityThreshold(OPTIMIZER_DEFAULTS.adam, 0.01)).toBeNull();
    expect(stabilityThreshold(OPTIMIZER_DEFAULTS.adam, 0.01, true)?.value).toBeCloseTo(3800, 8);
    expect(stabilityThreshold(OPTIMIZER_DEFAULTS.lion, 0.01, true)).toBeNull();
  });
});
