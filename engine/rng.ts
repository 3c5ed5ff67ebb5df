/**
 * A small seeded pseudo-random generator (sfc32) whose whole state is four uint32 words,
 * so a run can snapshot and restore it exactly. All randomness in the engine comes from
 * an `Rng` passed in; nothing reads `Math.random`.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** The four state words, for snapshots. */
  state(): Uint32Array;
}

export function createRng(seedOrState: number | Uint32Array): Rng {
  const s = new Uint32Array(4);
  if (typeof seedOrState === 'number') {
    // splitmix32 spreads a small integer seed over the four words.
    let x = seedOrState >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    // Warm up so nearby seeds decorrelate.
    for (let i = 0; i < 12; i++) nextWord(s);
  } else {
    if (seedOrState.length !== 4) throw new Error('rng state must have 4 words');
    s.set(seedOrState);
  }
  const next = () => nextWord(s) / 4294967296;
  return {
    next,
    normal() {
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int(n) {
      return Math.floor(next() * n);
    },
    state: () => new Uint32Array(s),
  };
}

function nextWord(s: Uint32Array): number {
  const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
  s[3] = (s[3] + 1) >>> 0;
  s[0] = s[1] ^ (s[1] >>> 9);
  s[1] = (s[2] + (s[2] << 3)) >>> 0;
  s[2] = (s[2] << 21) | (s[2] >>> 11);
  s[2] = (s[2] + t) >>> 0;
  return t;
}

/** A deterministic permutation of 0..n-1 (Fisher-Yates). */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
