import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const hardBatches: UnavailablePreset = {
  id: 'hard-batches',
  number: 3,
  title: 'Hard mini-batches',
  paper: PAPERS.hard,
  available: false,
  claim:
    'Training each epoch only on the hardest fraction of mini-batches reaches higher accuracy in fewer epochs.',
  expectation: 'MLP on MNIST-10k: δ=0.5 beats δ=1 in test accuracy at epoch 5.',
  reason:
    'The engine has no loss-ranked batch selection yet: a batch strategy that scores every mini-batch of an epoch and trains on the top δ is needed.',
};
