import type { UnavailablePreset } from './types';
import { PAPERS } from './base';

/** Not runnable yet: the engine lacks what it needs (see `reason`); listed, never faked. */
export const sortedNet: UnavailablePreset = {
  id: 'sorted-net',
  number: 6,
  title: 'SortedNet: many widths in one network',
  paper: PAPERS.sortedNet,
  available: false,
  claim:
    'Training nested sub-networks together lets one network be truncated to a quarter of its width and keep most of its accuracy.',
  expectation:
    'Standard net truncated to ¼ width loses >30 points; the sorted net keeps ≥90% of its full-width accuracy at ¼ width and is within 1 point at full width.',
  reason:
    'The engine has no sorted (nested-width) training mode and no width-truncated evaluation.',
};
