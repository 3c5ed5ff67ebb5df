import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../engine/tf-free';

/**
 * Hand-written TF.js training loops: the baseline the engine is measured against. Each builds the
 * same model as the engine for its workload (same shapes, same layers, Adam), keeps its data on
 * the device, samples a random batch by `gather` each step, and reads back once per chunk, as
 * someone who knows TF.js would write it. Data values are random: speed does not depend on them.
 */
export interface PlainLoop {
  /**
   * Trains k steps and reads the losses back once; with `evaluate` (the default) it first
   * evaluates both splits, as the engine does after a chunk.
   */
  train(k: number, evaluate?: boolean): Promise<Float32Array>;
  dispose(): void;
}

interface Split {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly n: number;
}

interface Net {
  readonly vars: tf.Variable[];
  /** Logits `[n, classes]` of a batch, and the labels flattened to match. */
  forward(x: tf.Tensor, y: tf.Tensor): { logits: tf.Tensor2D; labels: tf.Tensor1D };
}

function meanLoss(net: Net, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const { logits, labels } = net.forward(x, y);
  return crossEntropy(logits, labels);
}

/** Loss and accuracy, as the engine evaluates each split after a chunk. */
function evaluated(net: Net, split: Split): tf.Tensor[] {
  const { logits, labels } = net.forward(split.x, split.y);
  const accuracy = tf.mean(
    tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32'),
  );
  return [crossEntropy(logits, labels), accuracy];
}

let seed = 1;
const normal = <R extends tf.Rank = tf.Rank.R2>(shape: number[], std: number) =>
  tf.variable(tf.randomNormal<tf.Rank>(shape, 0, std, 'float32', seed++)) as tf.Variable<R>;
const zeros = (shape: number[]) => tf.variable(tf.zeros<tf.Rank>(shape)) as tf.Variable<tf.Rank.R1>;
const ones = (shape: number[]) => tf.variable(tf.ones<tf.Rank>(shape)) as tf.Variable<tf.Rank.R1>;

function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const classes = logits.shape[1];
  return tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.cast(labels, 'int32'), classes),
    logits,
  ) as tf.Scalar;
}

function mlp(inputs: number, hidden: readonly number[], outputs: number): Net {
  const widths = [inputs, ...hidden, outputs];
  const layers = widths
    .slice(1)
    .map((w, i) => ({ w: normal([widths[i], w], Math.sqrt(2 / widths[i])), b: zeros([w]) }));
  return {
    vars: layers.flatMap((l) => [l.w, l.b]),
    forward(x, y) {
      let h = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
      layers.forEach((l, i) => {
        h = tf.fused.matMul({
          a: h,
          b: l.w,
          bias: l.b,
          activation: i < layers.length - 1 ? 'relu' : 'linear',
        }) as tf.Tensor2D;
      });
      return { logits: h, labels: y as tf.Tensor1D };
    },
  };
}

function cnn(channels: readonly number[], side: number, classes: number): Net {
  const convs = channels.map((c, i) => ({
    f: normal<tf.Rank.R4>([3, 3, i === 0 ? 1 : channels[i - 1], c], 0.1),
    b: zeros([c]),
  }));
  const flat = (side >> channels.length) ** 2 * channels[channels.length - 1];
  const head = { w: normal([flat, classes], Math.sqrt(2 / flat)), b: zeros([classes]) };
  return {
    vars: [...convs.flatMap((c) => [c.f, c.b]), head.w, head.b],
    forward(x, y) {
      let h = x as tf.Tensor4D;
      for (const c of convs) {
        h = tf.fused.conv2d({
          x: h,
          filter: c.f,
          bias: c.b,
          strides: 1,
          pad: 'same',
          activation: 'relu',
        });
        h = tf.maxPool(h, 2, 2, 'valid');
      }
      const logits = tf.fused.matMul({
        a: tf.reshape(h, [h.shape[0], flat]),
        b: head.w,
        bias: head.b,
      }) as tf.Tensor2D;
      return { logits, labels: y as tf.Tensor1D };
    },
  };
}

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** GPT-2 layout: token + position embeddings, pre-LN causal blocks, final LN, linear head. */
function transformer(
  vocab: number,
  length: number,
  d: number,
  layers: number,
  heads: number,
  mlpRatio: number,
): Net {
  const hidden = Math.round(mlpRatio * d);
  const tok = normal([vocab, d], 0.02);
  const pos = normal([length, d], 0.02);
  const blocks = Array.from({ length: layers }, () => ({
    g1: ones([d]),
    b1: zeros([d]),
    g2: ones([d]),
    b2: zeros([d]),
    q: normal([d, d], Math.sqrt(1 / d)),
    k: normal([d, d], Math.sqrt(1 / d)),
    v: normal([d, d], Math.sqrt(1 / d)),
    o: normal([d, d], Math.sqrt(1 / d)),
    w1: normal([d, hidden], Math.sqrt(2 / d)),
    c1: zeros([hidden]),
    w2: normal([hidden, d], Math.sqrt(1 / hidden)),
    c2: zeros([d]),
  }));
  const gf = ones([d]);
  const bf = zeros([d]);
  const head = normal([d, vocab], 0.02);
  const hb = zeros([vocab]);
  const maskValues = new Float32Array(length * length);
  for (let i = 0; i < length; i++)
    for (let j = i + 1; j < length; j++) maskValues[i * length + j] = -1e9;
  const mask = tf.tensor2d(maskValues, [length, length]);
  // WASM has no gradient kernel for gather (UnsortedSegmentSum): there a one-hot product it is.
  const lookup = (ids: tf.Tensor1D) =>
    tf.getKernel('UnsortedSegmentSum', tf.getBackend())
      ? tf.gather(tok, ids)
      : tf.matMul(tf.oneHot(ids, vocab), tok);
  return {
    vars: [tok, pos, ...blocks.flatMap((b) => Object.values(b)), gf, bf, head, hb],
    forward(x, y) {
      const [b, t] = x.shape as [number, number];
      const dh = d / heads;
      let h = tf.add(
        tf.reshape(lookup(tf.reshape(x, [-1]) as tf.Tensor1D), [b, t, d]),
        pos,
      ) as tf.Tensor3D;
      for (const p of blocks) {
        const a = layerNorm(tf.reshape(h, [b * t, d]), p.g1, p.b1);
        const split = (w: tf.Tensor2D) =>
          tf.transpose(tf.reshape(tf.matMul(a, w), [b, t, heads, dh]), [0, 2, 1, 3]);
        const scores = tf.add(
          tf.mul(tf.matMul(split(p.q), split(p.k), false, true), 1 / Math.sqrt(dh)),
          mask,
        );
        const att = tf.reshape(
          tf.transpose(tf.matMul(tf.softmax(scores), split(p.v)), [0, 2, 1, 3]),
          [b * t, d],
        );
        h = tf.add(h, tf.reshape(tf.matMul(att, p.o), [b, t, d]));
        const f = layerNorm(tf.reshape(h, [b * t, d]), p.g2, p.b2);
        const mid = gelu(tf.fused.matMul({ a: f, b: p.w1, bias: p.c1 }));
        h = tf.add(
          h,
          tf.reshape(tf.fused.matMul({ a: mid as tf.Tensor2D, b: p.w2, bias: p.c2 }), [b, t, d]),
        );
      }
      const logits = tf.fused.matMul({
        a: layerNorm(tf.reshape(h, [b * t, d]), gf, bf),
        b: head,
        bias: hb,
      }) as tf.Tensor2D;
      return { logits, labels: tf.reshape(y, [-1]) as tf.Tensor1D };
    },
  };
}

