import * as tf from '@tensorflow/tfjs-core';
import { treeTensors, type NamedTensors, type StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/**
 * The one name the inner transformation of `flattened` sees: its state holds one flat tensor per
 * moment under this key, where an unfused optimizer holds one tensor per parameter.
 */
export const FLAT = '__flat__';

/** A transformation whose state is flat, with converters from and to the per-parameter layout. */
export interface FlattenedTransformation extends GradientTransformation {
  /** Says that the state holds one flat tensor per moment (see `flattened`). */
  readonly layout: 'flat';
  /**
   * The flat form of a state of the same inner transformation, saved flat or per parameter (one
   * tensor per parameter, as an unfused optimizer keeps it, e.g. a run saved before fusing): the
   * moments are where the inner transformation's own flat state has them, concatenated in the
   * order of `params`. Takes ownership of `state`: tensors it replaces are disposed.
   */
  adoptState(state: StateTree, params: NamedTensors): StateTree;
  /** The per-parameter form of a flat state; the caller owns the moment tensors it makes. */
  perParameter(state: StateTree, params: NamedTensors): StateTree;
}

export function isFlattened(t: GradientTransformation): t is FlattenedTransformation {
  return (t as Partial<FlattenedTransformation>).layout === 'flat';
}

/** Where the moments are in the inner state: `moment` marks a `{ [FLAT]: tensor }` record. */
type Layout = 'moment' | 'leaf' | readonly Layout[] | { readonly [key: string]: Layout };

function layoutOf(state: StateTree): Layout {
  if (typeof state === 'number' || state instanceof tf.Tensor) return 'leaf';
  if (Array.isArray(state)) return (state as readonly StateTree[]).map(layoutOf);
  const rec = state as { readonly [key: string]: StateTree };
  const keys = Object.keys(rec);
  if (keys.length === 1 && keys[0] === FLAT && rec[FLAT] instanceof tf.Tensor) return 'moment';
  return Object.fromEntries(keys.map((k) => [k, layoutOf(rec[k])]));
}

/** `state` with `moment` applied to each record the layout marks; the rest is kept as it is. */
function mapMoments(
  state: StateTree,
  layout: Layout,
  moment: (rec: Readonly<Record<string, StateTree>>) => StateTree,
): StateTree {
  if (typeof state === 'number' || state instanceof tf.Tensor || layout === 'leaf') return state;
  const rec = state as { readonly [key: string]: StateTree };
  if (layout === 'moment') return moment(rec);
  if (Array.isArray(state)) {
    const items = layout as readonly Layout[];
    return (state as readonly StateTree[]).map((s, i) => mapMoments(s, items[i] ?? 'leaf', moment));
  }
  const keyed = layout as { readonly [key: string]: Layout };
  return Object.fromEntries(
    Object.keys(rec).map((k) => [k, mapMoments(rec[k], keyed[k] ?? 'leaf', moment)]),
  );
}

function flatConcat(tensors: NamedTensors, names: readonly string[]): tf.Tensor1D {
  const parts = names.map((n) =>
    tensors[n].rank === 1 ? tensors[n] : tf.reshape(tensors[n], [-1]),
  );
  // A lone rank-1 tensor is returned as a fresh reference, so the caller may dispose it either way.
  return (
    parts.length === 1
      ? parts[0] === tensors[names[0]]
        ? tf.clone(parts[0])
        : parts[0]
      : tf.concat(parts)
  ) as tf.Tensor1D;
}

/** The inverse of `flatConcat`: `flat` cut into tensors shaped like `like`, by name. */
function splitFlat(
  flat: tf.Tensor,
  like: NamedTensors,
  names: readonly string[],
): Record<string, tf.Tensor> {
  const parts =
    names.length === 1
      ? [flat]
      : tf.split(
          flat,
          names.map((n) => like[n].size),
        );
  const out: Record<string, tf.Tensor> = {};
  names.forEach(
    (n, i) => (out[n] = like[n].rank === 1 ? parts[i] : tf.reshape(parts[i], like[n].shape)),
  );
  return out;
}

/** `{ [FLAT]: params… }` with the concatenation built only if the inner transformation reads it. */
function lazyFlatParams(params: NamedTensors, names: readonly string[]): NamedTensors {
  let flat: tf.Tensor | null = null;
  const out: Record<string, tf.Tensor> = {};
  Object.defineProperty(out, FLAT, {
    enumerable: true,
    get: () => (flat ??= flatConcat(params, names)),
  });
  return out;
}

/**
 * Runs an elementwise transformation once on all parameters: the gradients are concatenated into
 * one vector, `inner` updates it with its state held as one flat tensor per moment, and the
 * result is split back into per-parameter updates. The same numbers as `inner` applied per
 * parameter, for any `inner` that treats every element alike (no masks, partitions or
 * per-tensor norms), in a few kernels instead of a few per parameter.
 */
export function flattened(inner: GradientTransformation): FlattenedTransformation {
  let layout: Layout | null = null;
  /** The layout of the inner state, from its own init on a one-element vector. */
  const innerLayout = (): Layout => {
    if (layout) return layout;
    const probe = tf.zeros([1]);
    const state = inner.init({ [FLAT]: probe });
    layout = layoutOf(state);
    for (const t of new Set([probe, ...treeTensors(state)])) t.dispose();
    return layout;
  };
  return {
    layout: 'flat',
    init(params) {
      const names = Object.keys(params);
      const flat = tf.tidy(() => flatConcat(params, names));
      const state = inner.init({ [FLAT]: flat });
      if (!treeTensors(state).includes(flat)) flat.dispose();
      layout ??= layoutOf(state);
      return state;
    },
    update(grads, state, params, lr) {
      const names = Object.keys(grads);
      const flatGrads = flatConcat(grads, names);
      const [flatUpdates, next] = inner.update(
        { [FLAT]: flatGrads },
        state,
        lazyFlatParams(params, names),
        lr,
      );
      return [splitFlat(flatUpdates[FLAT], grads, names), next] as const;
    },
    adoptState(state, params) {
      const names = Object.keys(params);
      return mapMoments(state, innerLayout(), (rec) => {
        const keys = Object.keys(rec);
        if (keys.length === 1 && keys[0] === FLAT) return rec;
        const fits =
          keys.length === names.length &&
          names.every(
            (n) => rec[n] instanceof tf.Tensor && (rec[n] as tf.Tensor).size === params[n].size,
          );
        if (!fits)
          throw new Error(
            `optimizer state does not match the parameters: moment for ${keys.join(', ')}, parameters ${names.join(', ')}`,
          );
        const perParam = rec as Readonly<Record<string, tf.Tensor>>;
        const flat = tf.tidy(() => flatConcat(perParam, names));
        for (const n of names) perParam[n].dispose();
        return { [FLAT]: flat };
      });
    },
    perParameter(state, params) {
      const names = Object.keys(params);
      return mapMoments(state, innerLayout(), (rec) => {
        const flat = rec[FLAT] as tf.Tensor;
        // A lone rank-1 parameter's part is `flat` itself: clone it, the caller owns what it gets.
        return tf.tidy(() =>
          Object.fromEntries(
            Object.entries(splitFlat(flat, params, names)).map(([n, t]) => [
              n,
              t === flat ? tf.clone(t) : t,
            ]),
          ),
        );
      });
    },
  };
}
