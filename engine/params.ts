import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from './tree';

/**
 * What a parameter is for. Roles drive masks: weight-decay and trust-ratio exclusion,
 * the Muon/AdamW split, which layers quantize.
 */
export type Role = 'kernel' | 'bias' | 'norm' | 'embedding' | 'head' | 'router';

/** Initial values of one parameter, as a layer's `init` returns them. */
export interface ParamInit {
  readonly role: Role;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type ParamInits = Readonly<Record<string, ParamInit>>;

/** A flat record of named variables, each with a role. */
export interface Params {
  readonly values: Readonly<Record<string, tf.Variable>>;
  readonly roles: Readonly<Record<string, Role>>;
  readonly names: readonly string[];
}

export function createParams(inits: ParamInits): Params {
  const names = Object.keys(inits);
  const values: Record<string, tf.Variable> = {};
  const roles: Record<string, Role> = {};
  for (const name of names) {
    const p = inits[name];
    const initial = tf.tensor(p.values, [...p.shape], 'float32');
    values[name] = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the values
    roles[name] = p.role;
  }
  return { values, roles, names };
}

export function countParams(params: Params): number {
  return params.names.reduce((n, name) => n + params.values[name].size, 0);
}

export function disposeParams(params: Params): void {
  for (const name of params.names) params.values[name].dispose();
}

/** Prefixes every name of a layer's params, so layers compose into one flat record. */
export function prefixed(prefix: string, inits: ParamInits): ParamInits {
  return Object.fromEntries(Object.entries(inits).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** Picks the params under `prefix/`, with the prefix removed, for a layer's `apply`. */
export function scope(all: NamedTensors, prefix: string): NamedTensors {
  const out: Record<string, tf.Tensor> = {};
  const head = `${prefix}/`;
  for (const name of Object.keys(all))
    if (name.startsWith(head)) out[name.slice(head.length)] = all[name];
  return out;
}
