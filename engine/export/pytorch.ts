import type { RunConfig } from '../config';
import type { RunSnapshot } from '../run';
import { pyLayers } from './py-layers';
import { pyModel } from './py-models';
import { pyOptimizer } from './py-optimizers';
import { PY_DISTRIBUTED, PY_RNG, PY_SAFETENSORS } from './py-runtime';
import { PY_MAIN, PY_TASK } from './py-train';
import { encodeSafetensors, type NamedArray } from './safetensors';
import { unsupportedOf } from './unsupported';

/** The torch version the exported scripts are written and tested against (scripts/setup-python.sh). */
export const TORCH_VERSION = '2.15.0';

export interface PyTorchExport {
  /** One self-contained Python file. */
  readonly script: string;
  /** What the script cannot reproduce, one line each; also listed at the top of the script. */
  readonly unsupported: readonly string[];
  /** File names the script reads beside itself by default. */
  readonly dataFile: string;
  readonly weightsFile: string | null;
}

export interface PyTorchExportOptions {
  /** Base name of the files: `<name>.py`, `<name>-data.safetensors`, `<name>-weights.safetensors`. */
  readonly name?: string;
  /** The script starts from a weights file written beside it (`exportWeights`). */
  readonly withWeights?: boolean;
}

const describe = (c: { readonly kind: string }) =>
  JSON.stringify(c).replace(/"/g, '').replace(/,/g, ', ');

function header(
  config: RunConfig,
  unsupported: readonly string[],
  files: { data: string; weights: string | null; name: string },
): string {
  const missing = unsupported.length
    ? [
        'NOT REPRODUCED (the playground does these, this script does not):',
        ...unsupported.map((u) => `  - ${u}`),
      ]
    : ['Everything the run configures is reproduced.'];
  return `#!/usr/bin/env python3
"""A training-playground run, exported as PyTorch (written for torch ${TORCH_VERSION}).

  python ${files.name}.py                       # one process (CPU, or the first GPU)
  torchrun --nproc_per_node=N ${files.name}.py  # DistributedDataParallel: gloo on CPU, nccl on GPUs

Under torchrun the global batch of ${config.batchSize} is split over the N processes.

Reads ${files.data} (the run's examples and the learning rate of each step) beside this file${
    files.weights ? `,\nand starts from ${files.weights} (the run's weights at export).` : '.'
  }
Without a weights file the parameters start as the playground initialises them (same generator, same seed).
Batches come in the playground's order (same sampler, same seed). float32 throughout.

Model: ${describe(config.model)}
Data: ${describe(config.data)}
Optimizer: ${describe(config.optimizer)}
Schedule: ${describe(config.schedule)} over ${config.steps} steps (tabulated in the data file)
Quantization: ${describe({ kind: 'quant', ...config.quant })}

${missing.join('\n')}

Notes: a run continued from a weights file restarts the optimizer's moments from zero. Under
torchrun, BatchNorm statistics and MoE routing counts are per process (as per micro-batch).
"""
`;
}

/** The run config as the script's CONFIG. */
function configLiteral(config: RunConfig): string {
  return JSON.stringify(config, null, 1).replace(/'''/g, "' ' '");
}

/** A run config as one self-contained PyTorch script, and what it cannot reproduce. */
export function exportPyTorch(
  config: RunConfig,
  options: PyTorchExportOptions = {},
): PyTorchExport {
  const name = options.name ?? 'run';
  const dataFile = `${name}-data.safetensors`;
  const weightsFile = options.withWeights ? `${name}-weights.safetensors` : null;
  const unsupported = unsupportedOf(config);
  const script = [
    header(config, unsupported, { data: dataFile, weights: weightsFile, name }),
    'import argparse\nimport json\nimport math\nimport os\nimport struct\nimport warnings\n',
    'warnings.filterwarnings("ignore", message="Failed to initialize NumPy")',
    '# Deterministic cuBLAS on GPUs (needed by torch.use_deterministic_algorithms).',
    'os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")',
    'import torch  # noqa: E402\nimport torch.distributed as dist  # noqa: E402\nimport torch.nn as nn  # noqa: E402',
    'import torch.nn.functional as F  # noqa: E402\nfrom torch.nn.parallel import DistributedDataParallel as DDP  # noqa: E402\n',
    `CONFIG = json.loads(r'''${configLiteral(config)}''')`,
    `DATA_FILE = ${JSON.stringify(dataFile)}`,
    `WEIGHTS_FILE = ${JSON.stringify(weightsFile ?? '')}\n`,
    PY_RNG,
    PY_SAFETENSORS,
    PY_DISTRIBUTED,
    pyLayers(),
    pyModel(config.model.kind),
    pyOptimizer(config.optimizer.kind),
    PY_TASK,
    PY_MAIN,
  ].join('\n');
  return { script, unsupported, dataFile, weightsFile };
}

/** The snapshot's parameters and running statistics as the `.safetensors` file the script starts from. */
export function exportWeights(snapshot: RunSnapshot): Uint8Array {
  const tensors: Record<string, NamedArray> = {};
  for (const [name, p] of Object.entries(snapshot.params))
    tensors[name] = { shape: p.shape, values: p.values };
  for (const [name, b] of Object.entries(snapshot.buffers))
    tensors[`buffers/${name}`] = { shape: b.shape, values: b.values };
  const roles = Object.fromEntries(Object.entries(snapshot.params).map(([n, p]) => [n, p.role]));
  return encodeSafetensors(tensors, {
    step: String(snapshot.step),
    epoch: String(snapshot.cursor.epoch),
    position: String(snapshot.cursor.position),
    roles: JSON.stringify(roles),
  });
}
