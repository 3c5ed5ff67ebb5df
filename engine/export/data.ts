import type { RunConfig } from '../config';
import { makeCharCorpus } from '../data/chars';
import { MNIST_ASSET, parseMnist } from '../data/mnist';
import { makeModular } from '../data/modular';
import { isToy2D } from '../data/schema';
import { parseText } from '../data/text';
import { makeToy2D } from '../data/toy-2d';
import { BUILTIN_DATASETS } from '../data/dataset';
import { runPlan } from '../plan/run-plan';
import type { RunEnv } from '../tasks/task';
import { encodeSafetensors, type NamedArray } from './safetensors';

/** What an exported script reads beside itself: the run's examples and its learning rate per step. */
export interface RunDataOptions {
  /** The text of a user `text` dataset (the config names it by id; built-in ones are known). */
  readonly text?: string;
}

/** The rate of every update 1..S, from the run plan the engine's run uses. */
export function learningRates(config: RunConfig): Float64Array {
  const plan = runPlan(config);
  return Float64Array.from({ length: config.steps }, (_, i) => plan.lr(i + 1));
}

type Tensors = Record<string, NamedArray>;

/**
 * How many examples the engine evaluates per split: images (tasks/image.ts IMAGE_EVAL_EXAMPLES)
 * and language windows (tasks/language.ts LM_EVAL_WINDOWS). Repeated here because those modules
 * load TF.js and this one must not (the UI builds the export); pytorch.test.ts pins them equal.
 */
export const EVAL_COUNTS = { image: 1000, language: 128 } as const;

/** The tensors and metadata of the run's dataset, or the reason it cannot be written. */
async function datasetOf(
  config: RunConfig,
  env: RunEnv,
  options: RunDataOptions,
): Promise<{ tensors: Tensors; meta: Record<string, string> }> {
  const { data, seed } = config;
  if (isToy2D(data)) {
    const d = makeToy2D(data, seed);
    const regression = data.kind === 'plane';
    const split = (s: typeof d.train, name: string): Tensors => ({
      [`${name}_x`]: { shape: [s.count, 2], values: s.x },
      [`${name}_y`]: { shape: [s.count], values: s.y },
    });
    const shape = { inputs: 2, outputs: regression ? 1 : 2 };
    return {
      tensors: { ...split(d.train, 'train'), ...split(d.test, 'test') },
      meta: { task: regression ? 'regression' : 'classification', shape: JSON.stringify(shape) },
    };
  }
  switch (data.kind) {
    case 'mnist': {
      if (!env.loadAsset) throw new Error(`the mnist dataset needs a way to load ${MNIST_ASSET}`);
      const parsed = parseMnist(await env.loadAsset(MNIST_ASSET));
      if (!parsed.ok) throw new Error(parsed.message);
      const { side, train, test } = parsed.value;
      const n = Math.min(data.trainSamples, train.count);
      const px = side * side;
      const shape = { side, channels: 1, classes: 10, inputs: px, outputs: 10 };
      return {
        tensors: {
          train_x: { shape: [n, side, side, 1], values: train.pixels.slice(0, n * px) },
          train_y: { shape: [n], values: train.labels.slice(0, n) },
          test_x: {
            shape: [test.count, side, side, 1],
            values: test.pixels.slice(0, test.count * px),
          },
          test_y: { shape: [test.count], values: test.labels.slice(0, test.count) },
        },
        meta: {
          task: 'image',
          shape: JSON.stringify(shape),
          evalExamples: String(env.evalExamples ?? EVAL_COUNTS.image),
        },
      };
    }
    case 'chars':
    case 'text': {
      let vocab: readonly string[];
      let trainIds: Int32Array;
      let testIds: Int32Array;
      if (data.kind === 'chars') {
        const c = makeCharCorpus(data, seed);
        [vocab, trainIds, testIds] = [c.vocab, c.train.ids, c.test.ids];
      } else {
        // The config names its text by id: the caller passes a user's text, built-ins are known.
        const text = options.text ?? BUILTIN_DATASETS[data.dataset];
        if (text === undefined)
          throw new Error('the text dataset needs its text: pass it as options.text');
        const parsed = parseText(text, data.sequenceLength);
        if (!parsed.ok) throw new Error(parsed.message);
        [vocab, trainIds, testIds] = [parsed.value.vocab, parsed.value.train, parsed.value.test];
      }
      const shape = { vocab: vocab.length, maxLength: data.sequenceLength };
      return {
        tensors: {
          train_ids: { shape: [trainIds.length], values: trainIds },
          test_ids: { shape: [testIds.length], values: testIds },
        },
        meta: {
          task: 'language',
          shape: JSON.stringify(shape),
          vocab: JSON.stringify(vocab),
          evalExamples: String(env.evalExamples ?? EVAL_COUNTS.language),
        },
      };
    }
    case 'modular': {
      const d = makeModular(data, seed);
      const split = (s: typeof d.train, name: string): Tensors => ({
        [`${name}_x`]: { shape: [s.count, 4], values: s.inputs },
        [`${name}_y`]: { shape: [s.count], values: s.targets },
      });
      return {
        tensors: { ...split(d.train, 'train'), ...split(d.test, 'test') },
        meta: { task: 'modular', shape: JSON.stringify({ vocab: d.vocab, maxLength: 4 }) },
      };
    }
    case 'csv':
      throw new Error('a CSV dataset cannot be exported yet');
    case 'in-context':
      throw new Error('an in-context (GPICL) dataset cannot be exported yet');
  }
}

/** The `.safetensors` file an exported script reads: the dataset's splits and `lr`, one rate per step. */
export async function exportRunData(
  config: RunConfig,
  env: RunEnv = {},
  options: RunDataOptions = {},
): Promise<Uint8Array> {
  const { tensors, meta } = await datasetOf(config, env, options);
  const lr = learningRates(config);
  return encodeSafetensors(
    { ...tensors, lr: { shape: [lr.length], values: lr } },
    { evalExamples: '0', ...meta },
  );
}
