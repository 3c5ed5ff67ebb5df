import { describe, expect, it } from 'vitest';
import { CHAR_ALPHABET } from '../../data/chars';
import { createRng } from '../../rng';
import { balancedWord, bracketExample, isBalanced } from './brackets';
import { trainProbe, type ProbeSet } from './probe';
import { bracketProbe, domainProbe } from './probe-data';

describe('bracket strings', () => {
  it('checks balance by kind and order', () => {
    for (const s of ['()', '([]{})', '{[()]}()', '']) expect(isBalanced(s)).toBe(true);
    for (const s of ['(]', '([)]', '((', ')(', '{[}]', '(a)']) expect(isBalanced(s)).toBe(false);
  });

  it('labels every generated string by its balance, about half balanced, lengths alike', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 600 }, () => bracketExample(rng, 2 + rng.int(5)));
    for (const x of xs) expect(x.label).toBe(isBalanced(x.text) ? 1 : 0);
    const share = xs.filter((x) => x.label === 1).length / xs.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    for (let p = 1; p < 7; p++) expect(balancedWord(rng, p)).toHaveLength(2 * p);
  });

  it('builds bracket windows of the context length, pooled over the string', () => {
    const spec = bracketProbe(16, 1);
    const { ids, pool, labels, count } = spec.test;
    expect(ids).toHaveLength(count * 16);
    for (let i = 0; i < count; i++) {
      const text = Array.from(ids.subarray(i * 16, i * 16 + 16), (k) => CHAR_ALPHABET[k]).join('');
      const n = pool.subarray(i * 16, i * 16 + 16).reduce((a, b) => a + b, 0);
      expect(labels[i]).toBe(isBalanced(text.slice(0, n)) ? 1 : 0);
      expect(text[n]).toBe('\n');
    }
  });

  it('builds domain windows from the chosen domains, classes balanced', () => {
    const spec = domainProbe(['arithmetic', 'grammar'], 16, 2);
    const text = (i: number) =>
      Array.from(spec.train.ids.subarray(i * 16, i * 16 + 16), (k) => CHAR_ALPHABET[k]).join('');
    expect(spec.train.labels.filter((l) => l === 0).length).toBe(spec.train.count / 2);
    for (let i = 0; i < 20; i++) {
      if (spec.train.labels[i] === 0) expect(text(i)).toMatch(/^[0-9+\-=\n]+$/);
      else expect(text(i)).toMatch(/^[a-z .\n]+$/);
    }
  });
});

describe('linear probe', () => {
  const toy = (seed: number, count: number): ProbeSet => {
    const rng = createRng(seed);
    const x = new Float32Array(count * 3);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      y[i] = i % 2;
      // Separable along a direction mixing two features, with a noise feature.
      const a = rng.normal();
      x.set([a, (y[i] ? 1 : -1) * (0.5 + rng.next()) - a, 10 * rng.normal()], i * 3);
    }
    return { x, y, count, dim: 3 };
  };

  it('learns a linearly separable toy and scores its held-out half', () => {
    const r = trainProbe(toy(1, 200), toy(2, 200), 2);
    expect(r.trainAccuracy).toBeGreaterThan(0.97);
    expect(r.testAccuracy).toBeGreaterThan(0.95);
    expect(r.testLoss).toBeLessThan(0.2);
  });

  it('stays at chance on shuffled labels', () => {
    const train = toy(1, 200);
    const test = toy(2, 200);
    const rng = createRng(9);
    const shuffled = { ...test, y: Int32Array.from(test.y, () => rng.int(2)) };
    const r = trainProbe(train, shuffled, 2);
    expect(r.testAccuracy).toBeLessThan(0.65);
    expect(r.testLoss).toBeGreaterThan(0.5);
  });
});
