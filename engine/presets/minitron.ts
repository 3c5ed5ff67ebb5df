import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const minitron: UnavailablePreset = {
  id: 'minitron',
  number: 7,
  title: 'Prune and distill (Minitron)',
  paper: PAPERS.minitron,
  available: false,
  claim:
    'A pruned model retrained by logit distillation beats the same model retrained on labels and one trained from scratch.',
  expectation:
    'With equal 1-epoch budgets: KD ≥ CE retraining > from scratch, in accuracy and loss.',
  reason:
    'The engine has no activation-importance width pruning and no teacher/student distillation loss.',
};
