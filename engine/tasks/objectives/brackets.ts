import type { Rng } from '../../rng';

/**
 * Bracket strings for the bracket-validity probe: balanced words over (), [] and {} and
 * unbalanced ones of the same length, each labelled by `isBalanced`. TF.js-free.
 */

const OPEN = '([{';
const CLOSE = ')]}';

/** Whether every bracket closes the latest unclosed one of its kind and none stays open. */
export function isBalanced(s: string): boolean {
  const stack: number[] = [];
  for (const c of s) {
    const o = OPEN.indexOf(c);
    if (o >= 0) {
      stack.push(o);
      continue;
    }
    const k = CLOSE.indexOf(c);
    if (k < 0 || stack.pop() !== k) return false;
  }
  return stack.length === 0;
}

/** A uniformly split random balanced word of `pairs` pairs. */
export function balancedWord(rng: Rng, pairs: number): string {
  if (pairs === 0) return '';
  const inner = rng.int(pairs);
  const k = rng.int(3);
  return OPEN[k] + balancedWord(rng, inner) + CLOSE[k] + balancedWord(rng, pairs - 1 - inner);
}

/**
 * One corruption of a balanced word, same length: a bracket changes kind (keeping its direction),
 * turns around (same kind), or two brackets swap places. May stay balanced; callers check.
 */
function corrupt(rng: Rng, w: string): string {
  const chars = Array.from(w);
  const i = rng.int(chars.length);
  const how = rng.int(3);
  const open = OPEN.includes(chars[i]);
  const k = (open ? OPEN : CLOSE).indexOf(chars[i]);
  if (how === 0) chars[i] = (open ? OPEN : CLOSE)[(k + 1 + rng.int(2)) % 3];
  else if (how === 1) chars[i] = (open ? CLOSE : OPEN)[k];
  else {
    const j = rng.int(chars.length);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export interface BracketExample {
  readonly text: string;
  /** 1: balanced; 0: not. */
  readonly label: 0 | 1;
}

/**
 * A bracket string of `pairs` pairs (2·pairs characters): balanced with probability 1/2,
 * otherwise a corrupted balanced word that `isBalanced` rejects. The label is `isBalanced`'s.
 */
export function bracketExample(rng: Rng, pairs: number): BracketExample {
  const w = balancedWord(rng, pairs);
  if (rng.next() < 0.5) return { text: w, label: 1 };
  for (;;) {
    const c = corrupt(rng, w);
    if (!isBalanced(c)) return { text: c, label: 0 };
  }
}
