import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeReplaced, treeTensors, type NamedTensors, type StateTree } from '../tree';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { FLAT, flattened, isFlattened, type FlattenedTransformation } from './flatten';
import { lion } from './lion';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import type { GradientTransformation } from './transform';

/** A warmup-then-decay schedule of the 1-based update, given to each update. */
const schedule = (step: number) => 0.05 * Math.min(1, step / 3) * 0.9 ** (step - 1);
/** The rate the optimizers are built with; every update here is given `schedule`'s instead. */
const lr = 1;

const OPTIMIZERS: readonly (readonly [string, () => GradientTransformation])[] = [
  ['sgd', () => sgd({ lr })],
  ['momentum', () => momentum({ lr, momentum: 0.9 })],
  ['nesterov', () => nesterov({ lr, momentum: 0.8 })],
  ['adam', () => adam({ lr, beta1: 0.8, beta2: 0.95 })],
  ['rmsprop', () => rmsprop({ lr, decay: 0.9, momentum: 0.5 })],
  ['adagrad', () => adagrad({ lr, initialAccumulator: 0.1 })],
  ['lion', () => lion({ lr, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 })],
];

const SHAPES: Readonly<Record<string, readonly number[]>> = {
  k: [3, 4],
  b: [4],
  s: [],
  c: [2, 2, 1, 3],
};

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomNamed(rand: () => number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    out[name] = tf.tensor(Array.from({ length: size }, rand), [...shape]);
  }
  return out;
}

/** One update as a run applies it: in a tidy, w ← w + u, new state kept, replaced state disposed; returns the update's values. */
function applyStep(
  t: GradientTransformation,
  params: NamedTensors,
  grads: NamedTensors,
  state: StateTree,
  step: number,
) {
  let values: Record<string, number[]> = {};
  const nextParams: Record<string, tf.Tensor> = {};
  let next: StateTree = state;
  tf.tidy(() => {
    const [u, s] = t.update(grads, state, params, schedule(step));
    for (const x of treeTensors(s)) tf.keep(x);
    for (const n of Object.keys(params)) nextParams[n] = tf.keep(tf.add(params[n], u[n]));
    values = Object.fromEntries(Object.keys(u).map((n) => [n, Array.from(u[n].dataSync())]));
    next = s;
  });
  disposeReplaced(state, next);
  return { values, params: nextParams, state: next };
}

/** Runs `t` for `steps` updates as a run does (tidy, keep state, dispose replaced); returns every update and the final params. */
function trainFor(t: GradientTransformation, steps: number) {
  const rand = seeded(7);
  let params: Record<string, tf.Tensor> = randomNamed(rand);
  let state: StateTree = t.init(params);
  const updates: Record<string, number[]>[] = [];
  for (let i = 0; i < steps; i++) {
    const grads = randomNamed(rand);
    const out = applyStep(t, params, grads, state, i + 1);
    for (const x of [...Object.values(grads), ...Object.values(params)]) x.dispose();
    state = out.state;
    params = out.params;
    updates.push(out.values);
  }
  return { updates, params, state };
}

function expectAllClose(a: readonly number[], b: readonly number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    expect(Math.abs(x - b[i]), `index ${i}: ${x} vs ${b[i]}`).toBeLessThanOrEqual(
      1e-6 * Math.max(1, Math.abs(b[i])),
    );
  });
}

function disposeAll(params: NamedTensors, state: StateTree): void {
  for (const p of Object.values(params)) p.dispose();
  for (const t of treeTensors(state)) t.dispose();
}

/**
 * Updates 4 to 6 of `trainFor`'s gradients with `tail`, from `head`'s params and its state as
 * `tail.adoptState` converts it, each update checked against `plain`'s; `check` sees the adopted
 * state first. Disposes what it made and `head`.
 */
function expectContinues(
  head: ReturnType<typeof trainFor>,
  tail: FlattenedTransformation,
  plain: ReturnType<typeof trainFor>,
  check: (state: StateTree, params: NamedTensors) => void,
): void {
  const rand = seeded(7);
  for (const p of Object.values(randomNamed(rand))) p.dispose();
  for (let i = 0; i < 3; i++) for (const g of Object.values(randomNamed(rand))) g.dispose();
  let params: Record<string, tf.Tensor> = head.params;
  let state = tail.adoptState(head.state, params);
  check(state, params);
  for (let i = 3; i < 6; i++) {
    const grads = randomNamed(rand);
    const out = applyStep(tail, params, grads, state, i + 1);
    for (const x of [...Object.values(grads), ...Object.values(params)]) x.dispose();
    params = out.params;
    state = out.state;
    for (const n of Object.keys(SHAPES)) expectAllClose(out.values[n], plain.updates[i][n]);
  }
  disposeAll(params, state);
}

