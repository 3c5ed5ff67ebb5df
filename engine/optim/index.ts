// Building blocks: each returns a GradientTransformation with a named state type.
export type { GradientTransformation, Mask, EmptyState } from './transform';
export { chain } from './chain';
export { masked, type MaskedState } from './masked';
export { partition, type PartitionState } from './partition';
export { adaptableMask, hiddenMatrixMask, type Roles } from './masks';
export { scaleByAdam, type AdamOptions, type AdamState } from './scale-by-adam';
export { scaleByLearningRate, relativeLr } from './scale-by-learning-rate';
export { addDecayedWeights, type AddDecayedWeightsOptions } from './add-decayed-weights';
export {
  scaleByTrustRatio,
  trustRatiosOf,
  type TrustRatioOptions,
  type TrustRatioState,
} from './scale-by-trust-ratio';
export { trace, type TraceOptions, type TraceState } from './trace';
export { scaleByRms, type RmsOptions, type RmsState } from './scale-by-rms';
export { scaleByAdagrad, type AdagradOptions, type AdagradState } from './scale-by-adagrad';
export {
  orthogonalizeNewtonSchulz,
  newtonSchulz,
  NS_COEFFICIENTS,
  type NewtonSchulzOptions,
} from './orthogonalize-newton-schulz';
export { scaleByLion, type LionOptions, type LionState } from './scale-by-lion';
export { scaleBySign } from './scale-by-sign';
export { clipByGlobalNorm } from './clip-by-global-norm';
export { flattened, isFlattened, FLAT, type FlattenedTransformation } from './flatten';

// Optimizers: each only a chain of the blocks above.
export { sgd, type SgdOptions } from './sgd';
export { momentum, type MomentumOptions } from './momentum';
export { nesterov } from './nesterov';
export { adam, type AdamConfig } from './adam';
export { adamw, type AdamwOptions } from './adamw';
export { rmsprop, type RmspropOptions } from './rmsprop';
export { adagrad, type AdagradConfig } from './adagrad';
export { lamb, type LambOptions } from './lamb';
export { lars, type LarsOptions } from './lars';
export { lion, type LionConfig } from './lion';
export { muon, type MuonOptions } from './muon';

// Configs, UI text and a step helper for plain TF.js use (the batch-size rule is in engine/plan).
export {
  OptimizerConfigSchema,
  OPTIMIZERS,
  OPTIMIZER_DEFAULTS,
  type OptimizerConfig,
  type OptimizerConfigOf,
  type OptimizerKind,
} from './schema';
export { OPTIMIZER_INFO, type OptimizerInfo, type PaperRef } from './info';
export { optimizerFromConfig } from './from-config';
export { minimizeStep } from './apply-updates';
