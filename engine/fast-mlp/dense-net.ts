import type { Activation } from '../models/schema';

/**
 * The MLP of engine/models/mlp.ts (no norm, no quantization) as plain typed-array loops: forward,
 * loss, and backward for a whole batch, into preallocated buffers. Kernels are `[in, out]`
 * row-major, as in TF.js. Sums run in float64 and are stored as float32, like TF.js's cpu kernels.
 */

export type DenseLoss = 'softmax-ce' | 'mse';

export interface DenseLayout {
  /** inputs, hidden widths..., outputs. */
  readonly widths: readonly number[];
  readonly activation: Activation;
  readonly loss: DenseLoss;
}

/** Views into one flat parameter (or gradient) vector: kernel and bias of each layer. */
export interface LayerViews {
  readonly w: Float32Array[];
  readonly b: Float32Array[];
}

/** Offsets of each layer's kernel and bias in the flat vector, in the run's parameter order. */
export function layerViews(flat: Float32Array, widths: readonly number[]): LayerViews {
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  let at = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const size = widths[l] * widths[l + 1];
    w.push(flat.subarray(at, at + size));
    at += size;
    b.push(flat.subarray(at, at + widths[l + 1]));
    at += widths[l + 1];
  }
  return { w, b };
}

export function paramCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l] * widths[l + 1] + widths[l + 1];
  return n;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function act(kind: Activation, z: number): number {
  switch (kind) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z * z * z)));
    case 'linear':
      return z;
  }
}

/** d act / dz, from the pre-activation z and the activation a. */
function actGrad(kind: Activation, z: number, a: number): number {
  switch (kind) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh':
      return 1 - a * a;
    case 'sigmoid':
      return a * (1 - a);
    case 'gelu': {
      const t = Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z * z * z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * z * z);
    }
    case 'linear':
      return 1;
  }
}

/** Buffers for a batch of up to `capacity` examples: pre-activations, activations, deltas. */
export class DenseNet {
  private readonly z: Float32Array[] = [];
  private readonly a: Float32Array[] = [];
  private dA = new Float32Array(0);
  private dB = new Float32Array(0);
  private capacity = 0;

  constructor(readonly layout: DenseLayout) {}

  private ensure(batch: number): void {
    if (batch <= this.capacity) return;
    const widths = this.layout.widths;
    this.capacity = batch;
    this.a.length = 0;
    this.z.length = 0;
    for (let l = 0; l < widths.length; l++) {
      this.a.push(new Float32Array(batch * widths[l]));
      this.z.push(new Float32Array(batch * widths[l]));
    }
    const maxWidth = Math.max(...widths);
    this.dA = new Float32Array(batch * maxWidth);
    this.dB = new Float32Array(batch * maxWidth);
  }

  /** Copies the rows `rows` of `x` (`[count, inputs]`) in as the batch's inputs. */
  private load(x: Float32Array, rows: ArrayLike<number>, n: number): void {
    const f = this.layout.widths[0];
    const a0 = this.a[0];
    for (let i = 0; i < n; i++) {
      const src = rows[i] * f;
      for (let j = 0; j < f; j++) a0[i * f + j] = x[src + j];
    }
  }

  /** Forward pass of `n` examples; the outputs (logits) are left in the last activation buffer. */
  private forward(params: LayerViews, n: number): Float32Array {
    const { widths, activation } = this.layout;
    const layers = widths.length - 1;
    for (let l = 0; l < layers; l++) {
      const fin = widths[l];
      const fout = widths[l + 1];
      const w = params.w[l];
      const b = params.b[l];
      const input = this.a[l];
      const z = this.z[l + 1];
      const out = this.a[l + 1];
      const hidden = l + 1 < layers;
      for (let i = 0; i < n; i++) {
        const row = i * fin;
        for (let o = 0; o < fout; o++) {
          let s = 0;
          for (let k = 0; k < fin; k++) s += input[row + k] * w[k * fout + o];
          z[i * fout + o] = s + b[o];
        }
      }
      const m = n * fout;
      if (hidden && activation !== 'linear')
        for (let t = 0; t < m; t++) out[t] = act(activation, z[t]);
      else out.set(z.subarray(0, m));
    }
    return this.a[layers];
  }

