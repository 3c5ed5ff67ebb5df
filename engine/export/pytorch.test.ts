import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, DEFAULT_CONFIG, MODEL_DEFAULTS, type RunConfig } from '../config';
import { QUANT_PRESETS } from '../quant/schema';
import { IMAGE_EVAL_EXAMPLES } from '../tasks/image';
import { LM_EVAL_WINDOWS } from '../tasks/language';
import {
  EVAL_COUNTS,
  encodeSafetensors,
  exportPyTorch,
  exportRunData,
  learningRates,
} from './index';

/** The export without Python: what it says it cannot do, and the files it writes. */

function header(
  bytes: Uint8Array,
): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as ReturnType<
    typeof header
  >;
}

describe('exportPyTorch', () => {
  it('names what an unsupported run is missing, at the top of the script and in the result', () => {
    const csv: RunConfig = { ...DEFAULT_CONFIG, data: DATA_DEFAULTS.csv };
    const mesa: RunConfig = { ...DEFAULT_CONFIG, quant: QUANT_PRESETS.mesa };
    const a = exportPyTorch(csv);
    const b = exportPyTorch(mesa);
    expect(a.unsupported).toEqual([expect.stringContaining('CSV dataset')]);
    expect(b.unsupported).toEqual([expect.stringContaining('Mesa')]);
    const top = b.script.slice(0, b.script.indexOf('import argparse'));
    expect(top).toContain('NOT REPRODUCED');
    expect(top).toContain(b.unsupported[0]);
  });

  it('says everything is reproduced when it is', () => {
    const out = exportPyTorch(DEFAULT_CONFIG);
    expect(out.unsupported).toEqual([]);
    expect(out.script).toContain('Everything the run configures is reproduced.');
  });

  it('writes only the chosen model and optimizer', () => {
    const out = exportPyTorch({ ...DEFAULT_CONFIG, optimizer: { kind: 'sgd', lr: 0.1 } });
    expect(out.script).toContain('torch.optim.SGD(params, lr=o["lr"])');
    expect(out.script).not.toContain('class Lamb');
    expect(out.script).not.toContain('def moe_ffn');
  });

  it('evaluates as many examples as the engine', () => {
    expect(EVAL_COUNTS).toEqual({ image: IMAGE_EVAL_EXAMPLES, language: LM_EVAL_WINDOWS });
  });
});

describe('the data file', () => {
  it('holds the splits and one learning rate per step', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      steps: 50,
      schedule: { kind: 'cosine', warmupFraction: 0.1, floorRatio: 0, cycles: 1 },
    };
    const h = header(await exportRunData(config));
    expect(h.train_x.shape).toEqual([200, 2]);
    expect(h.test_y.shape).toEqual([200]);
    expect(h.lr).toMatchObject({ dtype: 'F64', shape: [50] });
    const lr = learningRates(config);
    expect(lr[4]).toBeCloseTo(0.03 * (5 / 5), 12);
    expect(lr[49]).toBeLessThan(lr[10]);
  });

  it('a language corpus carries its ids and vocabulary', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DATA_DEFAULTS.chars, corpusChars: 1000 },
      model: MODEL_DEFAULTS.transformer,
    };
    const h = header(await exportRunData(config));
    expect(h.train_ids.dtype).toBe('I32');
    expect(h.__metadata__).toMatchObject({ task: 'language' });
  });
});

describe('encodeSafetensors', () => {
  it('lays tensors out back to back after an 8-byte-aligned header', () => {
    const bytes = encodeSafetensors({
      a: { shape: [2], values: new Float32Array([1, 2]) },
      b: { shape: [3], values: new Uint8Array([7, 8, 9]) },
    });
    const h = header(bytes);
    expect(h.a.data_offsets).toEqual([0, 8]);
    expect(h.b).toEqual({ dtype: 'U8', shape: [3], data_offsets: [8, 11] });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    expect(Array.from(bytes.subarray(8 + n + 8))).toEqual([7, 8, 9]);
  });

  it('refuses a shape that does not match the values', () => {
    expect(() => encodeSafetensors({ a: { shape: [3], values: new Float32Array(2) } })).toThrow(
      /shape/,
    );
  });
});
