import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, MODEL_DEFAULTS } from '../config';
import {
  chooseFastest,
  describeProbe,
  timeWorkload,
  workloadFor,
  type ProbeMeasurement,
  type ProbeWorkload,
} from './probe';

const ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

describe('choosing from measured timings', () => {
  it('takes the fewest milliseconds per step', () => {
    const m: ProbeMeasurement[] = [
      { name: 'webgpu', msPerStep: 31 },
      { name: 'webgl', msPerStep: 9.8 },
      { name: 'wasm', msPerStep: 2.1 },
    ];
    expect(chooseFastest(m, ORDER)).toBe('wasm');
    expect(chooseFastest([{ name: 'webgpu', msPerStep: 1.5 }, ...m], ORDER)).toBe('webgpu');
  });

  it('skips backends that were not timed, and breaks ties in the fallback order', () => {
    expect(
      chooseFastest(
        [
          { name: 'wasm', msPerStep: null, firstStepMs: 1 },
          { name: 'webgl', msPerStep: 50 },
        ],
        ORDER,
      ),
    ).toBe('webgl');
    expect(
      chooseFastest(
        [
          { name: 'wasm', msPerStep: 4 },
          { name: 'webgl', msPerStep: 4 },
        ],
        ORDER,
      ),
    ).toBe('webgl');
    expect(
      chooseFastest(
        [
          { name: 'wasm', msPerStep: Number.NaN },
          { name: 'webgpu', msPerStep: 80 },
        ],
        ORDER,
      ),
    ).toBe('webgpu');
  });

  it('falls back to the quickest first step when nothing was timed, and to nothing when nothing ran', () => {
    const slow: ProbeMeasurement[] = [
      { name: 'webgpu', msPerStep: null, firstStepMs: 1200 },
      { name: 'webgl', msPerStep: null, firstStepMs: 700 },
    ];
    expect(chooseFastest(slow, ORDER)).toBe('webgl');
    expect(
      chooseFastest([{ name: 'wasm', msPerStep: null, note: 'the probe failed' }], ORDER),
    ).toBeNull();
    expect(chooseFastest([], ORDER)).toBeNull();
  });

  it('reports the numbers, fastest first, with what was not timed and why', () => {
    const reason = describeProbe(
      'wasm',
      [
        {
          name: 'webgpu',
          msPerStep: null,
          firstStepMs: 1234,
          note: 'first step took 1.2 s, not timed further',
        },
        { name: 'webgl', msPerStep: 9.84 },
        { name: 'wasm', msPerStep: 2.14 },
      ],
      ['the WebGPU adapter is software (google swiftshader)'],
    );
    expect(reason).toBe(
      'auto: wasm measured fastest (wasm 2.1 ms, webgl 9.8 ms per probe step; webgpu: first step took 1.2 s, not timed further; the WebGPU adapter is software (google swiftshader))',
    );
    expect(describeProbe('webgl', [{ name: 'webgl', msPerStep: 31.4 }])).toBe(
      'auto: webgl measured fastest, the only backend timed (webgl 31 ms per probe step)',
    );
    expect(
      describeProbe('webgl', [
        {
          name: 'webgl',
          msPerStep: null,
          firstStepMs: 700,
          note: 'first step took 700 ms, not timed further',
        },
      ]),
    ).toMatch(/^auto: webgl had the quickest first step/);
  });
});

describe('the probe workload follows the model', () => {
  it("an MLP: its widths, from the data's inputs to its classes, and the batch (capped)", () => {
    expect(
      workloadFor({
        model: { ...MODEL_DEFAULTS.mlp, hidden: [256, 256] },
        batchSize: 64,
        data: DATA_DEFAULTS.mnist,
      }),
    ).toEqual({
      kind: 'dense',
      batch: 64,
      widths: [784, 256, 256, 10],
    });
    expect(
      workloadFor({ model: MODEL_DEFAULTS.mlp, batchSize: 1000, data: DATA_DEFAULTS.spiral }),
    ).toEqual({ kind: 'dense', batch: 128, widths: [2, 32, 32, 2] });
  });

  it('a CNN: one conv stage per entry; a CCT: its tokenizer and encoder', () => {
    const cnn = workloadFor({
      model: { ...MODEL_DEFAULTS.cnn, channels: [8, 16] },
      batchSize: 32,
      data: DATA_DEFAULTS.mnist,
    });
    expect(cnn).toMatchObject({
      kind: 'conv',
      batch: 32,
      side: 28,
      stages: [
        { filters: 8, pad: 'same' },
        { filters: 16, pad: 'same' },
      ],
    });
    const cct = workloadFor({
      model: { ...MODEL_DEFAULTS.cct, convLayers: 2, dim: 32, layers: 2, mlpRatio: 2 },
      batchSize: 16,
      data: DATA_DEFAULTS.mnist,
    });
    expect(cct).toMatchObject({
      kind: 'conv',
      stages: [
        { filters: 16, pad: 1 },
        { filters: 32, pad: 1 },
      ],
      encoder: { dim: 32, hidden: 64, layers: 2 },
    });
  });

  it("a transformer: the data's sequence length; an MoE counts its top-k experts", () => {
    expect(
      workloadFor({ model: MODEL_DEFAULTS.transformer, batchSize: 8, data: DATA_DEFAULTS.chars }),
    ).toMatchObject({
      kind: 'tokens',
      seq: DATA_DEFAULTS.chars.sequenceLength,
      blocks: { dim: 32, hidden: 128, layers: 2 },
    });
    expect(
      workloadFor({
        model: { ...MODEL_DEFAULTS.moe, topK: 2, mlpRatio: 2 },
        batchSize: 8,
        data: DATA_DEFAULTS.chars,
      }),
    ).toMatchObject({ blocks: { hidden: 128 } });
  });
});

describe('timing a workload', () => {
  const small: ProbeWorkload[] = [
    { kind: 'dense', batch: 8, widths: [2, 8, 2] },
    {
      kind: 'conv',
      batch: 2,
      side: 8,
      classes: 3,
      stages: [{ filters: 2, pad: 'same', pool: { size: 2, stride: 2, pad: 'valid' } }],
    },
    {
      kind: 'conv',
      batch: 2,
      side: 8,
      classes: 3,
      stages: [{ filters: 4, pad: 1, pool: { size: 3, stride: 2, pad: 1 } }],
      encoder: { dim: 4, hidden: 4, layers: 1 },
    },
    { kind: 'tokens', batch: 2, seq: 4, vocab: 5, blocks: { dim: 4, hidden: 8, layers: 1 } },
  ];

  it.each(small.map((w) => [w.kind, w] as const))(
    '%s: a time per step, and no tensor left behind',
    async (_kind, work) => {
      const before = tf.memory().numTensors;
      const m = await timeWorkload('cpu', work, {
        firstStepLimitMs: 10_000,
        timedMs: 20,
        maxSteps: 3,
      });
      expect(m.name).toBe('cpu');
      expect(m.msPerStep).toBeGreaterThan(0);
      expect(m.firstStepMs).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('a first step over the limit is reported, not timed further', async () => {
    const m = await timeWorkload(
      'cpu',
      { kind: 'dense', batch: 8, widths: [2, 8, 2] },
      { firstStepLimitMs: 0, timedMs: 20, maxSteps: 3 },
    );
    expect(m.msPerStep).toBeNull();
    expect(m.note).toMatch(/^first step took .*, not timed further$/);
  });
});
