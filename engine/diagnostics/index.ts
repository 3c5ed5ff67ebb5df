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
export { fitLine, fitPowerLaw, fitPowerLawWithOffset, fitCriticalBatch, spearman, type LineFit, type PowerLawFit, type CriticalBatchFit } from './scaling-fit';
