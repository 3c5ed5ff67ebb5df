import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { NODE_ENV } from '../data/node-assets';
import type { DataConfig } from '../data/schema';
import type { ModelConfig } from '../models/schema';
import { createTask } from './index';
import { trainForTest } from './train.test-helper';
import type { TaskView } from './views';

/** Test helper: a task trains a few steps, its train loss falls by 10%, and its views are well-formed and side-effect free. */

export const ENV = { ...NODE_ENV, evalExamples: 48 };
export const config = (data: DataConfig, model: ModelConfig): RunConfig => ({
  ...DEFAULT_CONFIG,
  seed: 3,
  data,
  model,
});

export async function expectLearns(
  data: DataConfig,
  model: ModelConfig,
  steps: number,
  lr: number,
  microBatches: number,
): Promise<void> {
  const task = await createTask(config(data, model), ENV);
  // Convolutions' backward pass is slow on the Node cpu backend: smaller batches for images.
  const r = trainForTest(task, { steps, lr, microBatches, batch: data.kind === 'mnist' ? 8 : 16 });
  expect(r.after[0]).toBeLessThan(r.before[0] * 0.9);
  expect(Number.isFinite(r.after[1])).toBe(true);
  if (task.views) {
    const before = r.buffers.names().map((n) => Array.from(r.buffers.get(n)!.dataSync()));
    const tensors = tf.memory().numTensors;
    const views = await task.views(r.params.values, r.context(false));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(r.buffers.names().map((n) => Array.from(r.buffers.get(n)!.dataSync()))).toEqual(before);
    checkViews(views, data, model);
  }
  r.dispose();
}

function checkViews(views: readonly TaskView[], data: DataConfig, model: ModelConfig): void {
  const kinds = views.map((v) => v.kind);
  if (data.kind === 'mnist') expect(kinds).toContain('predictions');
  if (data.kind === 'chars' || data.kind === 'text') expect(kinds).toContain('text-samples');
  if (model.kind === 'moe') expect(kinds).toContain('expert-load');
  if (
    model.kind !== 'transformer' &&
    model.kind !== 'moe' &&
    (model.norm === 'batch' || model.norm === 'batch-channel')
  )
    expect(kinds).toContain('norm-gap');
  for (const v of views) {
    if (v.kind === 'predictions')
      expect([v.images.length, v.predicted.length, v.labels.length]).toEqual([36 * 784, 36, 36]);
    if (v.kind === 'confusion') expect(v.counts.length).toBe(v.classes * v.classes);
    if (v.kind === 'text-samples')
      v.samples.forEach((s) => expect(Array.from(s.completion).length).toBe(40));
    if (v.kind === 'expert-load') {
      v.load.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
      if (data.kind === 'chars') expect(v.specialization).toBeGreaterThanOrEqual(0);
    }
    if (v.kind === 'norm-gap')
      expect(Number.isFinite(v.train.loss) && Number.isFinite(v.eval.loss)).toBe(true);
  }
}
