import * as tf from '@tensorflow/tfjs-core';
import type { Mnist } from '../data/mnist';
import type { MnistConfig } from '../data/schema';
import type { LayerContext } from '../layers/context';
import { cctModel } from '../models/cct';
import { cnnModel, type ImageShape } from '../models/cnn';
import { mlpModel } from '../models/mlp';
import { accuracy } from '../losses';
import type { Model } from '../models/model';
import type { CctConfig, CnnConfig, MlpConfig, NormKind } from '../models/schema';
import type { NamedTensors } from '../tree';
import { defineTask } from './skeleton';
import type { Task } from './task';
import type { Teacher } from '../derive/distill';
import { withTeacher } from './skeleton';
import { readTidy } from './view-helpers';

/** Examples evaluated per split (the first n), in chunks: keeps evaluation cheap on slow backends. */
export const IMAGE_EVAL_EXAMPLES = 1000;
/** Convolutional models evaluate this many images at a time, to bound their activation memory; an MLP's fit at once. */
const CONV_CHUNK = 250;
const GRID = 36;

function imageModel(
  config: MlpConfig | CnnConfig | CctConfig,
  shape: ImageShape,
): Model<tf.Tensor4D, tf.Tensor2D> {
  if (config.kind === 'cnn') return cnnModel(config, shape);
  if (config.kind === 'cct') return cctModel(config, shape);
  const mlp = mlpModel(config, {
    inputs: shape.side * shape.side * shape.channels,
    outputs: shape.classes,
  });
  return {
    ...mlp,
    apply: (params, x, ctx) => mlp.apply(params, tf.reshape(x, [x.shape[0], -1]), ctx),
  };
}

/** Pixels / 255 as float32 (the same values a float32 division on the device gives). */
function scaled(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

/** MNIST-10k digits (pixels / 255, NHWC) classified by an MLP, CNN or CCT. */
export function createImageTask(
  data: MnistConfig,
  config: MlpConfig | CnnConfig | CctConfig,
  mnist: Mnist,
  evalExamples = IMAGE_EVAL_EXAMPLES,
  teacher?: Teacher,
): Task {
  const side = mnist.side;
  const nhwc = (rows: tf.Tensor2D) =>
    tf.reshape(rows, [rows.shape[0], side, side, 1]) as tf.Tensor4D;
  const shape: ImageShape = { side, channels: 1, classes: 10 };
  const model = imageModel(config, shape);
  const nTrain = Math.min(data.trainSamples, mnist.train.count);
  // Rows of side² pixels, scaled on the CPU and uploaded as they are: a batch is gathered from a
  // 2-D tensor and reshaped to NHWC for free. On WebGL the pixels divided there came out as a
  // packed texture, which every gather unpacked whole first: 114 ms a batch against 1.3 ms.
  const upload = (pixels: Uint8Array, labels: Uint8Array, n: number) => ({
    x: tf.tensor2d(scaled(pixels.subarray(0, n * side * side)), [n, side * side]),
    y: tf.tensor1d(labels.subarray(0, n), 'int32'),
    n,
  });
  const train = upload(mnist.train.pixels, mnist.train.labels, nTrain);
  const test = upload(mnist.test.pixels, mnist.test.labels, mnist.test.count);
  const norm: NormKind = config.norm ?? 'none';

  const chunk = config.kind === 'mlp' ? Number.POSITIVE_INFINITY : CONV_CHUNK;
  // The evaluated examples never change: slice them once and keep them (a slice per evaluation
  // costs as much as a training step on WASM).
  const slices = new Map<string, { readonly x: tf.Tensor4D[]; readonly y: tf.Tensor1D }>();
  const firstOf = (split: typeof train, n: number) => {
    const key = `${split === train ? 'train' : 'test'}:${n}`;
    let cached = slices.get(key);
    if (!cached) {
      const x: tf.Tensor4D[] = [];
      for (let i = 0; i < n; i += chunk)
        x.push(tf.keep(nhwc(tf.slice(split.x, [i, 0], [Math.min(chunk, n - i), side * side]))));
      cached = { x, y: tf.keep(tf.slice(split.y, [0], [n])) };
      slices.set(key, cached);
    }
    return cached;
  };
  /** Logits of the first n examples of a split, in chunks. */
  const logitsOf = (params: NamedTensors, split: typeof train, n: number, ctx: LayerContext) => {
    const parts = firstOf(split, n).x.map((x) => model.apply(params, x, ctx).logits);
    return parts.length === 1 ? parts[0] : (tf.concat(parts) as tf.Tensor2D);
  };
  // An unbounded `evalExamples` asks for the whole test split; the training split keeps the default.
  const cap = (split: typeof train) =>
    split === train && !Number.isFinite(evalExamples) ? IMAGE_EVAL_EXAMPLES : evalExamples;
  const lossAccuracy = (
    params: NamedTensors,
    split: typeof train,
    ctx: LayerContext,
  ): [tf.Scalar, tf.Scalar] => {
    const n = Math.min(cap(split), split.n);
    const logits = logitsOf(params, split, n, ctx);
    const labels = firstOf(split, n).y;
    return [model.lossFn(logits, labels), accuracy(logits, labels)];
  };

  return defineTask({
    kind: 'classification',
    trainCount: nTrain,
    testCount: test.n,
    init: (rng) => model.init(rng),
    trainForward(params, idx, ctx) {
      const x = nhwc(tf.gather(train.x, idx));
      const out = model.apply(params, x, ctx);
      const labelLoss = model.lossFn(out.logits, tf.gather(train.y, idx));
      return { loss: withTeacher(labelLoss, out.logits, x, teacher), routing: out.routing };
    },
    calibrationInputs: (n) =>
      tf.tidy(() => {
        const m = Math.min(n, nTrain);
        return tf.slice(train.x, [0, 0], [m, -1]);
      }),
    lossAccuracy: (params, split, ctx) =>
      lossAccuracy(params, split === 'train' ? train : test, ctx),
    normGap: { norm, split: 'train', examples: Math.min(evalExamples, train.n) },
    async views(params, ctx) {
      const evalCtx = { ...ctx, training: false };
      const n = Math.min(Math.max(GRID, evalExamples), test.n);
      const predicted = await readTidy(() => tf.argMax(logitsOf(params, test, n, evalCtx), 1));
      const labels = mnist.test.labels;
      const classes = 10;
      const counts = new Int32Array(classes * classes);
      for (let i = 0; i < n; i++) counts[labels[i] * classes + predicted[i]]++;
      const names = Array.from({ length: classes }, (_, i) => String(i));
      return [
        {
          kind: 'predictions',
          side,
          count: GRID,
          images: mnist.test.pixels.slice(0, GRID * side * side),
          predicted: Int32Array.from(predicted.subarray(0, GRID)),
          labels: Int32Array.from(labels.subarray(0, GRID)),
          classNames: names,
        },
        { kind: 'confusion', classes, classNames: names, counts },
      ];
    },
    tensors: () => {
      const sliced = [...slices.values()].flatMap((s) => [...s.x, s.y]);
      return [train.x, train.y, test.x, test.y, ...sliced];
    },
  });
}
