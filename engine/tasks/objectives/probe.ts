/**
 * A linear probe: multinomial logistic regression on frozen features, trained by full-batch
 * gradient descent on standardized features, scored on held-out ones. TF.js-free, deterministic.
 */

export interface ProbeSet {
  /** Row-major `[count, dim]`. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
  readonly dim: number;
}

export interface ProbeResult {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Mean cross-entropy (nats) on the held-out set. */
  readonly testLoss: number;
}

export interface ProbeOptions {
  readonly steps?: number;
  readonly lr?: number;
  /** L2 penalty on the weights. */
  readonly l2?: number;
}

/** Scores of row i: W·x_i + b into `out` (length classes). */
function scores(
  w: Float64Array,
  b: Float64Array,
  x: Float32Array,
  i: number,
  d: number,
  out: Float64Array,
) {
  const k = b.length;
  for (let c = 0; c < k; c++) {
    let s = b[c];
    for (let j = 0; j < d; j++) s += w[c * d + j] * x[i * d + j];
    out[c] = s;
  }
  // Softmax in place, shifted by the maximum.
  const m = Math.max(...out);
  let z = 0;
  for (let c = 0; c < k; c++) z += out[c] = Math.exp(out[c] - m);
  for (let c = 0; c < k; c++) out[c] /= z;
}

function evaluate(
  w: Float64Array,
  b: Float64Array,
  s: ProbeSet,
): { accuracy: number; loss: number } {
  const p = new Float64Array(b.length);
  let hits = 0;
  let loss = 0;
  for (let i = 0; i < s.count; i++) {
    scores(w, b, s.x, i, s.dim, p);
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    if (best === s.y[i]) hits++;
    loss -= Math.log(Math.max(p[s.y[i]], 1e-12));
  }
  return { accuracy: hits / s.count, loss: loss / s.count };
}

/** Features standardized with the training set's mean and standard deviation. */
function standardize(train: ProbeSet, test: ProbeSet): [ProbeSet, ProbeSet] {
  const d = train.dim;
  const mu = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < train.count; i++) for (let j = 0; j < d; j++) mu[j] += train.x[i * d + j];
  for (let j = 0; j < d; j++) mu[j] /= train.count;
  for (let i = 0; i < train.count; i++)
    for (let j = 0; j < d; j++) sd[j] += (train.x[i * d + j] - mu[j]) ** 2;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] / train.count) || 1;
  const apply = (s: ProbeSet): ProbeSet => ({
    ...s,
    x: Float32Array.from(s.x, (v, k) => (v - mu[k % d]) / sd[k % d]),
  });
  return [apply(train), apply(test)];
}

/** Trains the probe on `train` and reports accuracy on both sets and the held-out loss. */
export function trainProbe(
  trainSet: ProbeSet,
  testSet: ProbeSet,
  classes: number,
  { steps = 200, lr = 0.5, l2 = 1e-3 }: ProbeOptions = {},
): ProbeResult {
  const [train, test] = standardize(trainSet, testSet);
  const d = train.dim;
  const w = new Float64Array(classes * d);
  const b = new Float64Array(classes);
  const gw = new Float64Array(classes * d);
  const gb = new Float64Array(classes);
  const p = new Float64Array(classes);
  for (let step = 0; step < steps; step++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < train.count; i++) {
      scores(w, b, train.x, i, d, p);
      p[train.y[i]] -= 1;
      for (let c = 0; c < classes; c++) {
        gb[c] += p[c];
        for (let j = 0; j < d; j++) gw[c * d + j] += p[c] * train.x[i * d + j];
      }
    }
    for (let k = 0; k < w.length; k++) w[k] -= lr * (gw[k] / train.count + l2 * w[k]);
    for (let c = 0; c < classes; c++) b[c] -= (lr * gb[c]) / train.count;
  }
  const tr = evaluate(w, b, train);
  const te = evaluate(w, b, test);
  return { trainAccuracy: tr.accuracy, testAccuracy: te.accuracy, testLoss: te.loss };
}
