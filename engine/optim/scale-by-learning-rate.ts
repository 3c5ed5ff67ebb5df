import * as tf from '@tensorflow/tfjs-core';
import { mapNamed } from '../tree';
import { lrAt, type GradientTransformation, type LearningRate } from './transform';

export interface CountState {
  readonly [key: string]: number;
  readonly count: number;
}

/** u ← −η(t)·u. Keeps its own count so a schedule sees the step. */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation<CountState> {
  return {
    init: () => ({ count: 0 }),
    update(updates, state) {
      const scale = tf.scalar(-lrAt(lr, state.count));
      return [mapNamed(updates, (u) => tf.mul(u, scale)), { count: state.count + 1 }] as const;
    },
  };
}
