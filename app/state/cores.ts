// How much of the machine the runs take: the one home of the rules that count cores.

/**
 * How many runs train at once: one worker each, one core fewer than the machine has so the page
 * keeps one to draw on, but at least 2 (so two runs can be compared) and at most 8; the rest wait
 * in a queue.
 */
export function concurrencyLimit(): number {
  return Math.max(2, Math.min(8, cores() - 1));
}

/**
 * How many runs compute at the same moment (workers/compute-slot.ts): one core fewer than the
 * machine has, at least 1. The page's drawing and the browser's compositing need a core; where
 * more runs train than that (2 runs on 2 cores, or runs in two tabs) they take turns chunk by
 * chunk. Measured on 2 cores: two runs that both compute starve the page's frames.
 */
export function computeSlots(): number {
  return Math.max(1, cores() - 1);
}

function cores(): number {
  return typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
}
