import type { RunConfig } from '../config';
import type { RunSnapshot } from '../run';
import type { RunEnv } from '../tasks/task';
import { exportRunData, type RunDataOptions } from './data';
import { exportPyTorch, exportWeights, type PyTorchExport } from './pytorch';

/**
 * "Export as PyTorch": a run as a Python script, its data file and, optionally, its weights.
 * TF.js-free, so the UI can build it on the main thread.
 */
export {
  exportPyTorch,
  exportWeights,
  TORCH_VERSION,
  type PyTorchExport,
  type PyTorchExportOptions,
} from './pytorch';
export { exportRunData, learningRates, EVAL_COUNTS, type RunDataOptions } from './data';
export { unsupportedOf } from './unsupported';
export { encodeSafetensors, type NamedArray } from './safetensors';

export interface PyTorchFiles extends PyTorchExport {
  /** File name → contents: the script, the data and (with a snapshot) the weights. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Every file of an export: with `snapshot`, the script continues from the run's current weights. */
export async function exportPyTorchFiles(
  config: RunConfig,
  {
    env = {},
    snapshot,
    name = 'run',
    ...data
  }: { env?: RunEnv; snapshot?: RunSnapshot; name?: string } & RunDataOptions = {},
): Promise<PyTorchFiles> {
  const exported = exportPyTorch(config, { name, withWeights: snapshot !== undefined });
  const files: Record<string, Uint8Array> = {
    [`${name}.py`]: new TextEncoder().encode(exported.script),
    [exported.dataFile]: await exportRunData(config, env, data),
  };
  if (snapshot && exported.weightsFile) files[exported.weightsFile] = exportWeights(snapshot);
  return { ...exported, files };
}
