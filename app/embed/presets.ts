import {
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  OPTIMIZER_DEFAULTS,
  type RunConfig,
} from '../../engine/tf-free';
import type { PresetName } from './protocol';

/** A small, named run for the embeddable widget. The paper presets will replace this table. */
export interface EmbedPreset {
  readonly name: string;
  readonly description: string;
  readonly config: RunConfig;
}

/** Starts from the playground's defaults with a budget that finishes in well under a minute. */
function preset(name: string, description: string, patch: Partial<RunConfig>): EmbedPreset {
  return {
    name,
    description,
    config: { ...DEFAULT_CONFIG, steps: 600, metricsEvery: 10, ...patch },
  };
}

export const PRESETS: { readonly [K in PresetName]: EmbedPreset } = {
  'spiral-adam': preset(
    'Spiral with Adam',
    'Two interleaved spirals, learned by a 2×32 MLP with Adam at learning rate 0.03.',
    {},
  ),
  'circles-sgd': preset(
    'Circles with SGD',
    'A ring around a disc: plain SGD at learning rate 0.1 finds the round boundary.',
    {
      data: DATA_DEFAULTS.circles,
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      steps: 400,
    },
  ),
  'xor-lamb': preset(
    'XOR with LAMB',
    'The four XOR quadrants, trained with LAMB (layer-wise trust ratios).',
    {
      data: DATA_DEFAULTS.xor,
      optimizer: OPTIMIZER_DEFAULTS.lamb,
      steps: 400,
    },
  ),
  'spiral-muon': preset(
    'Spiral with Muon',
    'The spirals again, with Muon: orthogonalized momentum for the hidden weights.',
    {
      optimizer: OPTIMIZER_DEFAULTS.muon,
    },
  ),
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
