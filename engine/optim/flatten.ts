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

/**
 * Parameters at least this large go through the inner transformation on their own: their own
 * kernels cost little beside their size, while concatenating and splitting them would copy them
 * twice (on WASM, splitting the MNIST MLP's 270k-element vector took 5 ms a step, 10% of it; on
 * WebGL each reshape of a 2-D weight repacks its texture).
 */
export const APART_SIZE = 4096;

/** Which parameters are concatenated into the flat vector and which are kept apart, in key order. */
interface Groups {
  readonly flat: readonly string[];
  readonly apart: readonly string[];
}

function groupsOf(params: NamedTensors, apartSize: number): Groups {
  const names = Object.keys(params);
  return {
    flat: names.filter((n) => params[n].size < apartSize),
    apart: names.filter((n) => params[n].size >= apartSize),
  };
}

/** The record the inner transformation sees: the small tensors as one vector, the large ones as they are. */
function grouped(tensors: NamedTensors, groups: Groups): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  if (groups.flat.length > 0) out[FLAT] = flatConcat(tensors, groups.flat);
  for (const n of groups.apart) out[n] = tensors[n];
  return out;
}

/** The inverse of `grouped`, by name. */
function ungrouped(
  rec: Readonly<Record<string, tf.Tensor>>,
  like: NamedTensors,
  groups: Groups,
): Record<string, tf.Tensor> {
  const fromFlat = groups.flat.length > 0 ? splitFlat(rec[FLAT], like, groups.flat) : {};
  return Object.fromEntries(Object.keys(like).map((n) => [n, fromFlat[n] ?? rec[n]]));
}

/** `grouped(params)` with the concatenation built only if the inner transformation reads it. */
function lazyGroupedParams(params: NamedTensors, groups: Groups): NamedTensors {
  let flat: tf.Tensor | null = null;
  const out: Record<string, tf.Tensor> = {};
  if (groups.flat.length > 0)
    Object.defineProperty(out, FLAT, {
      enumerable: true,
      get: () => (flat ??= flatConcat(params, groups.flat)),
    });
  for (const n of groups.apart) out[n] = params[n];
  return out;
}

/**
 * A moment saved in any layout, as one tensor per parameter: per parameter (an unfused optimizer's,
 * e.g. a run saved before fusing), all flat (saved before large parameters were kept apart), or
 * grouped. Names the moment does not hold are read from its flat vector, in the order of `params`.
 * Returns null when it does not match the parameters.
 */
export function momentPerParameter(
  rec: Readonly<Record<string, StateTree>>,
  params: NamedTensors,
): Record<string, tf.Tensor> | null {
  const names = Object.keys(params);
  const keys = Object.keys(rec).filter((k) => k !== FLAT);
  const fits = (t: StateTree | undefined, size: number) =>
    t instanceof tf.Tensor && t.size === size;
  if (!keys.every((k) => k in params && fits(rec[k], params[k].size))) return null;
  const inFlat = names.filter((n) => !(n in rec));
  const flatSize = inFlat.reduce((sum, n) => sum + params[n].size, 0);
  if (inFlat.length === 0 ? FLAT in rec : !fits(rec[FLAT], flatSize)) return null;
  const out: Record<string, tf.Tensor> = {};
  const fromFlat = inFlat.length > 0 ? splitFlat(rec[FLAT] as tf.Tensor, params, inFlat) : {};
  for (const n of names) out[n] = n in fromFlat ? fromFlat[n] : (rec[n] as tf.Tensor);
  return out;
}

/**
 * Runs an elementwise transformation once on all small parameters: their gradients are
 * concatenated into one vector, `inner` updates it with its state held as one flat tensor per
 * moment, and the result is split back into per-parameter updates. Parameters of `apartSize`
 * elements or more pass through as they are, in the same call. The same numbers as `inner` applied
 * per parameter, for any `inner` that treats every element alike (no masks, partitions or
 * per-tensor norms), in a few kernels instead of a few per parameter.
 */
export function flattened(
  inner: GradientTransformation,
  apartSize = APART_SIZE,
): FlattenedTransformation {
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
      innerLayout();
      const groups = groupsOf(params, apartSize);
      const made = tf.tidy(() => grouped(params, groups));
      const state = inner.init(made);
      const held = new Set(treeTensors(state));
      if (made[FLAT] && !held.has(made[FLAT])) made[FLAT].dispose();
      return state;
    },
    update(grads, state, params, lr) {
      const groups = groupsOf(grads, apartSize);
      const [updates, next] = inner.update(
        grouped(grads, groups),
        state,
        lazyGroupedParams(params, groups),
        lr,
      );
      return [ungrouped(updates, grads, groups), next] as const;
    },
    adoptState(state, params) {
      const groups = groupsOf(params, apartSize);
      const wanted = [...(groups.flat.length > 0 ? [FLAT] : []), ...groups.apart];
      return mapMoments(state, innerLayout(), (rec) => {
        const keys = Object.keys(rec);
        const perParam = () => {
          const out = momentPerParameter(rec, params);
          if (out) return out;
          throw new Error(
            `optimizer state does not match the parameters: moment for ${keys.join(', ')}, parameters ${Object.keys(params).join(', ')}`,
          );
        };
        if (keys.length === wanted.length && wanted.every((k) => k in rec)) {
          tf.tidy(() => void perParam()); // checks the sizes, keeps nothing it made
          return rec;
        }
        const next = tf.tidy(() => grouped(perParam(), groups));
        const kept = new Set(Object.values(next));
        for (const t of Object.values(rec)) if (t instanceof tf.Tensor && !kept.has(t)) t.dispose();
        return next;
      });
    },
    perParameter(state, params) {
      return mapMoments(state, innerLayout(), (rec) => {
        const own = new Set(Object.values(rec));
        // The caller owns what it gets: a tensor that is also the state's own is cloned.
        return tf.tidy(() => {
          const perParam = momentPerParameter(rec, params);
          if (!perParam) throw new Error('optimizer state does not match the parameters');
          return Object.fromEntries(
            Object.entries(perParam).map(([n, t]) => [n, own.has(t) ? tf.clone(t) : t]),
          );
        });
      });
    },
  };
}
