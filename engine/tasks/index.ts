import type { RunConfig } from '../config';
import { isToy2D } from '../data/schema';
import type { RunEnv, Task } from './task';
import { createToy2DTask } from './toy-2d';

export type { RunEnv, Task } from './task';
export { EVAL_METRICS } from './task';

/** Builds the task a config names: its dataset (loaded through `env` where it is a file) and model. */
export async function createTask(config: RunConfig, _env: RunEnv): Promise<Task> {
  const { data, model } = config;
  if (isToy2D(data)) {
    if (model.kind !== 'mlp') throw new Error(`the ${data.kind} dataset needs an MLP, not ${model.kind}`);
    return createToy2DTask(data, model, config.seed);
  }
  throw new Error(`no task for the ${(data as { kind: string }).kind} dataset`);
}
