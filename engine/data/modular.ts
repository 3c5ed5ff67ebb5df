import type { ModularConfig } from './schema';
import { createRng, permutation } from '../rng';

/** Examples `a + b =` → c = (a + b) mod p, as token ids: numbers 0..p−1, then `+` = p, `=` = p+1. */
export interface ModularSplit {
  /** `[count, 4]` row-major: a, +, b, =. */
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly count: number;
}

export interface ModularData {
  readonly p: number;
  /** Vocabulary size p + 2. */
  readonly vocab: number;
  readonly train: ModularSplit;
  readonly test: ModularSplit;
}

/** The sequence length the model reads. */
export const MODULAR_LENGTH = 4;

function split(pairs: Int32Array, p: number): ModularSplit {
  const count = pairs.length;
  const inputs = new Int32Array(count * MODULAR_LENGTH);
  const targets = new Int32Array(count);
  pairs.forEach((k, i) => {
    const a = Math.floor(k / p);
    const b = k % p;
    inputs.set([a, p, b, p + 1], i * MODULAR_LENGTH);
    targets[i] = (a + b) % p;
  });
  return { inputs, targets, count };
}

/**
 * All p² pairs (a, b), shuffled by the seed and split by `trainFraction` (at least one pair on
 * each side): the grokking setting of Power et al. (2022).
 */
export function makeModular(config: ModularConfig, seed: number): ModularData {
  const { p } = config;
  const order = permutation(createRng(seed ^ 0x30d), p * p);
  const nTrain = Math.max(1, Math.min(p * p - 1, Math.round(p * p * config.trainFraction)));
  return {
    p,
    vocab: p + 2,
    train: split(order.subarray(0, nTrain), p),
    test: split(order.subarray(nTrain), p),
  };
}
