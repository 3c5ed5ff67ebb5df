import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const sftRecipe: UnavailablePreset = {
  id: 'sft-recipe',
  number: 12,
  title: 'SFT recipe: batch size × learning rate',
  paper: PAPERS.sft,
  available: false,
  claim:
    'For fine-tuning small language models, larger batches with lower learning rates do well, and early gradient norm predicts the final loss.',
  expectation:
    'Larger B with lower η among the best cells; Spearman(early mean grad norm, final loss) > 0; warmup makes no significant difference.',
  reason:
    'A preset arm is one run on one dataset; pretraining on one char domain and fine-tuning the same weights on another (a cross-dataset fork) is not supported by the engine yet.',
};