describe('flattened', () => {
  // With 10, the two 12-element tensors are kept apart and the other two are concatenated.
  const CASES = OPTIMIZERS.flatMap(([name, make]) =>
    [Infinity, 10].map((apart) => [name, apart, make] as const),
  );
  it.each(CASES)(
    '%s (kept apart from %d elements): the fused update equals the per-parameter one over several steps',
    (_name, apart, make) => {
      const before = tf.memory().numTensors;
      const plain = trainFor(make(), 6);
      const fusedOpt = flattened(make(), apart);
      const fused = trainFor(fusedOpt, 6);
      for (let i = 0; i < 6; i++) {
        expect(Object.keys(fused.updates[i])).toEqual(Object.keys(SHAPES));
        for (const n of Object.keys(SHAPES))
          expectAllClose(fused.updates[i][n], plain.updates[i][n]);
      }
      for (const n of Object.keys(SHAPES)) {
        expect(fused.params[n].shape).toEqual(SHAPES[n]);
        expectAllClose(
          Array.from(fused.params[n].dataSync()),
          Array.from(plain.params[n].dataSync()),
        );
      }
      // The flat state holds the same moments: split back, it equals the unfused state.
      const back = fusedOpt.perParameter(fused.state, plain.params);
      const a = treeTensors(back);
      const b = treeTensors(plain.state);
      expect(a.length).toBe(b.length);
      a.forEach((t, i) => expectAllClose(Array.from(t.dataSync()), Array.from(b[i].dataSync())));
      expect(JSON.stringify(back, (_k, v: unknown) => (v instanceof tf.Tensor ? v.shape : v))).toBe(
        JSON.stringify(plain.state, (_k, v: unknown) => (v instanceof tf.Tensor ? v.shape : v)),
      );
      for (const t of a) t.dispose();
      disposeAll(plain.params, plain.state);
      disposeAll(fused.params, fused.state);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('holds one flat tensor per moment', () => {
    const params = randomNamed(seeded(1));
    const state = flattened(adam({ lr: 0.1 })).init(params);
    const tensors = treeTensors(state);
    expect(tensors.map((t) => t.shape)).toEqual([[12 + 4 + 1 + 12], [12 + 4 + 1 + 12]]);
    disposeAll(params, state);
  });

  it('an old per-parameter state continues exactly where the unfused optimizer would', () => {
    const before = tf.memory().numTensors;
    // 3 steps unfused, then its state converted and 3 more fused, vs. 6 steps unfused.
    const plain = trainFor(adam({ lr, beta1: 0.8, beta2: 0.95 }), 6);
    const head = trainFor(adam({ lr, beta1: 0.8, beta2: 0.95 }), 3);
    const fusedTail = flattened(adam({ lr, beta1: 0.8, beta2: 0.95 }));
    // Continue from the head's params and (converted) state with the remaining gradients.
    expectContinues(head, fusedTail, plain, (state, params) => {
      expect(treeTensors(state).map((t) => t.shape)).toEqual([[29], [29]]);
      expect(fusedTail.adoptState(state, params)).toEqual(state); // already flat: unchanged
    });
    disposeAll(plain.params, plain.state);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps large parameters apart, each a moment of its own shape', () => {
    const params = randomNamed(seeded(1));
    const state = flattened(adam({ lr: 0.1 }), 10).init(params);
    const [mu] = treeTensors(state).map((t) => t.shape);
    expect(mu).toEqual([4 + 1]); // b and s concatenated; k and c follow as they are
    expect(treeTensors(state).map((t) => t.shape)).toEqual([
      [5],
      [3, 4],
      [2, 2, 1, 3],
      [5],
      [3, 4],
      [2, 2, 1, 3],
    ]);
    disposeAll(params, state);
  });

  it('a state saved all flat (before large parameters were kept apart) continues exactly', () => {
    const before = tf.memory().numTensors;
    const make = () => adam({ lr, beta1: 0.8, beta2: 0.95 });
    const plain = trainFor(make(), 6);
    const head = trainFor(flattened(make(), Infinity), 3);
    const tail = flattened(make(), 10);
    expectContinues(head, tail, plain, (state) =>
      expect(treeTensors(state).map((t) => t.size)).toEqual([5, 12, 12, 5, 12, 12]),
    );
    disposeAll(plain.params, plain.state);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adoptState finds the moments where the inner state has them, and rejects moments of other parameters', () => {
    const params = { a: tf.zeros([2]), b: tf.zeros([3]) };
    const fused = flattened(adam({ lr: 0.1 }));
    expect(isFlattened(fused) && !isFlattened(adam({ lr: 0.1 }))).toBe(true);
    // Adam's state as an unfused chain holds it: [{ count, mu, nu }, {}]; a count of 3 is kept.
    const perParam = (x: number) => ({ b: tf.fill([3], x), a: tf.fill([2], x + 1) });
    const flat = fused.adoptState([{ count: 3, mu: perParam(1), nu: perParam(5) }, {}], params) as [
      Record<string, StateTree>,
      StateTree,
    ];
    expect(flat[0].count).toBe(3);
    const mu = (flat[0].mu as Record<string, tf.Tensor>)[FLAT];
    expect(Array.from(mu.dataSync())).toEqual([2, 2, 1, 1, 1]); // in the order of params
    const wrongSize = { a: tf.ones([2]), b: tf.ones([2]) };
    expect(() =>
      fused.adoptState([{ count: 0, mu: wrongSize, nu: wrongSize }, {}], params),
    ).toThrow(/does not match the parameters/);
    for (const t of [...Object.values(params), ...Object.values(wrongSize), ...treeTensors(flat)])
      t.dispose();
  });
});
