import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import { accuracy } from '../losses';
import type { MoeConfig, TransformerConfig } from '../models/schema';
import { transformerModel } from '../models/transformer';
import type { NamedTensors } from '../tree';
import { createPretrainTask } from './objectives/pretrain-task';
import { defineTask, rowIndependentModel } from './skeleton';
import type { Task } from './task';
import { sampleText } from './text-samples';
import { expertLoadView, routingMasks } from './view-helpers';
import type { TaskView } from './views';

/** A tokenized corpus for next-character prediction; `domain` tags each token (or null). */
export interface LmCorpus {
  readonly vocab: readonly string[];
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly testDomain: Uint8Array | null;
  readonly domains: readonly string[];
  readonly sequenceLength: number;
}

/** Windows evaluated per split, evenly spaced through it. */
export const LM_EVAL_WINDOWS = 128;
const PROMPT = 8;
const NEW_TOKENS = 40;

const spaced = (windows: number, n: number) => {
  const k = Math.min(n, windows);
  return Int32Array.from({ length: k }, (_, i) => Math.floor((i * windows) / k));
};

/** Starts 0, L, 2L, … of the windows that tile a split of `n` windows of length L. */
const tiled = (n: number, L: number) =>
  Int32Array.from({ length: Math.floor((n - 1) / L) + 1 }, (_, i) => i * L);

/**
 * Character language modelling: example i is the window starting at character i; the model reads
 * L characters and predicts the next one at every position (mean cross-entropy over positions).
 * A transformer with objective `mlm` or `electra` pretrains a bidirectional encoder instead
 * (engine/tasks/objectives).
 */
export function createLanguageTask(
  corpus: LmCorpus,
  config: TransformerConfig | MoeConfig,
  seed: number,
  evalWindows = LM_EVAL_WINDOWS,
): Task {
  if (config.kind === 'transformer' && config.objective && config.objective !== 'causal')
    return createPretrainTask(corpus, config, config.objective, seed, evalWindows);
  const L = corpus.sequenceLength;
  const model = transformerModel(config, { vocab: corpus.vocab.length, maxLength: L });
  const trainIds = tf.tensor1d(corpus.train, 'int32');
  const testIds = tf.tensor1d(corpus.test, 'int32');
  const offsets = tf.range(0, L + 1, 1, 'int32');
  const trainWindows = corpus.train.length - L;
  const testWindows = corpus.test.length - L;
  // An unbounded `evalWindows` asks for the whole held-out split: windows side by side, every
  // held-out character predicted once. The training split keeps the default sample.
  const evalTrain = tf.tensor1d(
    spaced(trainWindows, Number.isFinite(evalWindows) ? evalWindows : LM_EVAL_WINDOWS),
    'int32',
  );
  const evalTestStarts = Number.isFinite(evalWindows)
    ? spaced(testWindows, evalWindows)
    : tiled(testWindows, L);
  const evalTest = tf.tensor1d(evalTestStarts, 'int32');

  /** `[B, L+1]` windows of `ids` starting at `starts`. */
  const windows = (ids: tf.Tensor1D, starts: tf.Tensor1D) =>
    tf.gather(ids as tf.Tensor, tf.add(tf.expandDims(starts, 1), offsets)) as tf.Tensor2D;
  const forward = (
    params: NamedTensors,
    ids: tf.Tensor1D,
    starts: tf.Tensor1D,
    ctx: LayerContext,
  ) => {
    const w = windows(ids, starts);
    const b = starts.shape[0];
    const out = model.apply(params, tf.slice(w, [0, 0], [b, L]), ctx);
    return { ...out, targets: tf.slice(w, [0, 1], [b, L]) };
  };

  return defineTask({
    kind: 'language',
    trainCount: trainWindows,
    testCount: testWindows,
    init: (rng) => model.init(rng),
    trainForward(params, idx, ctx) {
      const out = forward(params, trainIds, idx, ctx);
      return { loss: model.lossFn(out.logits, out.targets), routing: out.routing };
    },
    lbl: config.kind === 'moe' ? { alpha: config.lblAlpha, scope: config.lblScope } : undefined,
    rowIndependent: rowIndependentModel(config),
    lossAccuracy(params, split, ctx) {
      const out =
        split === 'train'
          ? forward(params, trainIds, evalTrain, ctx)
          : forward(params, testIds, evalTest, ctx);
      return [model.lossFn(out.logits, out.targets), accuracy(out.logits, out.targets)];
    },
    normGap: { norm: config.norm, split: 'test', examples: evalTestStarts.length },
    async views(params, ctx) {
      const stride = Math.max(1, Math.floor(testWindows / 3));
      const prompts = [0, 1, 2].map((k) =>
        corpus.test.slice(k * stride, k * stride + Math.min(PROMPT, L)),
      );
      const sampling = {
        prompts,
        vocab: corpus.vocab,
        maxLength: L,
        newTokens: NEW_TOKENS,
        temperature: 0.8,
        seed,
      };
      const views: TaskView[] = [await sampleText(model, params, ctx, sampling)];
      if (config.kind === 'moe') {
        const evalCtx = { ...ctx, training: false };
        const routed = () => forward(params, testIds, evalTest, evalCtx).routing;
        const masks = tf.tidy(() => routingMasks(routed()));
        // Token (b, t) of the window starting at s is character s + t.
        const tags = corpus.testDomain;
        const domain = tags
          ? Int32Array.from(
              { length: evalTestStarts.length * L },
              (_, k) => tags[evalTestStarts[Math.floor(k / L)] + (k % L)],
            )
          : null;
        views.push(await expertLoadView(masks, domain, corpus.domains));
      }
      return views;
    },
    tensors: () => [trainIds, testIds, offsets, evalTrain, evalTest],
  });
}
