import { describe, expect, it } from 'vitest';
import { TOY_2D_KINDS, type Toy2DConfig } from '../config';
import { makeToy2D } from './toy-2d';
import { BatchSampler } from './batches';

const base: Toy2DConfig = { kind: 'spiral', samples: 200, noise: 0.1, trainFraction: 0.6 };

describe('2-D datasets', () => {
  it.each(TOY_2D_KINDS)('%s is deterministic per seed and differs across seeds', (kind) => {
    const config = { ...base, kind };
    const a = makeToy2D(config, 3);
    const b = makeToy2D(config, 3);
    const c = makeToy2D(config, 4);
    expect(a.train.x).toEqual(b.train.x);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.train.x).not.toEqual(c.train.x);
  });

  it('a data seed, when set, replaces the run seed', () => {
    expect(makeToy2D({ ...base, dataSeed: 9 }, 3).train.x).toEqual(makeToy2D(base, 9).train.x);
    expect(makeToy2D({ ...base, dataSeed: 9 }, 3).train.x).not.toEqual(makeToy2D(base, 3).train.x);
  });

  it.each(TOY_2D_KINDS)('%s splits by the train fraction, with points inside [-1, 1]²', (kind) => {
    const d = makeToy2D({ ...base, kind }, 1);
    expect(d.train.count).toBe(120);
    expect(d.test.count).toBe(80);
    expect(d.train.x.length).toBe(240);
    for (const v of [...d.train.x, ...d.test.x]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('classification sets have both classes in balance', () => {
    for (const kind of ['spiral', 'circles', 'xor', 'gaussians'] as const) {
      const d = makeToy2D({ ...base, kind, samples: 400 }, 2);
      const ones = [...d.train.y, ...d.test.y].filter((y) => y === 1).length;
      expect(ones / 400).toBeGreaterThan(0.35);
      expect(ones / 400).toBeLessThan(0.65);
    }
  });

  it('noise moves points', () => {
    const clean = makeToy2D({ ...base, noise: 0 }, 1);
    const noisy = makeToy2D({ ...base, noise: 0.3 }, 1);
    expect(clean.train.x).not.toEqual(noisy.train.x);
  });
});

describe('batch sampler', () => {
  it('visits every example once per epoch and resumes exactly from its cursor', () => {
    const s = new BatchSampler(10, 5);
    const epoch = [...s.next(4), ...s.next(4), ...s.next(2)];
    expect([...epoch].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const cursor = s.state;
    const resumed = new BatchSampler(10, 5, cursor);
    expect(resumed.next(7)).toEqual(s.next(7));
  });
});
