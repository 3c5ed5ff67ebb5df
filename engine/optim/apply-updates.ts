import * as tf from '@tensorflow/tfjs-core';
import { disposeReplaced, treeTensors, type StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/**
 * One training step on a record of TF.js variables: gradients of `loss` (which reads the
 * variables) by `tf.variableGrads`, then `w ← w + u` with the updates of `optimizer`.
 * Intermediates are freed by `tf.tidy`; the new state is kept and the tensors of `state` it no
 * longer holds are disposed, so call it as `state = minimizeStep(...).state`.
 * `lr`, when given, is this update's learning rate (e.g. `schedule(step)`); otherwise the
 * optimizer's own. Returns the new state and the loss (a kept scalar the caller disposes).
 */
export function minimizeStep<S extends StateTree>(
  optimizer: GradientTransformation<S>,
  variables: Readonly<Record<string, tf.Variable>>,
  loss: () => tf.Scalar,
  state: S,
  lr?: number,
): { readonly state: S; readonly loss: tf.Scalar } {
  const names = Object.keys(variables);
  let next: S = state;
  const value = tf.tidy(() => {
    const { value: v, grads } = tf.variableGrads(
      loss,
      names.map((n) => variables[n]),
    );
    // variableGrads keys gradients by variable name; re-key them by our record's names.
    const named = Object.fromEntries(names.map((n) => [n, grads[variables[n].name]]));
    const [updates, s] = optimizer.update(named, state, variables, lr);
    for (const n of names) variables[n].assign(tf.add(variables[n], updates[n]));
    for (const t of treeTensors(s)) tf.keep(t);
    next = s;
    return v;
  });
  disposeReplaced(state, next);
  return { state: next, loss: value };
}
