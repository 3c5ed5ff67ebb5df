import { describe, expect, it } from 'vitest';
import { CHAR_ALPHABET, makeCharCorpus } from './chars';
import { makeModular } from './modular';
import { DATA_DEFAULTS } from './schema';

describe('character corpora', () => {
  const config = { ...DATA_DEFAULTS.chars, corpusChars: 3000 };
  it('are deterministic per seed and differ across seeds', () => {
    const a = makeCharCorpus(config, 1);
    expect(a.train.ids).toEqual(makeCharCorpus(config, 1).train.ids);
    expect(a.train.ids).not.toEqual(makeCharCorpus(config, 2).train.ids);
    expect(a.test.ids).not.toEqual(a.train.ids.subarray(0, a.test.ids.length));
  });
  it('write well-formed sentences of each domain, tagged with their domain', () => {
    const c = makeCharCorpus(config, 3);
    const text = Array.from(c.train.ids, (i) => CHAR_ALPHABET[i]).join('');
    const lines = text.split('\n').slice(0, -1);
    expect(c.train.ids.every((i) => i >= 0)).toBe(true);
    let start = 0;
    for (const line of lines) {
      const domain = c.domains[c.train.domain[start]];
      if (domain === 'arithmetic') {
        const m = /^(\d+)([+-])(\d+)=(-?\d+)$/.exec(line);
        expect(m).not.toBeNull();
        if (m)
          expect(Number(m[4])).toBe(
            m[2] === '+' ? Number(m[1]) + Number(m[3]) : Number(m[1]) - Number(m[3]),
          );
      } else if (domain === 'brackets') {
        let s = line;
        while (/\(\)|\[\]|\{\}/.test(s)) s = s.replace(/\(\)|\[\]|\{\}/g, '');
        expect(s).toBe('');
      } else {
        expect(line).toMatch(/^[a-z ]+\.$/);
      }
      start += line.length + 1;
    }
    expect(new Set(c.train.domain).size).toBe(3);
  });
});

describe('modular arithmetic', () => {
  it('splits all p² pairs by the train fraction, deterministically, with the right sums', () => {
    const d = makeModular({ kind: 'modular', p: 7, trainFraction: 0.3 }, 5);
    expect(d.train.count + d.test.count).toBe(49);
    expect(d.train.count).toBe(15);
    expect(d.vocab).toBe(9);
    expect(makeModular({ kind: 'modular', p: 7, trainFraction: 0.3 }, 5).train.inputs).toEqual(
      d.train.inputs,
    );
    const seen = new Set<number>();
    for (const s of [d.train, d.test]) {
      for (let i = 0; i < s.count; i++) {
        const [a, plus, b, eq] = s.inputs.subarray(4 * i, 4 * i + 4);
        expect([plus, eq]).toEqual([7, 8]);
        expect(s.targets[i]).toBe((a + b) % 7);
        seen.add(a * 7 + b);
      }
    }
    expect(seen.size).toBe(49);
  });
});
