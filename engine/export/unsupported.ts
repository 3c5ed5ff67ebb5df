import type { RunConfig } from '../config';

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
  return out;
}