  /** Mean loss of the outputs; with `dOut`, also writes dLoss/dOutputs there. */
  private loss(
    outputs: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    n: number,
    dOut: Float32Array | null,
  ): number {
    const c = this.layout.widths[this.layout.widths.length - 1];
    let total = 0;
    if (this.layout.loss === 'mse') {
      for (let i = 0; i < n; i++) {
        const d = outputs[i] - y[rows[i]];
        total += d * d;
        if (dOut) dOut[i] = (2 * d) / n;
      }
      return total / n;
    }
    for (let i = 0; i < n; i++) {
      const label = y[rows[i]];
      let max = -Infinity;
      for (let j = 0; j < c; j++) max = Math.max(max, outputs[i * c + j]);
      let sum = 0;
      for (let j = 0; j < c; j++) sum += Math.exp(outputs[i * c + j] - max);
      const logSum = Math.log(sum) + max;
      total += logSum - outputs[i * c + label];
      if (dOut) {
        for (let j = 0; j < c; j++) {
          const p = Math.exp(outputs[i * c + j] - logSum);
          dOut[i * c + j] = (p - (j === label ? 1 : 0)) / n;
        }
      }
    }
    return total / n;
  }

  /**
   * One batch: loss of the rows `rows` of (`x`, `y`) and the gradient of every parameter, written
   * into `grads` (same layout as `params`). Returns the mean loss.
   */
  lossAndGrads(
    params: LayerViews,
    grads: LayerViews,
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
  ): number {
    const n = rows.length;
    this.ensure(n);
    this.load(x, rows, n);
    const { widths, activation } = this.layout;
    const layers = widths.length - 1;
    const outputs = this.forward(params, n);
    let delta = this.dA;
    let next = this.dB;
    const value = this.loss(outputs, y, rows, n, delta);
    for (let l = layers - 1; l >= 0; l--) {
      const fin = widths[l];
      const fout = widths[l + 1];
      const input = this.a[l];
      const gw = grads.w[l];
      const gb = grads.b[l];
      // dW = inputᵀ·δ, db = Σ δ.
      for (let k = 0; k < fin; k++) {
        for (let o = 0; o < fout; o++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += input[i * fin + k] * delta[i * fout + o];
          gw[k * fout + o] = s;
        }
      }
      for (let o = 0; o < fout; o++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += delta[i * fout + o];
        gb[o] = s;
      }
      if (l === 0) break;
      // δ of the layer below: (δ·Wᵀ) ⊙ act'(z).
      const w = params.w[l];
      const z = this.z[l];
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < fin; k++) {
          let s = 0;
          for (let o = 0; o < fout; o++) s += delta[i * fout + o] * w[k * fout + o];
          const t = i * fin + k;
          next[t] = s * actGrad(activation, z[t], input[t]);
        }
      }
      [delta, next] = [next, delta];
    }
    return value;
  }

  /** Mean loss and accuracy (NaN for regression) of all `count` rows of (`x`, `y`). */
  evaluate(params: LayerViews, x: Float32Array, y: Float32Array, count: number): [number, number] {
    const chunk = 256;
    const rows = new Int32Array(Math.min(chunk, count));
    const c = this.layout.widths[this.layout.widths.length - 1];
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      for (let i = 0; i < n; i++) rows[i] = start + i;
      const view = rows.subarray(0, n);
      this.ensure(n);
      this.load(x, view, n);
      const out = this.forward(params, n);
      lossSum += this.loss(out, y, view, n, null) * n;
      if (this.layout.loss === 'softmax-ce') {
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let j = 1; j < c; j++) if (out[i * c + j] > out[i * c + best]) best = j;
          if (best === y[start + i]) correct++;
        }
      }
    }
    return [lossSum / count, this.layout.loss === 'softmax-ce' ? correct / count : Number.NaN];
  }
}
