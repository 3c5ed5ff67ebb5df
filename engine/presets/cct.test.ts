import { describe, expect, it } from 'vitest';
import { cctModel } from '../models/cct';
import { createRng } from '../rng';
import { cct } from './cct';

const image = { side: 28, channels: 1, classes: 10 };
const count = (label: string) => {
  const arm = cct.arms.find((a) => a.label === label);
  if (!arm || arm.config.model.kind !== 'cct') throw new Error(`no cct arm ${label}`);
  return Object.values(cctModel(arm.config.model, image).init(createRng(0))).reduce(
    (n, p) => n + p.values.length,
    0,
  );
};

describe('cct preset', () => {
  it('ViT-lite has about as many parameters as CCT (within 10%)', () => {
    const [c, v] = [count('CCT'), count('ViT-lite')];
    expect(Math.abs(v - c) / c).toBeLessThan(0.1);
  });
});
