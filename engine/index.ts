/** The engine's public surface. Tests, workers, scripts and outside users import only this. */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from './lite';
export { createRun, type Run, type RunSnapshot, type SizeReport } from './run';
export { selectBackend, kernelsFor, FALLBACK_ORDER, type BackendName, type BackendReport } from './backend';
export { classifyFault, exhaustDeviceMemory, loseDevice, nextBackend, watchDeviceLoss, type DeviceLoss, type RunFault } from './device-faults';
export { chunkBuffers, emptyColumns } from './metrics';
export type { LayerStats } from './diagnostics/layer-stats';
export { findDivergence, type Divergence } from './diagnostics/divergence';
export { BatchSampler, type DataCursor } from './data/batches';
export { createRng, permutation, type Rng } from './rng';
export { createParams, countParams, type Params, type ParamInit, type ParamInits, type Role } from './params';
export { denseInit, denseApply } from './layers/dense';
export { activate } from './layers/activations';
export { Buffers, IDENTITY_QUANTIZER, inferenceContext, type LayerContext, type Quantizer } from './layers/context';
export { createTask, EVAL_METRICS, type RunEnv, type Task } from './tasks/index';
export { mlpInit, mlpApply } from './models/mlp';
export { softmaxCrossEntropy, meanSquaredError, accuracy } from './losses';
export * from './optim/index';
export * from './quant/index';
export type { NamedTensors, StateTree, FrozenTree } from './tree';
export { parseMnist, MNIST_ASSET } from './data/mnist';
export { makeCharCorpus } from './data/chars';
export { makeModular } from './data/modular';
export * from './diagnostics/index';
export { runPreset, runArm } from './presets/run-preset';
export { exportPyTorch, exportPyTorchFiles, exportWeights, exportRunData, unsupportedOf, TORCH_VERSION, type PyTorchExport, type PyTorchFiles } from './export/index';
