import { describe, expect, it } from 'vitest';
import { loadNodeAsset } from './node-assets';
import { MNIST_ASSET, parseMnist } from './mnist';

describe('MNIST-10k binary', async () => {
  const buffer = await loadNodeAsset(MNIST_ASSET);
  it('parses into 8,000 train and 2,000 test 28×28 digits with every class present', () => {
    const parsed = parseMnist(buffer);
    if (!parsed.ok) throw new Error(parsed.message);
    const { side, train, test } = parsed.value;
    expect([side, train.count, test.count]).toEqual([28, 8000, 2000]);
    expect(train.pixels.length).toBe(8000 * 784);
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...train.pixels.subarray(0, 784))).toBeGreaterThan(200);
  });
  it.each([
    ['a short buffer', () => new ArrayBuffer(8), /too short/],
    [
      'a wrong magic',
      () => {
        const b = buffer.slice(0);
        new Uint8Array(b)[0] = 0;
        return b;
      },
      /magic/,
    ],
    [
      'a wrong version',
      () => {
        const b = buffer.slice(0);
        new DataView(b).setUint16(4, 9, true);
        return b;
      },
      /version 9/,
    ],
    ['a truncated body', () => buffer.slice(0, buffer.byteLength - 1), /needs/],
    [
      'a bad label',
      () => {
        const b = buffer.slice(0);
        new Uint8Array(b)[b.byteLength - 1] = 12;
        return b;
      },
      /not a digit/,
    ],
  ])('rejects %s with a clear message', (_, make, message) => {
    const parsed = parseMnist(make());
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});
