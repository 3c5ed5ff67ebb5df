import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, type DataConfig } from '../data/schema';
import { Buffers, type LayerContext, type Quantizer } from '../layers/context';
import { MODEL_DEFAULTS, type ModelConfig } from '../models/schema';
import { createParams, disposeParams, type Role } from '../params';
import { createRng } from '../rng';
import { config, ENV } from '../tasks/learns.test-helper';
import { createTask } from '../tasks/index';
import { quantizerFromConfig } from './from-config';
import { QUANT_PRESETS } from './schema';

const tinyChars = { ...DATA_DEFAULTS.chars, corpusChars: 2000, sequenceLength: 8 };
const CASES: [string, DataConfig, ModelConfig][] = [
  ['mlp', DATA_DEFAULTS.spiral, MODEL_DEFAULTS.mlp],
  ['transformer', tinyChars, { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 1 }],
  ['moe', tinyChars, { ...MODEL_DEFAULTS.moe, dim: 16, layers: 1 }],
  ['cnn', DATA_DEFAULTS.mnist, MODEL_DEFAULTS.cnn],
  ['cct', DATA_DEFAULTS.mnist, { ...MODEL_DEFAULTS.cct, convLayers: 1, dim: 16, layers: 1 }],
];

describe('the quantizer reads the roles the parameters declare', () => {
  it.each(CASES)(
    '%s: every weight it sees is a declared parameter of that role, every layer input has one',
    async (_name, data, model) => {
      const task = await createTask(config(data, model), ENV);
      const params = createParams(task.init(createRng(1)));
      const inner = quantizerFromConfig(
        QUANT_PRESETS['b1.58-absmean'],
        new Buffers(),
        params.roles,
      );
      const weights: [string, Role][] = [];
      const layers: string[] = [];
      const recording: Quantizer = {
        weight: (w, role, name) => (weights.push([name, role]), inner.weight(w, role, name)),
        activation: (x, name) => (layers.push(name), inner.activation(x, name)),
        matMul: (x, w, name) => (layers.push(name), inner.matMul(x, w, name)),
      };
      const ctx: LayerContext = {
        training: true,
        step: 0,
        quant: recording,
        buffers: new Buffers(),
      };
      tf.tidy(() => task.batchLoss(params.values, tf.tensor1d([0, 1], 'int32'), ctx));
      expect(weights.length).toBeGreaterThan(0);
      for (const [name, role] of weights) expect(params.roles[name], name).toBe(role);
      for (const layer of layers) expect(params.roles[`${layer}/w`], layer).toBeDefined();
      disposeParams(params);
      task.dispose();
    },
  );
});
