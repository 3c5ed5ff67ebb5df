import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../params';
import { disposeReplaced, treeTensors, type StateTree } from '../tree';
import { optimizerFromConfig } from './from-config';
import { OPTIMIZER_DEFAULTS, OPTIMIZERS } from './schema';
import { trustRatiosOf } from './scale-by-trust-ratio';

const ROLES: Record<string, Role> = {
  w1: 'kernel',
  b1: 'bias',
  n: 'norm',
  e: 'embedding',
  w2: 'kernel',
  h: 'head',
};
const SHAPES: Record<string, number[]> = {
  w1: [3, 4],
  b1: [4],
  n: [4],
  e: [5, 3],
  w2: [1, 1, 4, 4],
  h: [4, 2],
};

function model(): Record<string, tf.Variable> {
  let k = 0;
  return Object.fromEntries(
    Object.entries(SHAPES).map(([name, shape]) => [
      name,
      tf.variable(tf.randomNormal(shape, 0, 1, 'float32', ++k)),
    ]),
  );
}

/** The gradient of Σ sin(i)·w_i: fixed, nonzero, different per element. */
const gradsOf = (vars: Record<string, tf.Variable>) =>
  Object.fromEntries(
    Object.entries(vars).map(([n, v]) => [n, tf.reshape(tf.sin(tf.range(1, v.size + 1)), v.shape)]),
  );

describe.each(OPTIMIZERS)('%s state', (kind) => {
  it('update returns new state and leaves the old one intact', () => {
    const vars = model();
    const opt = optimizerFromConfig(OPTIMIZER_DEFAULTS[kind], ROLES);
    const s0 = opt.init(vars);
    const [, s1] = opt.update(gradsOf(vars), s0, vars);
    const [, s2] = opt.update(gradsOf(vars), s1, vars);
    const before = treeTensors(s1).map((t) => Array.from(t.dataSync()));
    const json = JSON.stringify(s1, (_k, v: unknown) => (v instanceof tf.Tensor ? v.id : v));
    opt.update(gradsOf(vars), s1, vars);
    expect(s2).not.toBe(s1);
    expect(JSON.stringify(s1, (_k, v: unknown) => (v instanceof tf.Tensor ? v.id : v))).toBe(json);
    expect(treeTensors(s1).map((t) => Array.from(t.dataSync()))).toEqual(before);
  });

  it('keeps tf.memory() flat over 20 updates applied as the run does', () => {
    const vars = model();
    const opt = optimizerFromConfig(OPTIMIZER_DEFAULTS[kind], ROLES);
    let state: StateTree = opt.init(vars);
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const old = state;
      tf.tidy(() => {
        const [updates, next] = opt.update(gradsOf(vars), state, vars);
        for (const n of Object.keys(vars)) vars[n].assign(tf.add(vars[n], updates[n]));
        for (const t of treeTensors(next)) tf.keep(t);
        state = next;
      });
      disposeReplaced(old, state);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    for (const v of Object.values(vars))
      expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    if (kind === 'lamb' || kind === 'lars')
      expect(Object.keys(trustRatiosOf(opt, state)).sort()).toEqual(['e', 'h', 'w1', 'w2']);
    for (const t of treeTensors(state)) t.dispose();
    for (const v of Object.values(vars)) v.dispose();
  });
});
