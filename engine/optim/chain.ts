import type { NamedTensors, StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/** Applies transformations in order; the state is the array of their states. */
export function chain(
  ...transforms: readonly GradientTransformation[]
): GradientTransformation<readonly StateTree[]> {
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(updates, state, params, lr) {
      let u: NamedTensors = updates;
      const next: StateTree[] = [];
      transforms.forEach((t, i) => {
        const [out, s] = t.update(u, state[i], params, lr);
        u = out;
        next.push(s);
      });
      return [u, next] as const;
    },
    trustRatios: (state) =>
      Object.assign(
        {},
        ...transforms.map((t, i) => t.trustRatios?.(state[i]) ?? {}),
      ) as NamedTensors,
  };
}
