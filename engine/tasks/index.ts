import type { RunConfig } from '../config';
import { makeCharCorpus } from '../data/chars';
import { parseCsv } from '../data/csv';
import { resolveDataset } from '../data/dataset';
import { MNIST_ASSET, parseMnist } from '../data/mnist';
import { isToy2D, type DatasetKind } from '../data/schema';
import { parseText } from '../data/text';
import type { ModelConfig, ModelKind } from '../models/schema';
import { COMPATIBLE_MODELS, incompatibility } from './compatibility';
import { createImageTask } from './image';
import { createInContextTask } from './in-context';
import { createLanguageTask } from './language';
import { createModularTask } from './modular';
import { createTabularTask } from './tabular';
import type { RunEnv, Task } from './task';
import type { Teacher } from '../derive/distill';
import { createToy2DTask } from './toy-2d';
import { corpusValidation, mnistValidation } from './held-out';

export type { RunEnv, Task } from './task';
export type { TaskView, TaskViewKind } from './views';
export { EVAL_METRICS } from './task';
export { COMPATIBLE_MODELS, incompatibility };

/** Narrows the model to the kinds the dataset takes, or throws a message the UI can show. */
function expectModel<K extends ModelKind>(
  data: DatasetKind,
  model: ModelConfig,
  kinds: readonly K[],
): Extract<ModelConfig, { kind: K }> {
  const why = incompatibility(data, model.kind);
  if (why !== null || !(kinds as readonly ModelKind[]).includes(model.kind))
    throw new Error(why ?? `${model.kind} cannot learn ${data}`);
  return model as Extract<ModelConfig, { kind: K }>;
}

/** Builds the task a config names: its dataset (loaded through `env` where it is a file) and model. */
export async function createTask(config: RunConfig, env: RunEnv, teacher?: Teacher): Promise<Task> {
  const { data, model, seed } = config;
  if (teacher && !isToy2D(data) && data.kind !== 'mnist')
    throw new Error(`distillation is for MLP classifiers (2-D data, MNIST), not ${data.kind}`);
  const validation = env.heldOut === 'validation';
  if (validation && !['mnist', 'chars', 'text', 'in-context'].includes(data.kind))
    throw new Error(`no validation split for ${data.kind}`);
  if (isToy2D(data))
    return createToy2DTask(data, expectModel(data.kind, model, ['mlp']), seed, teacher);
  switch (data.kind) {
    case 'mnist': {
      const m = expectModel(data.kind, model, ['cnn', 'cct', 'mlp']);
      if (!env.loadAsset) throw new Error(`the mnist dataset needs a way to load ${MNIST_ASSET}`);
      const parsed = parseMnist(await env.loadAsset(MNIST_ASSET));
      if (!parsed.ok) throw new Error(parsed.message);
      return createImageTask(
        data,
        m,
        validation ? mnistValidation(parsed.value) : parsed.value,
        env.evalExamples,
        teacher,
      );
    }
    case 'chars': {
      const m = expectModel(data.kind, model, ['transformer', 'moe']);
      const c = makeCharCorpus(data, seed);
      const split = validation
        ? corpusValidation(c.train.ids, data.sequenceLength)
        : { train: c.train.ids, test: c.test.ids };
      // A carved validation split has no domain tags: the expert-load view reads only the test split's.
      const testDomain = validation ? null : c.test.domain;
      const corpus = {
        vocab: c.vocab,
        ...split,
        testDomain,
        domains: c.domains,
        sequenceLength: data.sequenceLength,
      };
      return createLanguageTask(corpus, m, seed, env.evalExamples);
    }
    case 'text': {
      const m = expectModel(data.kind, model, ['transformer', 'moe']);
      const text = resolveDataset('text', data.dataset, env.dataset);
      if (!text.ok) throw new Error(text.message);
      const parsed = parseText(text.value, data.sequenceLength);
      if (!parsed.ok) throw new Error(parsed.message);
      const split = validation ? corpusValidation(parsed.value.train, data.sequenceLength) : {};
      const corpus = {
        ...parsed.value,
        ...split,
        testDomain: null,
        domains: ['text'],
        sequenceLength: data.sequenceLength,
      };
      return createLanguageTask(corpus, m, seed, env.evalExamples);
    }
    case 'modular':
      return createModularTask(data, expectModel(data.kind, model, ['transformer', 'moe']), seed);
    case 'in-context': {
      const m = expectModel(data.kind, model, ['transformer']);
      return createInContextTask(data, m, seed, env.heldOut ?? 'test', env.evalExamples);
    }
    case 'csv': {
      const m = expectModel(data.kind, model, ['mlp']);
      const text = resolveDataset('csv', data.dataset, env.dataset);
      if (!text.ok) throw new Error(text.message);
      const parsed = parseCsv(text.value);
      if (!parsed.ok) throw new Error(parsed.message);
      return createTabularTask(parsed.value, data.trainFraction, m, seed);
    }
  }
}