function randomSplit(n: number, shape: number[], classes: number, int = false): Split {
  return {
    x: int
      ? tf.randomUniformInt([n, ...shape], 0, classes, seed++)
      : tf.randomUniform([n, ...shape], 0, 1, 'float32', seed++),
    y: tf.randomUniformInt(int ? [n, ...shape] : [n], 0, classes, seed++),
    n,
  };
}

/** The hand-written loop for an engine config (the bench's four workloads). */
export function plainLoop(config: RunConfig, vocab = 40): PlainLoop {
  let net: Net;
  let train: Split;
  let evalTrain: Split;
  let evalTest: Split;
  const { model, data } = config;
  if (data.kind === 'mnist' && (model.kind === 'mlp' || model.kind === 'cnn')) {
    net = model.kind === 'mlp' ? mlp(784, model.hidden, 10) : cnn(model.channels, 28, 10);
    train = randomSplit(data.trainSamples, [28, 28, 1], 10);
    // The engine evaluates the first 1,000 examples of each split after every chunk.
    evalTrain = randomSplit(1000, [28, 28, 1], 10);
    evalTest = randomSplit(1000, [28, 28, 1], 10);
  } else if (data.kind === 'chars' && model.kind === 'transformer') {
    const L = data.sequenceLength;
    net = transformer(vocab, L, model.dim, model.layers, model.heads, model.mlpRatio);
    train = randomSplit(data.corpusChars / L, [L], vocab, true);
    evalTrain = randomSplit(128, [L], vocab, true);
    evalTest = randomSplit(128, [L], vocab, true);
  } else if (model.kind === 'mlp' && 'samples' in data) {
    net = mlp(2, model.hidden, 2);
    const half = Math.round(data.samples * data.trainFraction);
    train = randomSplit(half, [2], 2);
    evalTrain = train;
    evalTest = randomSplit(data.samples - half, [2], 2);
  } else {
    throw new Error(`no hand-written loop for ${model.kind} on ${data.kind}`);
  }
  const optimizer = tf.train.adam(config.optimizer.lr);
  const batch = config.batchSize;
  return {
    async train(k, evaluate = true) {
      const losses: tf.Scalar[] = [];
      for (let i = 0; i < k; i++) {
        const idx = tf.randomUniformInt([batch], 0, train.n, seed++);
        const loss = optimizer.minimize(
          () => meanLoss(net, tf.gather(train.x, idx), tf.gather(train.y, idx)),
          true,
          net.vars,
        );
        idx.dispose();
        if (loss) losses.push(loss);
      }
      const packed = tf.tidy(() =>
        evaluate
          ? tf.concat([
              tf.stack(losses),
              tf.stack([...evaluated(net, evalTrain), ...evaluated(net, evalTest)]),
            ])
          : tf.stack(losses),
      );
      for (const l of losses) l.dispose();
      const values = (await packed.data()) as Float32Array;
      packed.dispose();
      return values;
    },
    dispose() {
      optimizer.dispose();
      for (const v of net.vars) v.dispose();
      for (const s of [train, evalTrain, evalTest]) {
        s.x.dispose();
        s.y.dispose();
      }
    },
  };
}
