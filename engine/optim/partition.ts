import type { Tensor } from '@tensorflow/tfjs-core';
import type { NamedTensors, StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/** State of `partition`: one inner state per label, each over the parameters with that label. */
export type PartitionState = { readonly [label: string]: StateTree };

/**
 * Routes each parameter to the transformation of its label, `labelFn(name, param)`.
 * Every label must name a transformation; a label with no parameters gets an empty record.
 */
export function partition<L extends string>(
  labelFn: (name: string, param: Tensor) => L,
  transforms: { readonly [K in L]: GradientTransformation },
): GradientTransformation<PartitionState> {
  const labels = Object.keys(transforms) as L[];
  const split = (x: NamedTensors, params: NamedTensors): Record<string, Record<string, Tensor>> => {
    const groups: Record<string, Record<string, Tensor>> = Object.fromEntries(
      labels.map((l) => [l, {}]),
    );
    for (const name of Object.keys(x)) {
      const label = labelFn(name, params[name]);
      if (!(label in transforms))
        throw new Error(`partition: no transformation for label '${label}' (${name})`);
      groups[label][name] = x[name];
    }
    return groups;
  };
  return {
    init(params) {
      const groups = split(params, params);
      return Object.fromEntries(labels.map((l) => [l, transforms[l].init(groups[l])]));
    },
    update(updates, state, params, lr) {
      const groups = split(updates, params);
      const pgroups = split(params, params);
      const out: Record<string, Tensor> = {};
      const next: Record<string, StateTree> = {};
      for (const l of labels) {
        const [u, s] = transforms[l].update(groups[l], state[l], pgroups[l], lr);
        Object.assign(out, u);
        next[l] = s;
      }
      return [out, next] as const;
    },
    trustRatios: (state) =>
      Object.assign(
        {},
        ...labels.map((l) => transforms[l].trustRatios?.(state[l]) ?? {}),
      ) as NamedTensors,
  };
}
