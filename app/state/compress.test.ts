import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflate, fromBase64, fromBase64Url, inflate, toBase64, toBase64Url } from './compress';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + (i >> 3)) & 0xff);

describe('compress', () => {
  it('base64 and base64url agree with Node for every length mod 3, large inputs included', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 70_000]) {
      const b = bytes(n);
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect(toBase64Url(b)).toBe(Buffer.from(b).toString('base64url'));
      expect(fromBase64(toBase64(b))).toEqual(b);
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }
  });

  it('decoders return null for what is not base64', () => {
    expect(fromBase64('!!!')).toBeNull();
    expect(fromBase64(42)).toBeNull();
    expect(fromBase64Url('a+b/')).toBeNull();
    expect(fromBase64Url('A')).toBeNull();
  });

  it('deflate round-trips, and reads what zlib writes', () => {
    const text = new TextEncoder().encode('x,y,label\n'.repeat(500));
    const packed = deflate(text);
    expect(packed.length).toBeLessThan(text.length / 20);
    expect(inflate(packed, text.length)).toEqual(text);
    expect(inflate(deflateRawSync(text), text.length)).toEqual(text);
  });

  it('inflate refuses output over the limit, damaged and truncated streams', () => {
    const text = new TextEncoder().encode('a'.repeat(10_000));
    expect(inflate(deflate(text), 9_999)).toBeNull();
    expect(inflate(Uint8Array.from([0xff, 0xff, 0xff]), 100)).toBeNull();
    const packed = deflate(bytes(5000));
    expect(inflate(packed.subarray(0, packed.length - 10), 10_000)).toBeNull();
    // 50 MB of zeros in about 50 kB: stopped near the limit, not inflated whole.
    const bomb = deflateRawSync(Buffer.alloc(50_000_000));
    expect(inflate(bomb, 1_000_000)).toBeNull();
  });
});
