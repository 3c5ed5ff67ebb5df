import convnetjs, { type LayerDef, type Net, type ParamsAndGrads, type Vol } from 'convnetjs';
import type { Mnist, MnistSplit } from '../../engine/data/mnist';
import { createRng } from '../../engine/rng';
import { EvalBudget, type RunConfig } from '../../engine/tf-free';
import { APP_EVAL_BUDGET } from '../../workers/protocol';

/**
 * The ConvNetJS contender (convnetjs 0.3.0 from npm, plain JavaScript, one example at a time):
 * the engine's MNIST MLP or CNN built from ConvNetJS layers, trained on the real MNIST digits
 * (pixels / 255) with the engine's batch size and Adam settings, and evaluated on the first 1,000
 * examples of each split after a chunk within the app's evaluation budget, as the engine's runs
 * are (engine/eval-budget.ts: at most a tenth of the training time).
 *
 * The npm release's Trainer has no Adam (its methods are sgd, momentum, adagrad, adadelta and
 * windowgrad; `method: 'adam'` silently trains with momentum SGD), so the loop here runs
 * ConvNetJS's forward and backward per example, which sum the batch's gradients into the net's
 * parameters, and applies one Adam update per batch over `getParamsAndGrads()`, as the Trainer's
 * own update loop would.
 */
export interface ConvNetLoop {
  /**
   * Trains k steps, then (unless `evaluate` is false: a warm-up) evaluates; returns k losses, then
   * train loss and accuracy, test loss and accuracy.
   */
  train(k: number, evaluate?: boolean): Promise<Float32Array>;
  /** What training has done so far: evidence that the timed steps are real training. */
  progress(): ConvNetProgress;
  dispose(): void;
}

export interface ConvNetProgress {
  readonly steps: number;
  /** Mean loss of the first batch. */
  readonly firstLoss: number;
  /** Mean loss of the batches of the last `train` call. */
  readonly lastLoss: number;
  /** Accuracy on the first 1,000 test digits after the last evaluation. */
  readonly testAccuracy: number;
  /** Fraction of the time in evaluated `train` calls that went to the evaluation. */
  readonly evalFraction: number;
  /** Samples/s of the training steps alone in evaluated `train` calls, their evaluation left out. */
  readonly trainingSamplesPerSecond: number;
}

/** The engine's mnist-mlp or mnist-cnn as ConvNetJS layers; null for other workloads. */
export function convnetLayers(config: RunConfig): LayerDef[] | null {
  if (config.data.kind !== 'mnist') return null;
  const input: LayerDef = { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 };
  const head: LayerDef = { type: 'softmax', num_classes: 10 };
  const { model } = config;
  if (model.kind === 'mlp' && model.activation === 'relu' && model.norm === 'none')
    return [
      input,
      ...model.hidden.map((n): LayerDef => ({ type: 'fc', num_neurons: n, activation: 'relu' })),
      head,
    ];
  // engine/models/cnn.ts: per channel count, Conv(3×3, same) → ReLU → MaxPool(2, 2); a linear head.
  if (model.kind === 'cnn' && model.norm === 'none' && !model.weightStandardization)
    return [
      input,
      ...model.channels.flatMap((filters): LayerDef[] => [
        { type: 'conv', sx: 3, filters, stride: 1, pad: 1, activation: 'relu' },
        { type: 'pool', sx: 2, stride: 2 },
      ]),
      head,
    ];
  return null;
}

const EVAL_EXAMPLES = 1000;

export function convnetLoop(config: RunConfig, mnist: Mnist): ConvNetLoop {
  const layers = convnetLayers(config);
  const opt = config.optimizer;
  if (!layers || config.data.kind !== 'mnist')
    throw new Error(`no ConvNetJS loop for ${config.model.kind} on ${config.data.kind}`);
  if (opt.kind !== 'adam') throw new Error(`the ConvNetJS loop trains with Adam, not ${opt.kind}`);
  // The engine's Adam (engine/optim/scale-by-adam.ts) at a constant rate, as the TF.js loop runs it.
  const { lr, beta1, beta2, eps } = opt;
  const side = mnist.side;
  const px = side * side;
  const net: Net = new convnetjs.Net();
  net.makeLayers(layers);
  const x: Vol = new convnetjs.Vol(side, side, 1, 0);
  const rng = createRng(config.seed);
  const nTrain = Math.min(config.data.trainSamples, mnist.train.count);
  const batch = config.batchSize;
  const params: ParamsAndGrads[] = net.getParamsAndGrads();
  const m = params.map((p) => new Float64Array(p.params.length));
  const v = params.map((p) => new Float64Array(p.params.length));
  let t = 0;
  let firstLoss = Number.NaN;
  let lastLoss = Number.NaN;
  let testAccuracy = Number.NaN;
  const budget = new EvalBudget(APP_EVAL_BUDGET);
  let trainSeconds = 0;
  let trainSamples = 0;
  let evalSeconds = 0;

  const load = (split: MnistSplit, i: number) => {
    const off = i * px;
    for (let j = 0; j < px; j++) x.w[j] = split.pixels[off + j] / 255;
  };

  function adam() {
    t++;
    const c1 = 1 / (1 - beta1 ** t);
    const c2 = 1 / (1 - beta2 ** t);
    params.forEach(({ params: p, grads: g }, i) => {
      const mi = m[i];
      const vi = v[i];
      for (let j = 0; j < p.length; j++) {
        const gj = g[j] / batch;
        mi[j] = beta1 * mi[j] + (1 - beta1) * gj;
        vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj;
        p[j] -= (lr * mi[j] * c1) / (Math.sqrt(vi[j] * c2) + eps);
        g[j] = 0;
      }
    });
  }

  /** Mean cross-entropy and accuracy of the first n examples. */
  function evaluateSplit(split: MnistSplit): [number, number] {
    const n = Math.min(EVAL_EXAMPLES, split.count);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      load(split, i);
      const probs = net.forward(x, false).w;
      const y = split.labels[i];
      loss -= Math.log(Math.max(probs[y], 1e-30));
      let best = 0;
      for (let c = 1; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
      if (best === y) correct++;
    }
    return [loss / n, correct / n];
  }

  return {
    async train(k, evaluate = true) {
      const t0 = performance.now();
      const out = new Float32Array(k + 4).fill(Number.NaN);
      for (let s = 0; s < k; s++) {
        let loss = 0;
        for (let b = 0; b < batch; b++) {
          const i = rng.int(nTrain);
          load(mnist.train, i);
          net.forward(x, true);
          loss += net.backward(mnist.train.labels[i]);
        }
        adam();
        out[s] = loss / batch;
      }
      if (Number.isNaN(firstLoss)) firstLoss = out[0];
      lastLoss = out.subarray(0, k).reduce((a, b) => a + b, 0) / k;
      if (!evaluate) return out;
      const t1 = performance.now();
      trainSeconds += (t1 - t0) / 1000;
      trainSamples += k * batch;
      budget.trained(t1 - t0);
      // Within the app's evaluation budget, as the engine's runs are: the same work.
      if (!budget.due(false)) return out;
      out.set([...evaluateSplit(mnist.train), ...evaluateSplit(mnist.test)], k);
      testAccuracy = out[k + 3];
      const t2 = performance.now();
      budget.evaluated(t2 - t1);
      evalSeconds += (t2 - t1) / 1000;
      return out;
    },
    progress: () => ({
      steps: t,
      firstLoss,
      lastLoss,
      testAccuracy,
      evalFraction: evalSeconds / (trainSeconds + evalSeconds),
      trainingSamplesPerSecond: trainSamples / trainSeconds,
    }),
    dispose() {},
  };
}
