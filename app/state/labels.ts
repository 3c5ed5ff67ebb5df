import type { RunConfig } from '../../engine/tf-free';
import { forEachLeaf } from '../config-leaves';

type Leaf = string | number | boolean;

/** Every leaf of a config as `path → value` (arrays joined), e.g. `optimizer.lr → 0.01`. */
export function leaves(config: RunConfig): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  forEachLeaf(config, (path, value) => {
    if (Array.isArray(value)) out.set(path, value.join('×'));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(path, value);
    }
  });
  return out;
}

/** Short names for the paths users see most; the rest keep their last segment. */
const SHORT: Readonly<Record<string, string>> = {
  'optimizer.kind': '',
  'data.kind': '',
  'model.kind': '',
  'model.hidden': 'hidden',
  batchSize: 'batch',
  'batchScaling.rule': 'LR scaling',
};

/** Long values (a pasted text or table) are cut, so a label stays one short line. */
const MAX_VALUE = 24;

function short(path: string, value: Leaf): string {
  const name = path in SHORT ? SHORT[path] : path.slice(path.lastIndexOf('.') + 1);
  const text = String(value).replace(/\s+/g, ' ');
  const shown = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  return name ? `${name} ${shown}` : shown;
}

/**
 * A label per config made of what differs from the others: `adam lr 0.03` vs `lamb lr 0.01`.
 * Paths that no run differs on are left out; a config equal to all others is labelled `same config`.
 */
export function diffLabels(configs: readonly RunConfig[]): string[] {
  const all = configs.map(leaves);
  const paths = new Set(all.flatMap((m) => [...m.keys()]));
  const differing = [...paths].filter((p) => new Set(all.map((m) => m.get(p))).size > 1);
  return all.map((m) => {
    const parts = differing.filter((p) => m.has(p)).map((p) => short(p, m.get(p) as Leaf));
    return parts.length > 0 ? parts.join(', ') : 'same config';
  });
}
