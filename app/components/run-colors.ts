import type { OtherTabRun } from '../state/other-tabs.svelte';
import { RUN_COLORS } from '../state/runs.svelte';

/**
 * Colours for runs on screen that never collide. Each run keeps the colour it was given (stored
 * with it, so the same after a reload) unless an earlier run, in a stable order (creation time,
 * then id), already shows it: then it takes a free palette colour picked from a hash of its id,
 * so the choice does not depend on where the run sits in the list. A seed group shares one.
 */
export const PALETTE = RUN_COLORS.map((c) => c.toLowerCase());

export interface Colored {
  readonly id: string;
  readonly color: string;
  readonly group?: string;
  readonly createdAt?: number;
  readonly hidden?: boolean;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Beyond the palette: a hue from the hash, dark enough to read on white. */
const extra = (h: number, k: number) => `hsl(${(h + k * 137) % 360} 70% 38%)`;

const stable = (a: Colored, b: Colored) =>
  Number(a.hidden ?? false) - Number(b.hidden ?? false) ||
  (a.createdAt ?? 0) - (b.createdAt ?? 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Shown runs first, so they get their own colours before hidden ones do. `guests` (runs another
 * tab trains) come after all of `runs`, so they never take a colour from this tab's runs.
 */
export function distinctColors(
  runs: readonly Colored[],
  guests: readonly Colored[] = [],
): Map<string, string> {
  const order = [...[...runs].sort(stable), ...[...guests].sort(stable)];
  const byKey = new Map<string, string>();
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const run of order) {
    const key = run.group ?? run.id;
    let color = byKey.get(key);
    if (!color) {
      const own = run.color.toLowerCase();
      if (!used.has(own)) color = own;
      else {
        const h = hash(key);
        color = PALETTE.map((_, k) => PALETTE[(h + k) % PALETTE.length]).find((c) => !used.has(c));
        for (let k = 0; !color; k++) if (!used.has(extra(h, k))) color = extra(h, k);
      }
      used.add(color);
      byKey.set(key, color);
    }
    out.set(run.id, color);
  }
  return out;
}

/** Colours of this tab's runs and of the runs another tab trains, drawn beside them. */
export function colorsWithOtherTabs(
  runs: readonly Colored[],
  others: readonly OtherTabRun[],
): Map<string, string> {
  return distinctColors(
    runs,
    others.map(({ run }) => ({
      id: run.id,
      color: run.color,
      createdAt: run.createdAt,
      hidden: run.hidden,
    })),
  );
}
