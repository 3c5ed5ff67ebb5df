import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { inferenceContext } from '../layers/context';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { cctModel } from './cct';
import { cnnModel } from './cnn';
import { mlpModel } from './mlp';
import { MODEL_DEFAULTS } from './schema';
import { transformerModel } from './transformer';

const ctx = inferenceContext();
const image = { side: 28, channels: 1, classes: 10 };

describe('model shapes and parameter roles', () => {
  it('CCT: 28 → 14 → 7 gives 49 tokens (positional table 49×d) and logits [B, 10]', () => {
    const model = cctModel({ ...MODEL_DEFAULTS.cct, dim: 16 }, image);
    const inits = model.init(createRng(1));
    expect(inits['pos/table'].shape).toEqual([49, 16]);
    expect(inits['tok0/w'].shape).toEqual([3, 3, 1, 8]);
    expect(inits['tok1/b']).toBeUndefined();
    expect(inits['pool/w'].shape).toEqual([16, 1]);
    const params = createParams(inits);
    expect(
      model.apply(params.values, tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, ctx).logits.shape,
    ).toEqual([2, 10]);
    disposeParams(params);
  });
  it('CNN: conv biases only without a norm; norm params role norm', () => {
    const inits = cnnModel({ ...MODEL_DEFAULTS.cnn, norm: 'group' }, image).init(createRng(1));
    expect(inits['conv0/b']).toBeUndefined();
    expect(inits['norm1/gamma'].role).toBe('norm');
    expect(cnnModel(MODEL_DEFAULTS.cnn, image).init(createRng(1))['conv0/b'].role).toBe('bias');
  });
  it('MLP keeps its old parameters without a norm and adds norm params with one', () => {
    const plain = mlpModel(MODEL_DEFAULTS.mlp, { inputs: 2, outputs: 2 }).init(createRng(1));
    expect(Object.keys(plain).sort()).toEqual([
      'dense0/b',
      'dense0/w',
      'dense1/b',
      'dense1/w',
      'head/b',
      'head/w',
    ]);
    const bcn = mlpModel(
      { ...MODEL_DEFAULTS.mlp, norm: 'batch-channel' },
      { inputs: 2, outputs: 2 },
    ).init(createRng(1));
    expect(bcn['norm0/groupGamma'].shape).toEqual([8]);
  });
  it('MoE transformer: router role, one router-stats entry per layer, logits [B, T, V]', () => {
    const model = transformerModel(
      { ...MODEL_DEFAULTS.moe, layers: 2, dim: 16 },
      { vocab: 11, maxLength: 6 },
    );
    const inits = model.init(createRng(2));
    expect(inits['block0/moe/router/w'].role).toBe('router');
    expect(inits['tok/table'].role).toBe('embedding');
    expect(inits['head/w'].role).toBe('head');
    const params = createParams(inits);
    const out = model.apply(params.values, tf.zeros([3, 5], 'int32') as tf.Tensor2D, ctx);
    expect(out.logits.shape).toEqual([3, 5, 11]);
    expect(out.routing.length).toBe(2);
    expect(out.routing[0].tokens).toBe(15);
    disposeParams(params);
  });
  it('initialisation is deterministic per seed', () => {
    const model = transformerModel(MODEL_DEFAULTS.transformer, { vocab: 5, maxLength: 4 });
    expect(model.init(createRng(4))['block0/attn/q/w'].values).toEqual(
      model.init(createRng(4))['block0/attn/q/w'].values,
    );
  });
});
