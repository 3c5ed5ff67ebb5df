import { CHAR_ALPHABET, SENTENCES } from '../../data/chars';
import type { CharDomain } from '../../data/schema';
import { createRng, type Rng } from '../../rng';
import { balancedWord, bracketExample } from './brackets';

/**
 * The probes' examples on the generated character corpus: windows of the model's context length
 * L, each with a label and the positions its features are mean-pooled over. TF.js-free.
 */

export interface ProbeExamples {
  /** `[count, L]` character ids, row-major. */
  readonly ids: Int32Array;
  /** `[count, L]` pooling weights: 1 where the window's feature is averaged. */
  readonly pool: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

export interface ProbeSpec {
  readonly name: string;
  readonly classes: readonly string[];
  readonly train: ProbeExamples;
  readonly test: ProbeExamples;
}

/** Examples per split of each probe. */
export const PROBE_EXAMPLES = 512;

const encode = (s: string): number[] => Array.from(s, (c) => CHAR_ALPHABET.indexOf(c));

function pack(rows: { ids: number[]; pool: number[]; label: number }[], L: number): ProbeExamples {
  const ids = new Int32Array(rows.length * L);
  const pool = new Float32Array(rows.length * L);
  rows.forEach((r, i) => {
    ids.set(r.ids.slice(0, L), i * L);
    pool.set(r.pool.slice(0, L), i * L);
  });
  return { ids, pool, labels: Int32Array.from(rows, (r) => r.label), count: rows.length };
}

/** A window of L characters from sentences of one domain, starting at a random offset. */
function domainWindow(rng: Rng, domain: CharDomain, L: number): number[] {
  let text = '';
  const offset = rng.int(L);
  while (text.length < L + offset) text += SENTENCES[domain](rng);
  return encode(text.slice(offset, offset + L));
}

/** Which domain a window of one domain's sentences came from (classes: the corpus's domains). */
export function domainProbe(domains: readonly CharDomain[], L: number, seed: number): ProbeSpec {
  const split = (rng: Rng) =>
    pack(
      Array.from({ length: PROBE_EXAMPLES }, (_, i) => {
        const label = i % domains.length;
        return { ids: domainWindow(rng, domains[label], L), pool: new Array(L).fill(1), label };
      }),
      L,
    );
  return {
    name: 'domain',
    classes: domains,
    train: split(createRng(seed ^ 0xd0a1)),
    test: split(createRng(seed ^ 0xd0a2)),
  };
}

/**
 * Whether a bracket string (2 to 6 pairs, shorter where L is small) is balanced: the string,
 * a newline and balanced bracket lines filling the window; features pooled over the string.
 */
export function bracketProbe(L: number, seed: number): ProbeSpec {
  const maxPairs = Math.min(6, Math.floor((L - 1) / 2));
  if (maxPairs < 2)
    throw new Error(`a context of ${L} characters is too short for the bracket probe`);
  const split = (rng: Rng) =>
    pack(
      Array.from({ length: PROBE_EXAMPLES }, () => {
        const ex = bracketExample(rng, 2 + rng.int(maxPairs - 1));
        let text = `${ex.text}\n`;
        while (text.length < L) text += `${balancedWord(rng, 1 + rng.int(3))}\n`;
        const pool = Array.from({ length: L }, (_, t) => (t < ex.text.length ? 1 : 0));
        return { ids: encode(text), pool, label: ex.label };
      }),
      L,
    );
  return {
    name: 'brackets',
    classes: ['unbalanced', 'balanced'],
    train: split(createRng(seed ^ 0xb4a1)),
    test: split(createRng(seed ^ 0xb4a2)),
  };
}

/** The probes a corpus supports: domain (two or more domains), brackets (the brackets domain). */
export function probesFor(domains: readonly CharDomain[], L: number, seed: number): ProbeSpec[] {
  const out: ProbeSpec[] = [];
  if (domains.length >= 2) out.push(domainProbe(domains, L, seed));
  if (domains.includes('brackets') && L >= 5) out.push(bracketProbe(L, seed));
  return out;
}
