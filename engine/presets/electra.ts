import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const electra: UnavailablePreset = {
  id: 'electra',
  number: 15,
  title: 'ELECTRA vs masked language modelling',
  paper: PAPERS.electra,
  available: false,
  claim:
    'Replaced-token detection learns better representations than masked language modelling at equal compute.',
  expectation:
    'At equal pretraining steps, ELECTRA’s linear-probe accuracy (domain, bracket validity) is higher than MLM’s.',
  reason:
    'The engine trains only causal next-character models: no MLM or replaced-token-detection objective and no linear probes.',
};
