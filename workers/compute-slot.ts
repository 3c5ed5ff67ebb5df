/**
 * Compute slots: at most `slots` training runs of this origin compute at the same moment, however
 * many train (app/state/cores.ts says how many slots a machine has). Each training chunk holds one
 * slot, a Web Lock named `playground-compute-<i>`, so the runs of every tab share the slots, take
 * turns in the order they asked (locks are granted first come, first served), and a worker that
 * ends or crashes lets its slot go with it. Without the Locks API (or where it refuses, as on an
 * opaque origin), or with no slot count, the job just runs.
 */
export type SlotRunner = <T>(job: () => Promise<T>) => Promise<T>;

const PREFIX = 'playground-compute-';

export function computeSlots(slots: number | undefined, seed: string): SlotRunner {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks || !slots || !Number.isFinite(slots) || slots < 1) return (job) => job();
  const names = Array.from({ length: Math.floor(slots) }, (_, i) => `${PREFIX}${i}`);
  // Where all slots are taken, wait in one queue: a different one for different runs.
  const queue = names[hash(seed) % names.length];
  // A context without lock access (an opaque origin: a sandboxed embed) refuses every request:
  // from the first refusal on, jobs just run.
  let usable = true;
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (!usable) return job();
    let started = false;
    const run = () => ((started = true), job());
    try {
      for (const name of names) {
        const done = await locks.request(name, { ifAvailable: true }, async (lock) =>
          lock ? { value: await run() } : null,
        );
        if (done) return done.value;
      }
      return await locks.request(queue, run);
    } catch (err) {
      if (started) throw err;
      usable = false;
      return job();
    }
  };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}
