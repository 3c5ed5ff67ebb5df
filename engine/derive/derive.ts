import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config';
import { inferenceContext } from '../layers/context';
import { mlpApply } from '../models/mlp';
import type { MlpConfig, ModelConfig } from '../models/schema';
import type { Params } from '../params';
import type { RunSnapshot } from '../run';
import type { Task } from '../tasks/task';
import type { NamedTensors } from '../tree';
import type { Teacher } from './distill';
import { activationImportance, pruneMlp, topUnits, type PlainParam } from './prune';

/**
 * How a derived run starts (docs/algorithms.md#derived-runs): the parent's final weights, pruned
 * to the child's widths or copied as they are, and the parent's frozen weights as the teacher
 * when it distils. Nothing else comes from the parent: the optimizer state, the step, the data
 * position and the schedule start fresh (run.ts builds them from the child's config).
 */
export interface DerivedStart {
  readonly teacher?: Teacher;
  /** Overwrites the child's freshly initialised variables with the parent's (pruned) weights. */
  load(params: Params, task: Task): Promise<void>;
  dispose(): void;
}

function plainMlp(model: ModelConfig, who: string): MlpConfig {
  if (model.kind !== 'mlp')
    throw new Error(`pruning and distillation need an MLP; ${who} is a ${model.kind}`);
  if ((model.norm ?? 'none') !== 'none' || model.weightStandardization)
    throw new Error(`pruning and distillation need an MLP without a norm layer (${who})`);
  return model;
}

/** The parent's parameters as tensors (kept until disposed). */
function tensorsOf(parent: RunSnapshot): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(parent.params).map(([n, p]) => [
      n,
      tf.tensor(p.values, [...p.shape], 'float32'),
    ]),
  );
}

/** Null for a run from the seed, or for a derived run restored from its own snapshot. */
export function deriveStart(config: RunConfig, parent?: RunSnapshot): DerivedStart | null {
  if (!config.init) {
    if (config.distill) throw new Error("distillation needs a parent run (init.from: 'parent')");
    return null;
  }
  if (!parent) {
    if (config.distill) throw new Error("distillation needs the parent run's weights");
    return null;
  }
  const prune = config.init.prune;
  const needsTensors = prune !== undefined || config.distill !== undefined;
  const parentModel = needsTensors ? plainMlp(parent.config.model, 'the parent') : null;
  const frozen: NamedTensors | null = needsTensors ? tensorsOf(parent) : null;
  const ctx = inferenceContext();
  const teacher: Teacher | undefined =
    config.distill && parentModel && frozen
      ? {
          config: config.distill,
          logits: (x) => mlpApply(frozen, parentModel, tf.reshape(x, [x.shape[0], -1]), ctx),
        }
      : undefined;

  async function load(params: Params, task: Task): Promise<void> {
    let source: Readonly<Record<string, PlainParam>> = parent!.params;
    if (prune && parentModel && frozen) {
      const child = plainMlp(config.model, 'the child');
      if (child.hidden.length !== parentModel.hidden.length)
        throw new Error(
          'pruning keeps the depth: the child needs as many hidden layers as the parent',
        );
      child.hidden.forEach((w, i) => {
        if (w > parentModel.hidden[i])
          throw new Error(`layer ${i}: cannot prune ${parentModel.hidden[i]} units to ${w}`);
      });
      if (!task.calibrationInputs) throw new Error('this dataset has no inputs to calibrate on');
      const x = task.calibrationInputs(Math.min(prune.calibration, task.trainCount));
      const importance = await activationImportance(frozen, parentModel, x, ctx);
      x.dispose();
      source = pruneMlp(
        source,
        importance.map((s, i) => topUnits(s, child.hidden[i])),
      );
    }
    const extra = Object.keys(source).filter((n) => !(n in params.values));
    if (extra.length > 0) throw new Error(`the parent has parameters the child lacks: ${extra[0]}`);
    for (const name of params.names) {
      const p = source[name];
      const v = params.values[name];
      if (!p || p.shape.join('x') !== v.shape.join('x'))
        throw new Error(
          `parameter ${name}: the parent's is ${p ? p.shape.join('×') : 'missing'}, the child needs ${v.shape.join('×')} (same model and vocabulary needed)`,
        );
      tf.tidy(() => v.assign(tf.tensor(p.values, [...p.shape], 'float32')));
    }
  }

  return {
    teacher,
    load,
    dispose: () => {
      if (frozen) tf.dispose(Object.values(frozen));
    },
  };
}
