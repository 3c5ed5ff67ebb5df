import { FIELD_TEMPERATURE, type HotPatch, type RunConfig } from '../../engine/tf-free';
import { editable, ended, type Lifecycle } from './lifecycle';

export type ConfigPatch = Partial<RunConfig>;

/** Splits a change into the hot part (applied to the running run) and whether anything cold changed. */
export function splitPatch(patch: ConfigPatch): { hot: HotPatch; cold: boolean } {
  const hot: Record<string, unknown> = {};
  let cold = false;
  for (const key of Object.keys(patch) as (keyof RunConfig)[]) {
    if (FIELD_TEMPERATURE[key] === 'hot') hot[key] = patch[key];
    else cold = true;
  }
  return { hot: hot as HotPatch, cold };
}

/**
 * What an edit of the settings does to the selected run (the one model of runs and edits):
 * - `edit`: a draft (not begun) takes it in place;
 * - `restart`: a run that has not trained a step yet starts again with the new settings;
 * - `switch`: a run part-way through takes a hot change as a marked switch from its next step;
 * - `new-draft`: anything else (an ended run, a cold change mid-run) leaves the run as it is and
 *   starts a draft "new run from this one" with the change.
 */
export type EditAction = 'edit' | 'restart' | 'switch' | 'new-draft';

export function editAction(lifecycle: Lifecycle, step: number, patch: ConfigPatch): EditAction {
  if (editable(lifecycle)) return 'edit';
  if (ended(lifecycle)) return 'new-draft';
  if (step === 0) return 'restart';
  return splitPatch(patch).cold ? 'new-draft' : 'switch';
}
