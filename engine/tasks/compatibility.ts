import type { DatasetKind } from '../data/schema';
import type { ModelKind } from '../models/schema';

/** Which models can learn which dataset; the first is the suggested one. TF.js-free, for the UI. */
export const COMPATIBLE_MODELS: { readonly [K in DatasetKind]: readonly ModelKind[] } = {
  spiral: ['mlp'],
  circles: ['mlp'],
  xor: ['mlp'],
  gaussians: ['mlp'],
  plane: ['mlp'],
  csv: ['mlp'],
  mnist: ['cnn', 'cct', 'mlp'],
  chars: ['transformer', 'moe'],
  text: ['transformer', 'moe'],
  modular: ['transformer', 'moe'],
  'in-context': ['transformer'],
};

function list(kinds: readonly string[]): string {
  return kinds.length === 1
    ? `an ${kinds[0]}`
    : `a ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
}

/** Why a model cannot learn a dataset (a sentence the UI can show), or null when it can. */
export function incompatibility(data: DatasetKind, model: ModelKind): string | null {
  const kinds = COMPATIBLE_MODELS[data];
  return kinds.includes(model)
    ? null
    : `the ${data} dataset needs ${list(kinds)} model, not ${model}`;
}
