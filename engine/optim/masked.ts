import type { NamedTensors, StateTree } from '../tree';
import type { GradientTransformation, Mask } from './transform';

/** State of `masked`: the inner transformation's state, over the selected parameters only. */
export type MaskedState<S extends StateTree> = { readonly inner: S };

function pick(x: NamedTensors, names: readonly string[]): NamedTensors {
  return Object.fromEntries(names.map((n) => [n, x[n]]));
}

/**
 * Applies `t` only to the parameters where `mask(name, param)` is true; the updates of the
 * others pass through unchanged (the same tensors). The inner state covers the selected names.
 */
export function masked<S extends StateTree>(
  mask: Mask,
  t: GradientTransformation<S>,
): GradientTransformation<MaskedState<S>> {
  const selected = (params: NamedTensors) => Object.keys(params).filter((n) => mask(n, params[n]));
  return {
    init: (params) => ({ inner: t.init(pick(params, selected(params))) }),
    update(updates, state, params, lr) {
      const names = selected(params);
      const [inner, next] = t.update(pick(updates, names), state.inner, pick(params, names), lr);
      return [{ ...updates, ...inner }, { inner: next }] as const;
    },
    trustRatios: (state) => t.trustRatios?.(state.inner) ?? {},
  };
}
