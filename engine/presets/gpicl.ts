import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const gpicl: UnavailablePreset = {
  id: 'gpicl',
  number: 14,
  title: 'General-purpose in-context learning',
  paper: PAPERS.gpicl,
  available: false,
  claim:
    'Transformers meta-trained on enough generated tasks switch from memorizing tasks to learning new ones in context.',
  expectation:
    'Few tasks: unseen tasks at chance at all positions; many tasks: accuracy rises with position on unseen tasks.',
  reason:
    'The engine has no generator of in-context tasks (random linear maps with permuted labels) nor a sequence model over vector inputs.',
};
