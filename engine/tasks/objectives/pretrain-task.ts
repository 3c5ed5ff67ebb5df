import * as tf from '@tensorflow/tfjs-core';
import { CHAR_ALPHABET } from '../../data/chars';
import { CHAR_DOMAINS, type CharDomain } from '../../data/schema';
import type { LayerContext } from '../../layers/context';
import type { TransformerConfig } from '../../models/schema';
import { createRng } from '../../rng';
import type { NamedTensors } from '../../tree';
import type { LmCorpus } from '../language';
import { defineTask } from '../skeleton';
import type { Task } from '../task';
import { drawMask, drawRng, drawUniform } from './masking';
import { probesFor } from './probe-data';
import { probesView } from './probes-view';
import { electraModel, mlmModel, type PretrainBatch } from './pretrain-model';

/** Windows evaluated per split when the run does not ask for the whole split. */
const EVAL_WINDOWS = 128;

const spaced = (windows: number, n: number) => {
  const k = Math.min(n, windows);
  return Int32Array.from({ length: k }, (_, i) => Math.floor((i * windows) / k));
};

/** The corpus's domains if it is the generated character corpus (the probes use its alphabet). */
function charDomains(corpus: LmCorpus): CharDomain[] | null {
  if (corpus.vocab.join('') !== CHAR_ALPHABET) return null;
  const known = corpus.domains.filter((d): d is CharDomain =>
    (CHAR_DOMAINS as readonly string[]).includes(d),
  );
  return known.length === corpus.domains.length ? known : null;
}

/**
 * Masked-LM or ELECTRA pretraining on a character corpus (docs/algorithms.md): example i is the
 * window of L characters starting at i; each training call draws its mask (15%) and sampling
 * noise from the seed and step, each evaluated split keeps one fixed draw. The views are the
 * linear probes on the frozen encoder.
 */
export function createPretrainTask(
  corpus: LmCorpus,
  config: TransformerConfig,
  objective: 'mlm' | 'electra',
  seed: number,
  evalWindows = EVAL_WINDOWS,
): Task {
  const L = corpus.sequenceLength;
  const V = corpus.vocab.length;
  const model = objective === 'mlm' ? mlmModel(config, V, L) : electraModel(config, V, L);
  const trainIds = tf.tensor1d(corpus.train, 'int32');
  const testIds = tf.tensor1d(corpus.test, 'int32');
  const offsets = tf.range(0, L, 1, 'int32');
  const trainWindows = corpus.train.length - L + 1;
  const testWindows = corpus.test.length - L + 1;
  const evalTrainStarts = spaced(
    trainWindows,
    Number.isFinite(evalWindows) ? evalWindows : EVAL_WINDOWS,
  );
  // The whole held-out split: windows side by side, every character in one window.
  const evalTestStarts = Number.isFinite(evalWindows)
    ? spaced(testWindows, evalWindows)
    : Int32Array.from({ length: Math.floor(corpus.test.length / L) }, (_, i) => i * L);
  /** A fixed draw of mask and noise for an evaluated split. */
  const fixedNoise = (n: number, salt: number) => {
    const rng = createRng((seed ^ salt) >>> 0);
    return {
      mask: tf.tensor1d(drawMask(rng, n * L)),
      uniform: tf.tensor1d(drawUniform(rng, n * L)),
    };
  };
  const evalSplits = {
    train: {
      ids: trainIds,
      starts: tf.tensor1d(evalTrainStarts, 'int32'),
      ...fixedNoise(evalTrainStarts.length, 0x3a11),
    },
    test: {
      ids: testIds,
      starts: tf.tensor1d(evalTestStarts, 'int32'),
      ...fixedNoise(evalTestStarts.length, 0x7e57),
    },
  };
  const windows = (ids: tf.Tensor1D, starts: tf.Tensor1D) =>
    tf.gather(ids as tf.Tensor, tf.add(tf.expandDims(starts, 1), offsets)) as tf.Tensor2D;
  const domains = charDomains(corpus);
  const probes = domains ? probesFor(domains, L, seed) : [];
  // Micro-batches of one step draw different masks: a counter within the step.
  let drawStep = -1;
  let drawCall = 0;

  return defineTask({
    kind: 'language',
    trainCount: trainWindows,
    testCount: testWindows,
    init: (rng) => model.init(rng),
    trainForward(params: NamedTensors, idx: tf.Tensor1D, ctx: LayerContext) {
      if (ctx.step !== drawStep) [drawStep, drawCall] = [ctx.step, 0];
      const rng = drawRng(seed, ctx.step, drawCall++);
      const n = idx.shape[0] * L;
      const batch: PretrainBatch = {
        ids: windows(trainIds, idx),
        mask: tf.tensor1d(drawMask(rng, n)),
        uniform: tf.tensor1d(drawUniform(rng, n)),
      };
      return { loss: model.loss(params, batch, ctx)[0], routing: [] };
    },
    lossAccuracy(params, split, ctx) {
      const s = evalSplits[split];
      return model.loss(
        params,
        { ids: windows(s.ids, s.starts), mask: s.mask, uniform: s.uniform },
        ctx,
      );
    },
    normGap: { norm: config.norm, split: 'test', examples: evalTestStarts.length },
    async views(params, ctx) {
      if (probes.length === 0) return [];
      return [await probesView(objective, probes, model.features, params, L, ctx)];
    },
    tensors: () => [
      trainIds,
      testIds,
      offsets,
      ...Object.values(evalSplits).flatMap((s) => [s.starts, s.mask, s.uniform]),
    ],
  });
}
