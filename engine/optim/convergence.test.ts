import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { minimizeStep } from './apply-updates';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { lamb } from './lamb';
import { lars } from './lars';
import { lion } from './lion';
import { momentum } from './momentum';
import { muon } from './muon';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import type { StateTree } from '../tree';
import type { GradientTransformation } from './transform';

// As optax's alias_test: every optimizer on a parabola and on Rosenbrock, from a fixed start.
// The parameter is one [1, 2] matrix, so LAMB/LARS adapt it and Muon orthogonalizes it.
type Problem = { start: [number, number]; loss: (w: tf.Tensor) => tf.Scalar; target: number };

const PROBLEMS: Record<'parabola' | 'rosenbrock', Problem> = {
  // f = ½(x² + 10·y²), minimum 0 at (0, 0).
  parabola: {
    start: [1.5, -1],
    loss: (w) => tf.sum(tf.mul(tf.square(w), tf.tensor([[0.5, 5]]))),
    target: 1e-3,
  },
  // f = (1 − x)² + 100·(y − x²)² with (x, y) = (w₀, w₁ − 3): minimum 0 at w = (1, 4). The shift keeps
  // the valley away from w = 0, where LAMB's and LARS's steps (∝ ‖w‖) would stall.
  rosenbrock: {
    start: [-1, 4.5],
    loss: (w) => {
      const [x, w1] = tf.split(w, 2, 1);
      const y = tf.sub(w1, 3);
      return tf.sum(
        tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))),
      );
    },
    target: 1e-2,
  },
};

// Hand-picked per optimizer and problem: [learning rate, steps].
const TABLE: [
  string,
  (lr: number) => GradientTransformation,
  [number, number],
  [number, number],
][] = [
  ['sgd', (lr) => sgd({ lr }), [0.1, 200], [1.5e-3, 4000]],
  ['momentum', (lr) => momentum({ lr }), [0.02, 200], [2e-4, 3000]],
  ['nesterov', (lr) => nesterov({ lr }), [0.02, 200], [2e-4, 3000]],
  ['adam', (lr) => adam({ lr }), [0.1, 300], [0.02, 3000]],
  ['adamw', (lr) => adamw({ lr, weightDecay: 1e-4 }), [0.1, 300], [0.02, 3000]],
  ['rmsprop', (lr) => rmsprop({ lr }), [0.01, 300], [2e-3, 3000]],
  ['adagrad', (lr) => adagrad({ lr }), [0.5, 300], [0.2, 5000]],
  ['lamb', (lr) => lamb({ lr }), [0.05, 300], [0.005, 3000]],
  ['lars', (lr) => lars({ lr }), [20, 300], [1, 3000]],
  ['lion', (lr) => lion({ lr }), [0.005, 800], [1e-3, 3000]],
  ['muon', (lr) => muon({ lr }), [0.005, 1000], [0.005, 3000]],
];

/** LAMB's step has size η·‖w‖ whatever the gradient, so it is given a decaying rate to settle. */
const DECAY: Readonly<Record<string, number>> = { lamb: 0.999 };

function minimize(
  opt: GradientTransformation,
  problem: Problem,
  steps: number,
  rate?: (step: number) => number,
): number[] {
  const w = tf.variable(tf.tensor2d([problem.start]));
  let state: StateTree = opt.init({ w });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const out = minimizeStep(opt, { w }, () => problem.loss(w), state, rate?.(i + 1));
    state = out.state;
    losses.push(out.loss.dataSync()[0]);
    out.loss.dispose();
  }
  const final = tf.tidy(() => problem.loss(w).dataSync()[0]);
  w.dispose();
  return [...losses, final];
}

describe.each(TABLE)('%s', (name, make, parabola, rosenbrock) => {
  it.each([
    ['parabola', parabola],
    ['rosenbrock', rosenbrock],
  ] as const)('reduces the %s', (problemName, [lr, steps]) => {
    const problem = PROBLEMS[problemName];
    const decay = DECAY[name];
    const losses = minimize(
      make(lr),
      problem,
      steps,
      decay ? (step) => lr * decay ** (step - 1) : undefined,
    );
    const final = losses[losses.length - 1];
    expect(final, `${name} on ${problemName}: ${losses[0]} → ${final}`).toBeLessThan(
      problem.target,
    );
  });
});
