import * as tf from '@tensorflow/tfjs-core';
import { treeTensors, type NamedTensors, type StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/**
 * The one name the inner transformation of `flattened` sees: its state holds one flat tensor per
 * moment under this key, where an unfused optimizer holds one tensor per parameter.
 */
export const FLAT = '__flat__';

/** A transformation whose state is flat; `adoptState` converts an unfused (per-parameter) state. */
export interface FlattenedTransformation extends GradientTransformation {
  /**
   * The flat form of a state of the same inner transformation: records holding one tensor per
   * parameter become `{ [FLAT]: concat }` in the order of `params`; a flat state is returned as
   * is. Takes ownership of `state`: tensors it replaces are disposed.
   */
  adoptState(state: StateTree, params: NamedTensors): StateTree;
}

export function isFlattened(t: GradientTransformation): t is FlattenedTransformation {
  return typeof (t as Partial<FlattenedTransformation>).adoptState === 'function';
}

function flatConcat(tensors: NamedTensors, names: readonly string[]): tf.Tensor1D {
  const parts = names.map((n) => (tensors[n].rank === 1 ? tensors[n] : tf.reshape(tensors[n], [-1])));
  // A lone rank-1 tensor is returned as a fresh reference, so the caller may dispose it either way.
  return (parts.length === 1 ? (parts[0] === tensors[names[0]] ? tf.clone(parts[0]) : parts[0]) : tf.concat(parts)) as tf.Tensor1D;
}

/** The inverse of `flatConcat`: `flat` cut into tensors shaped like `like`, by name. */
function splitFlat(flat: tf.Tensor, like: NamedTensors, names: readonly string[]): Record<string, tf.Tensor> {
  const parts = names.length === 1 ? [flat] : tf.split(flat, names.map((n) => like[n].size));
  const out: Record<string, tf.Tensor> = {};
  names.forEach((n, i) => (out[n] = like[n].rank === 1 ? parts[i] : tf.reshape(parts[i], like[n].shape)));
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
  return {
    init(params) {
      const names = Object.keys(params);
      const flat = tf.tidy(() => flatConcat(params, names));
      const state = inner.init({ [FLAT]: flat });
      if (!treeTensors(state).includes(flat)) flat.dispose();
      return state;
    },
    update(grads, state, params) {
      const names = Object.keys(grads);
      const flatGrads = flatConcat(grads, names);
      const [flatUpdates, next] = inner.update({ [FLAT]: flatGrads }, state, lazyFlatParams(params, names));
      return [splitFlat(flatUpdates[FLAT], grads, names), next] as const;
    },
    adoptState: (state, params) => flattenState(state, params),
  };
}

/** Whether `x` is a record with exactly one tensor of each parameter's size under its name. */
function isPerParameter(x: StateTree, params: NamedTensors, names: readonly string[]): x is Readonly<Record<string, tf.Tensor>> {
  if (typeof x === 'number' || x instanceof tf.Tensor || Array.isArray(x)) return false;
  const rec = x as { readonly [key: string]: StateTree };
  const keys = Object.keys(rec);
  if (keys.length !== names.length || names.length === 0) return false;
  return names.every((n) => {
    const v = rec[n];
    return v instanceof tf.Tensor && v.size === params[n].size;
  });
}

/**
 * Converts every per-parameter record of a state tree (moments saved by an unfused optimizer) to
 * `{ [FLAT]: concat }`, concatenating in the order of `params`; disposes the tensors it replaces.
 */
export function flattenState(state: StateTree, params: NamedTensors): StateTree {
  const names = Object.keys(params);
  const walk = (s: StateTree): StateTree => {
    if (typeof s === 'number' || s instanceof tf.Tensor) return s;
    if (Array.isArray(s)) return (s as readonly StateTree[]).map(walk);
    if (isPerParameter(s, params, names)) {
      const flat = tf.tidy(() => flatConcat(s, names));
      for (const n of names) s[n].dispose();
      return { [FLAT]: flat };
    }
    const rec = s as { readonly [key: string]: StateTree };
    return Object.fromEntries(Object.keys(rec).map((k) => [k, walk(rec[k])]));
  };
  return walk(state);
}

/**
 * The per-parameter form of a flat state (the inverse of `flattenState`), for readers that want
 * each parameter's moments; new tensors, the caller owns them, `state` is left as it is.
 */
export function unflattenState(state: StateTree, params: NamedTensors): StateTree {
  const names = Object.keys(params);
  const walk = (s: StateTree): StateTree => {
    if (typeof s === 'number' || s instanceof tf.Tensor) return s;
    if (Array.isArray(s)) return (s as readonly StateTree[]).map(walk);
    const rec = s as { readonly [key: string]: StateTree };
    const keys = Object.keys(rec);
    const flat = rec[FLAT];
    if (keys.length === 1 && flat instanceof tf.Tensor) {
      // A lone rank-1 parameter's part is `flat` itself: clone it, the caller owns what it gets.
      return tf.tidy(() => Object.fromEntries(Object.entries(splitFlat(flat, params, names)).map(([n, t]) => [n, t === flat ? tf.clone(t) : t])));
    }
    return Object.fromEntries(keys.map((k) => [k, walk(rec[k])]));
  };
  return walk(state);
}
