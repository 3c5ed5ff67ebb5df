/** The engine's public surface. Tests, workers, scripts and outside users import only this. */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from './tf-free';
export {
  createRun,
  type Run,
  type RunOptions,
  type RunSnapshot,
  type SizeReport,
  type TrainingPath,
} from './run';
export { fusedCandidate } from './fast-mlp/fused-path';
export {
  autoFuses,
  selectBackend,
  kernelsFor,
  FALLBACK_ORDER,
  type BackendName,
  type BackendReport,
} from './backend';
// Fault injection (losing the device, exhausting its memory) is for tests only: engine/testing.ts.
export {
  classifyFault,
  nextBackend,
  watchDeviceLoss,
  type DeviceLoss,
  type RunFault,
} from './device-faults';
export { chunkBuffers, concatChunks, emptyColumns } from './metrics';
export type { LayerStats } from './diagnostics/layer-stats';
export { findDivergence, type Divergence } from './diagnostics/divergence';
export { BatchSampler, type DataCursor } from './data/batches';
export { createRng, permutation, type Rng } from './rng';
export {
  createParams,
  countParams,
  type Params,
  type ParamInit,
  type ParamInits,
  type Role,
} from './params';
export { denseInit, denseApply } from './layers/dense';
export { activate } from './layers/activations';
export {
  Buffers,
  IDENTITY_QUANTIZER,
  inferenceContext,
  type LayerContext,
  type Quantizer,
} from './layers/context';
export { createTask, EVAL_METRICS, type RunEnv, type Task } from './tasks/index';
export { mlpInit, mlpApply } from './models/mlp';
export { truncateMlp } from './models/sorted';
export { softmaxCrossEntropy, meanSquaredError, accuracy } from './losses';
export * from './optim/index';
export * from './quant/index';
export type { NamedTensors, StateTree, FrozenTree } from './tree';
export { parseMnist, MNIST_ASSET } from './data/mnist';
export { makeCharCorpus } from './data/chars';
export { makeModular } from './data/modular';
export { makeInContextData, makeBaseSet, drawTask, makeSequences } from './data/in-context';
export type { InContextData, InContextTask, Sequences, BaseSet } from './data/in-context';
export { createInContextTask, positionAccuracy } from './tasks/in-context';
export { lossPlateau, chanceLoss, type Plateau } from './diagnostics/plateau';
export * from './diagnostics/index';
export { runPreset, runArm } from './presets/run-preset';

// Building blocks for TF.js users, each under its own name (see engine/README.md).
export * from './schedule/index';
export { mapNamed, treeTensors, disposeReplaced } from './tree';
export { stopGradient } from './layers/stop-gradient';
export { linearInit, linearApply } from './layers/linear';
export type { DenseSpec } from './layers/dense';
export { conv2dInit, conv2dApply, type Conv2dSpec, type Conv2dOptions } from './layers/conv2d';
export { maxPool } from './layers/max-pool';
export { embeddingInit, embeddingApply } from './layers/embedding';
export { attentionInit, attentionApply, causalMask, type AttentionSpec } from './layers/attention';
export { sequencePoolInit, sequencePoolApply } from './layers/sequence-pool';
export { blockInit, blockApply, type BlockSpec } from './layers/transformer-block';
export { moeInit, moeApply, type MoeSpec } from './layers/moe-ffn';
export { route, expertCapacity, loadBalancingLoss, type RouterStats } from './layers/moe-routing';
export { normInit, normApply, hasRunningStats, standardizeWeight } from './layers/norm/index';
export { NORM_EPSILON, defaultGroups } from './layers/norm/index';
export { batchNormInit, batchNormApply } from './layers/norm/batch-norm';
export { layerNormInit, layerNormApply } from './layers/norm/layer-norm';
export { rmsNormInit, rmsNormApply } from './layers/norm/rms-norm';
export { groupNormInit, groupNormApply } from './layers/norm/group-norm';
export { batchChannelNormInit, batchChannelNormApply } from './layers/norm/batch-channel-norm';
export type { BatchChannelNormSpec } from './layers/norm/batch-channel-norm';
export { RUNNING_RATE } from './layers/norm/running-stats';
export { splitMicroBatches, microBatchLoss } from './tasks/micro-batches';
export type { MicroForward, LblOptions } from './tasks/micro-batches';
export { mlpModel, type MlpShape } from './models/mlp';
export { cnnModel, type ImageShape } from './models/cnn';
export { cctModel } from './models/cct';
export { transformerModel, type SequenceShape } from './models/transformer';
export type { Model, ModelOutput } from './models/model';
export {
  exportPyTorch,
  exportPyTorchFiles,
  exportWeights,
  exportRunData,
  unsupportedOf,
  TORCH_VERSION,
  type PyTorchExport,
  type PyTorchFiles,
} from './export/index';
