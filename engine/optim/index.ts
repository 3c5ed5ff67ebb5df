export type { GradientTransformation, LearningRate } from './transform';
export { chain } from './chain';
export { scaleByAdam, type AdamOptions, type AdamState } from './scale-by-adam';
export { scaleByLearningRate } from './scale-by-learning-rate';
export { sgd, type SgdOptions } from './sgd';
export { adam, type AdamConfig } from './adam';
export { optimizerFromConfig } from './from-config';
