import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { IN_CONTEXT_DEFAULT } from '../data/in-context-schema';
import { Buffers, IDENTITY_QUANTIZER, inferenceContext } from '../layers/context';
import { MODEL_DEFAULTS } from '../models/schema';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { createInContextTask, positionAccuracy } from './in-context';
import { trainForTest } from './train.test-helper';

const tiny = { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 1, heads: 2, mlpRatio: 2 };
const data = { ...IN_CONTEXT_DEFAULT, tasks: '1' as const, classes: 3, sequenceLength: 8 };

describe('in-context task', () => {
  it('scores accuracy at each position over the batch', () => {
    // Two sequences of three positions, two classes: argmax 0,1,1 and 1,1,0.
    const logits = tf.tensor3d([
      [
        [2, 0],
        [0, 1],
        [0, 3],
      ],
      [
        [0, 1],
        [0, 2],
        [5, 0],
      ],
    ]);
    const labels = tf.tensor2d(
      [
        [0, 0, 1],
        [1, 0, 1],
      ],
      [2, 3],
      'int32',
    );
    expect(Array.from(positionAccuracy(logits, labels).dataSync())).toEqual([1, 0, 0.5]);
    tf.dispose([logits, labels]);
  });

  it('draws each step’s batch itself: micro-batches split it, the next step differs', () => {
    const task = createInContextTask(data, tiny, 1, 'test', 16);
    const params = createParams(task.init(createRng(1)));
    const ctx = (step: number) => ({
      training: true,
      step,
      quant: IDENTITY_QUANTIZER,
      buffers: new Buffers(),
    });
    const idx = tf.tensor1d([0, 1, 2, 3], 'int32');
    const loss = (step: number, m: number) =>
      tf.tidy(() => task.batchLoss(params.values, idx, ctx(step), m).dataSync()[0]);
    expect(loss(3, 2)).toBeCloseTo(loss(3, 1), 5);
    expect(loss(3, 1)).toBe(loss(3, 1));
    expect(loss(4, 1)).not.toBe(loss(3, 1));
    idx.dispose();
    disposeParams(params);
    task.dispose();
  });

  it('meta-trains on one task and shows per-position accuracy for training and unseen tasks', async () => {
    const task = createInContextTask(data, tiny, 2, 'test', 32);
    const result = trainForTest(task, { steps: 40, batch: 16, lr: 0.01 });
    // EVAL_METRICS: train loss, test loss, train accuracy, test accuracy.
    expect(result.after[0]).toBeLessThan(result.before[0] - 0.2);
    expect(result.after[2]).toBeGreaterThan(0.6);
    const views = await task.views?.(result.params.values, inferenceContext(result.buffers));
    const view = views?.find((v) => v.kind === 'in-context');
    expect(view?.kind).toBe('in-context');
    if (view?.kind !== 'in-context') return;
    expect(view.train).toHaveLength(8);
    expect(view.unseen).toHaveLength(8);
    expect(view.trainingTasks).toBe(1);
    expect(view.sequences).toBe(32);
    // One memorized task: it is solved at later positions, unseen tasks are not.
    const late = (xs: readonly number[]) => xs.slice(4).reduce((a, b) => a + b, 0) / 4;
    expect(late(view.train)).toBeGreaterThan(late(view.unseen) + 0.2);
    result.dispose();
  });

  it('reads vectors through the transformer’s input projection, not ids', () => {
    const task = createInContextTask(data, tiny, 1, 'test', 4);
    const inits = task.init(createRng(1));
    expect(inits['in/w'].shape).toEqual([8 + 3, 16]);
    expect(inits['tok/table']).toBeUndefined();
    task.dispose();
  });
});
