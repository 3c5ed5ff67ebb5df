import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sha256 (the fallback without crypto.subtle)', () => {
  it.each([
    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the empty message.
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('%j', (text, digest) => {
    expect(hex(sha256(utf8(text)))).toBe(digest);
  });

  it('agrees with crypto.subtle on every length around the block and padding edges, and on a large text', async () => {
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 1000, 65_537, 500_000];
    for (const n of lengths) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
      const expected = new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes));
      expect(hex(sha256(bytes))).toBe(hex(expected));
    }
  });
});
