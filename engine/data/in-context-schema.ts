import * as v from 'valibot';
import { int } from '../schema-helpers';

/**
 * General-purpose in-context learning (Kirsch et al. 2022, docs/algorithms.md#in-context-learning):
 * sequences of (A·x, previous label) pairs from tasks that each project a fixed base set with a
 * random matrix A and relabel it with a random permutation. TF.js-free.
 */

/** Width of a base point x ∈ ℝ⁸ (and of A·x). */
export const IN_CONTEXT_DIM = 8;

/** How many training tasks a run meta-trains on: 2^0 … 2^14, or a fresh task for every sequence. */
export const IN_CONTEXT_TASKS = [
  ...Array.from({ length: 15 }, (_, k) => String(2 ** k)),
  'fresh',
] as const;
export type InContextTasks = (typeof IN_CONTEXT_TASKS)[number];

export const InContextConfigSchema = v.strictObject({
  kind: v.literal('in-context'),
  /** Number of distinct training tasks (A, permutation), or `fresh`: a new task per sequence. */
  tasks: v.picklist(IN_CONTEXT_TASKS),
  /** Classes C of the base set; chance accuracy is 1/C. */
  classes: int(2, 10),
  /** (input, label) pairs per sequence; the model predicts the label at every position. */
  sequenceLength: int(4, 64),
});

export type InContextConfig = v.InferOutput<typeof InContextConfigSchema>;

export const IN_CONTEXT_DEFAULT: InContextConfig = {
  kind: 'in-context',
  tasks: '256',
  classes: 4,
  sequenceLength: 32,
};

/** The number of training tasks, or null for a fresh task per sequence. */
export function trainingTaskCount(config: InContextConfig): number | null {
  return config.tasks === 'fresh' ? null : Number(config.tasks);
}
