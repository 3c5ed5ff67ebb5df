/**
 * The TF.js-free part of the engine's surface: the run config schema and the 2-D dataset
 * generators. The UI imports this entry (never `index.ts`), so no TF.js code reaches its bundle.
 */
export * from './config';
export { makeToy2D, type Toy2D, type Toy2DSplit } from './data/toy-2d';
export { EvalBudget } from './eval-budget';
export { METRIC_COLUMNS, type MetricChunk, type MetricName } from './metrics';
export type { WidthEvaluation } from './metrics';
export { OPTIMIZER_INFO, type OptimizerInfo, type PaperRef } from './optim/info';
export * from './plan/run-plan';
export * from './schedule/index';
export {
  QuantConfigSchema,
  QUANT_DEFAULT,
  QUANT_PRESETS,
  WEIGHT_FORMATS,
  ACTIVATION_FORMATS,
  GRADIENT_FORMATS,
  isQuantOff,
} from './quant/schema';
export type { QuantConfig, WeightFormat, ActivationFormat, GradientFormat } from './quant/schema';
export { QUANT_INFO, type QuantInfo } from './quant/info';
export type * from './tasks/views';
export { COMPATIBLE_MODELS, incompatibility } from './tasks/compatibility';
export { defaultRun, pairDefaults, type PairDefaults } from './tasks/default-run';
export { parseCsv, CSV_LIMITS } from './data/csv';
export { parseText } from './data/text';
export * from './data/dataset';
export { PRESETS, presetById } from './presets/index';
export type * from './presets/types';
export { armConfig, galleryArmConfig, usesChosenRates } from './presets/arm-config';
export { armResult, type ArmCurves } from './presets/arm-result';
export { readLines, type ReadLine } from './presets/reads';
export { stabilityThreshold, type StabilityThreshold } from './diagnostics/stability';
export {
  estimateCriticalBatch,
  stepsToTarget,
  type CriticalBatchEstimate,
} from './diagnostics/critical-batch';
export { fitPowerLaw, type PowerLawFit } from './diagnostics/scaling-fit';
export {
  smoothCurve,
  suggestLr,
  type LrFinderPoint,
  type LrSuggestion,
} from './diagnostics/lr-suggest';
export { lossPlateau, chanceLoss, type Plateau } from './diagnostics/plateau';
export { IN_CONTEXT_TASKS } from './data/in-context-schema';
