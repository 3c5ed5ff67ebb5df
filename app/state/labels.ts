import type { RunConfig } from '../../engine/tf-free';
import { forEachLeaf } from '../config-leaves';
import { formatParts, type Leaf } from './label-format';

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

/**
 * A label per config made of what differs from the others: `adam lr 0.03` vs `lamb lr 0.01`.
 * Paths that no run differs on are left out; a config equal to all others is labelled `same config`.
 */
export function diffLabels(configs: readonly RunConfig[]): string[] {
  const all = configs.map(leaves);
  const paths = new Set(all.flatMap((m) => [...m.keys()]));
  const differing = [...paths].filter((p) => new Set(all.map((m) => m.get(p))).size > 1);
  return all.map((m) => {
    const label = formatParts(
      differing.filter((p) => m.has(p)),
      m,
    );
    return label || 'same config';
  });
}
