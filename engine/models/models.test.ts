import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { inferenceContext } from '../layers/context';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { cctModel, patchRows } from './cct';
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
  it('ViT-lite (patch tokenizer, class token): 4×4 patches give 49 tokens, plus the class token', () => {
    const model = cctModel(
      { ...MODEL_DEFAULTS.cct, dim: 16, tokenizer: 'patch', pooling: 'class' },
      image,
    );
    const inits = model.init(createRng(1));
    expect(inits['patch/w'].shape).toEqual([16, 16]);
    expect(inits['cls/table'].shape).toEqual([1, 16]);
    expect(inits['pos/table'].shape).toEqual([50, 16]);
    expect(inits['tok0/w']).toBeUndefined();
    expect(inits['pool/w']).toBeUndefined();
    const params = createParams(inits);
    expect(
      model.apply(params.values, tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, ctx).logits.shape,
    ).toEqual([2, 10]);
    disposeParams(params);
  });
  it('patch rows: squares in row-major order, pixels row-major with channels last, zero padding', async () => {
    // 3×3 image, 2 channels (pixel value 10·row + col, channel 1 negated), 2×2 patches → padded to 4×4.
    const px = Array.from({ length: 9 }, (_, k) => [
      10 * Math.floor(k / 3) + (k % 3),
      -(10 * Math.floor(k / 3) + (k % 3)),
    ]);
    const x = tf.tensor4d(px.flat(), [1, 3, 3, 2]);
    const rows = patchRows(x, 2);
    expect(rows.shape).toEqual([1, 4, 8]);
    const got = Array.from(await rows.data());
    const row = (i: number) => got.slice(i * 8, i * 8 + 8);
    expect(row(0).map((v) => v + 0)).toEqual([0, 0, 1, -1, 10, -10, 11, -11]);
    expect(row(1)).toEqual([2, -2, 0, 0, 12, -12, 0, 0]);
    expect(row(2)).toEqual([20, -20, 21, -21, 0, 0, 0, 0]);
    expect(row(3)).toEqual([22, -22, 0, 0, 0, 0, 0, 0]);
    tf.dispose([x, rows]);
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
