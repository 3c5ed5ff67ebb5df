/** Diagnostics beyond the per-step metrics: Hessian spectrum, LR range test, scaling-law fits. */
export {
  hessianVectorProduct,
  powerIteration,
  lanczos,
  symmetricEigen,
  taskHvp,
  topHessianEigenvalue,
  batchHessianCurve,
  type Hvp,
  type PowerIterationOptions,
  type PowerIterationResult,
  type LanczosResult,
  type BatchHessianPoint,
} from './hessian';
export { lrRangeTest, type LrRangeOptions, type LrRangeResult } from './lr-range-test';
export {
  fitLine,
  fitPowerLaw,
  fitPowerLawWithOffset,
  fitCriticalBatch,
  spearman,
  type LineFit,
  type PowerLawFit,
  type CriticalBatchFit,
} from './scaling-fit';
export { sampleIndices } from './hessian';
export {
  measureSharpness,
  batchHessianAt,
  sharpnessBatch,
  type SharpnessMethod,
  type SharpnessOptions,
  type SharpnessMeasurement,
} from './sharpness';
export {
  findLearningRate,
  suggestLr,
  smoothCurve,
  type LrFinderOptions,
  type LrFinderPoint,
  type LrFinderResult,
  type LrSuggestion,
  type LrFinderHooks,
} from './lr-finder';
export { stabilityThreshold, type StabilityThreshold } from './stability';
export { estimateCriticalBatch, stepsToTarget, type CriticalBatchEstimate } from './critical-batch';
