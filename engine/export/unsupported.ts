import type { RunConfig } from '../config';
import { selectsHardBatches } from '../data/hard-batches';

/** What an exported script cannot reproduce of a run config, one readable line each. */
export function unsupportedOf(config: RunConfig): string[] {
  const out: string[] = [];
  if (config.data.kind === 'csv')
    out.push(
      'the CSV dataset: its rows are not written beside the script, so the script cannot run',
    );
  if (config.data.kind === 'in-context')
    out.push('the in-context (GPICL) task: its sequence generator is not written for PyTorch yet');
  if (config.quant.mesa) {
    out.push(
      "Mesa's 8-bit stored activations: the backward pass here keeps exact float32 activations",
    );
  }
  const m = config.model;
  if (m.kind === 'transformer' && m.objective && m.objective !== 'causal')
    out.push(
      `the ${m.objective === 'mlm' ? 'masked-LM' : 'ELECTRA'} objective: the script trains a causal LM with these layer sizes`,
    );
  if (selectsHardBatches(config.batching))
    out.push('hard mini-batches: the script trains on every batch of each epoch (δ = 1)');
  return out;
}
