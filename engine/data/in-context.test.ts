import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import {
  BASE_POINTS,
  drawTask,
  makeBaseSet,
  makeInContextData,
  makeSequences,
  writeSequence,
} from './in-context';
import { IN_CONTEXT_DEFAULT, IN_CONTEXT_DIM, type InContextConfig } from './in-context-schema';

const config = (over: Partial<InContextConfig> = {}): InContextConfig => ({
  ...IN_CONTEXT_DEFAULT,
  ...over,
});

describe('GPICL generator', () => {
  it('makes sequences of [count, length, 8 + C] inputs and [count, length] labels', () => {
    const gen = makeInContextData(config({ classes: 5, sequenceLength: 32, tasks: '16' }), 3);
    const s = gen.batch(0, 7);
    expect([s.count, s.length, s.width]).toEqual([7, 32, IN_CONTEXT_DIM + 5]);
    expect(s.inputs.length).toBe(7 * 32 * 13);
    expect(s.labels.length).toBe(7 * 32);
    expect(s.labels.every((y) => y >= 0 && y < 5)).toBe(true);
    expect(gen.tasks).toHaveLength(16);
    expect(makeInContextData(config({ tasks: 'fresh' }), 3).tasks).toBeNull();
    const base = makeBaseSet(5);
    expect(base.x.length).toBe(BASE_POINTS * IN_CONTEXT_DIM);
    expect(new Set(base.y).size).toBe(5);
  });

  it('lays out [A·x_t, onehot(y_{t−1})], with a zero label part at the first position', () => {
    const classes = 3;
    const base = makeBaseSet(classes, 12);
    const task = drawTask(createRng(9), classes);
    const points = [4, 0, 7, 7, 11];
    const width = IN_CONTEXT_DIM + classes;
    const out = {
      inputs: new Float32Array(points.length * width),
      labels: new Int32Array(points.length),
    };
    writeSequence(out, 0, base, task, points);
    points.forEach((p, t) => {
      const row = out.inputs.subarray(t * width, (t + 1) * width);
      for (let i = 0; i < IN_CONTEXT_DIM; i++) {
        let ax = 0;
        for (let j = 0; j < IN_CONTEXT_DIM; j++)
          ax += task.a[i * IN_CONTEXT_DIM + j] * base.x[p * IN_CONTEXT_DIM + j];
        expect(row[i]).toBeCloseTo(ax, 5);
      }
      expect(out.labels[t]).toBe(task.perm[base.y[p]]);
      const label = Array.from(row.subarray(IN_CONTEXT_DIM));
      const expected = Array.from({ length: classes }, (_, c) =>
        t > 0 && c === out.labels[t - 1] ? 1 : 0,
      );
      expect(label).toEqual(expected);
    });
  });

  it('permutes the labels per task: tasks differ, and a task keeps its permutation', () => {
    const gen = makeInContextData(config({ classes: 4, tasks: '16' }), 1);
    const perms = new Set(gen.tasks?.map((t) => Array.from(t.perm).join()));
    expect(perms.size).toBeGreaterThan(1);
    for (const t of gen.tasks ?? []) expect([...t.perm].sort()).toEqual([0, 1, 2, 3]);
    const again = makeInContextData(config({ classes: 4, tasks: '16' }), 1);
    expect(again.tasks?.map((t) => Array.from(t.perm))).toEqual(
      gen.tasks?.map((t) => Array.from(t.perm)),
    );
    expect(Array.from(again.tasks?.[3].a ?? [])).toEqual(Array.from(gen.tasks?.[3].a ?? []));
    // The same base point shows the same label everywhere within one task.
    const base = makeBaseSet(4, 8);
    const task = drawTask(createRng(2), 4);
    const s = makeSequences(base, 20, 8, createRng(5), () => task);
    const points = new Int32Array(8);
    const out = { inputs: new Float32Array(8 * 12), labels: new Int32Array(8) };
    points.fill(6);
    writeSequence(out, 0, base, task, points);
    expect(new Set(out.labels).size).toBe(1);
    expect(new Set(s.labels).size).toBe(4);
  });

  it('draws A with entries N(0, 1/8)', () => {
    const rng = createRng(4);
    const entries = Array.from({ length: 300 }, () => Array.from(drawTask(rng, 4).a)).flat();
    const mean = entries.reduce((a, b) => a + b, 0) / entries.length;
    const variance = entries.reduce((a, b) => a + (b - mean) ** 2, 0) / (entries.length - 1);
    expect(entries.length).toBe(300 * 64);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeGreaterThan(0.125 - 0.008);
    expect(variance).toBeLessThan(0.125 + 0.008);
  });

  it('draws the same batch for the same step, another for the next, unseen tasks apart', () => {
    const gen = makeInContextData(config({ tasks: '4' }), 2);
    expect(Array.from(gen.batch(5, 3).inputs)).toEqual(Array.from(gen.batch(5, 3).inputs));
    expect(Array.from(gen.batch(6, 3).inputs)).not.toEqual(Array.from(gen.batch(5, 3).inputs));
    const test = gen.unseenEval(4, 'test');
    const validation = gen.unseenEval(4, 'validation');
    expect(Array.from(test.inputs)).not.toEqual(Array.from(validation.inputs));
    expect(Array.from(gen.unseenEval(4, 'test').inputs)).toEqual(Array.from(test.inputs));
  });
});
