import * as tf from '@tensorflow/tfjs-core';
import type { MlpConfig } from './schema';
import type { RunConfig } from '../config';
import type { LayerContext } from '../layers/context';
import type { WidthEvaluation } from '../metrics';
import type { Task } from '../tasks/task';
import type { NamedTensors } from '../tree';
import { sortedUnsupported, sortedWidthAt, unitsAt } from './sorted-schema';

export * from './sorted-schema';

/**
 * The parameters of an MLP's nested sub-network at width fraction `fraction`: the first
 * k_i = round(f · h_i) units of hidden layer i (docs/algorithms.md#sorted-training). Layer i's
 * kernel keeps rows [0, k_{i−1}) and columns [0, k_i), its bias and norm the first k_i entries;
 * the head reads only the first k_L units. The slices are views in the graph: gradients flow back
 * into the shared full tensors, zero outside the slice. Names not listed pass through. `mlpApply`
 * runs the result unchanged (it takes the widths from the tensors).
 */
export function truncateMlp(
  params: NamedTensors,
  model: MlpConfig,
  fraction: number,
): NamedTensors {
  if (fraction >= 1) return params;
  const out: Record<string, tf.Tensor> = { ...params };
  const units = model.hidden.map((h) => unitsAt(h, fraction));
  const slice2 = (name: string, rows: number, cols: number) => {
    const w = params[name];
    out[name] = tf.slice(w, [0, 0], [rows, cols]);
  };
  for (let i = 0; i < units.length; i++) {
    const rows = i === 0 ? -1 : units[i - 1];
    slice2(`dense${i}/w`, rows, units[i]);
    out[`dense${i}/b`] = tf.slice(params[`dense${i}/b`], [0], [units[i]]);
    const norm = `norm${i}/`;
    for (const name of Object.keys(params))
      if (name.startsWith(norm) && params[name].rank === 1)
        out[name] = tf.slice(params[name], [0], [units[i]]);
  }
  slice2('head/w', units[units.length - 1], -1);
  return out;
}

/** Throws when a config asks for sorted training of a model that cannot be truncated. */
export function assertSortable(config: RunConfig): void {
  const why = config.sorted ? sortedUnsupported(config.model) : null;
  if (why !== null) throw new Error(why);
}

/** The params a training step sees: the sub-network of the width drawn for update `step`. */
export function stepView(config: RunConfig, step: number): (p: NamedTensors) => NamedTensors {
  const model = config.model;
  if (!config.sorted || model.kind !== 'mlp') return (p) => p;
  const fraction = sortedWidthAt(config.sorted, config.seed, step);
  return (p) => truncateMlp(p, model, fraction);
}

/** The width fractions a run evaluates at each evaluation: the sorted set, or none when off. */
export function evaluatedWidths(config: RunConfig): readonly number[] {
  return config.sorted && config.model.kind === 'mlp' ? config.sorted.widths : [];
}

/**
 * The task's evaluation at each width, as [testLoss, testAccuracy] pairs in one tensor (called
 * inside a tidy). Truncation works on any MLP, sorted-trained or not.
 */
export function evaluateAtWidths(
  task: Task,
  params: NamedTensors,
  model: MlpConfig,
  fractions: readonly number[],
  ctx: LayerContext,
): tf.Tensor1D {
  if (fractions.length === 0) return tf.zeros([0]);
  const pairs = fractions.map((f) => {
    const metrics = task.evaluate(truncateMlp(params, model, f), ctx);
    return tf.gather(metrics, [1, 3]);
  });
  return tf.concat(pairs) as tf.Tensor1D;
}

/** Reads `evaluateAtWidths`' values back into a `WidthEvaluation`. */
export function readWidths(
  step: number,
  fractions: readonly number[],
  values: ArrayLike<number>,
): WidthEvaluation {
  return {
    step,
    fractions: [...fractions],
    testLoss: fractions.map((_, i) => values[2 * i]),
    testAccuracy: fractions.map((_, i) => values[2 * i + 1]),
  };
}
