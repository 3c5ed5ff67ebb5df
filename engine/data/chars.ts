import type { CharDomain, CharsConfig } from './schema';
import { createRng, type Rng } from '../rng';

/** Every character any domain writes; the vocabulary is fixed, so prompts and ids are stable. */
export const CHAR_ALPHABET = '\n .+-=()[]{}0123456789abcdefghijklmnopqrstuvwxyz';

/** A tokenized corpus: one id per character, and the domain (index into `domains`) it came from. */
export interface CharStream {
  readonly ids: Int32Array;
  readonly domain: Uint8Array;
}

export interface CharCorpus {
  readonly vocab: readonly string[];
  readonly domains: readonly CharDomain[];
  readonly train: CharStream;
  readonly test: CharStream;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

const NOUNS = ['cat', 'dog', 'bird', 'fox', 'tree', 'ball', 'house', 'river', 'child', 'robot'];
const ADJECTIVES = ['small', 'red', 'quick', 'lazy', 'old', 'green', 'happy', 'tall'];
const VERBS = ['sees', 'likes', 'chases', 'finds', 'helps', 'draws', 'hears'];
const PAIRS = ['()', '[]', '{}'];

function nounPhrase(rng: Rng): string {
  const det = pick(rng, ['the', 'a', 'one', 'every']);
  return rng.next() < 0.5
    ? `${det} ${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`
    : `${det} ${pick(rng, NOUNS)}`;
}

/** A balanced bracket word of `pairs` pairs (a random Dyck word over three bracket kinds). */
function dyck(rng: Rng, pairs: number): string {
  if (pairs === 0) return '';
  const inner = rng.int(pairs);
  const [open, close] = pick(rng, PAIRS);
  return open + dyck(rng, inner) + close + dyck(rng, pairs - 1 - inner);
}

/** One line of a domain, ending in a newline. */
export const SENTENCES: Readonly<Record<CharDomain, (rng: Rng) => string>> = {
  arithmetic: (rng) => {
    const a = rng.int(100);
    const b = rng.int(100);
    return rng.next() < 0.5 ? `${a}+${b}=${a + b}\n` : `${a}-${b}=${a - b}\n`;
  },
  brackets: (rng) => `${dyck(rng, 1 + rng.int(6))}\n`,
  grammar: (rng) => `${nounPhrase(rng)} ${pick(rng, VERBS)} ${nounPhrase(rng)}.\n`,
};

function stream(rng: Rng, domains: readonly CharDomain[], chars: number, run = 1): CharStream {
  const ids = new Int32Array(chars);
  const domain = new Uint8Array(chars);
  let n = 0;
  while (n < chars) {
    const d = rng.int(domains.length);
    // One sentence (run 1), or sentences of domain d until `run` characters are written.
    for (const start = n; n < chars && n - start < run;) {
      for (const ch of SENTENCES[domains[d]](rng)) {
        if (n >= chars) break;
        ids[n] = CHAR_ALPHABET.indexOf(ch);
        domain[n++] = d;
      }
    }
  }
  return { ids, domain };
}

/**
 * Seeded character corpora: sentences drawn uniformly from the chosen domains, concatenated.
 * Train and test come from separate streams of the same seed (test is a tenth of the size, at
 * least a few windows long). Deterministic per (config, seed).
 */
export function makeCharCorpus(config: CharsConfig, seed: number): CharCorpus {
  const testChars = Math.max(Math.floor(config.corpusChars / 10), 4 * (config.sequenceLength + 1));
  return {
    vocab: Array.from(CHAR_ALPHABET),
    domains: config.domains,
    train: stream(createRng(seed ^ 0xc4a125), config.domains, config.corpusChars, config.domainRun),
    test: stream(createRng(seed ^ 0x7e57c4), config.domains, testChars, config.domainRun),
  };
}
