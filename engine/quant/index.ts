// Fake quantization with straight-through gradients, and the statistics the UI shows.
export { straightThrough, quantizeBackward } from './straight-through';
export { ternary, ternaryQuantize, ternaryScale, lowerMedian, type TernaryScale } from './ternary';
export {
  absmaxQuantize,
  rmsNormNoGain,
  bitLinearInput,
  type ActivationLevels,
} from './int8-activations';
export { symmetricInt, symmetricIntQuantize } from './int-k';
export {
  floatFormat,
  floatFormatGradient,
  floatFormatQuantize,
  scaledFloatFormatQuantize,
  FORMATS,
  type FloatFormat,
  type FormatSpec,
} from './float-format';
export {
  createMesaMatMul,
  mesaQuantize,
  updateMesaRange,
  type MesaOptions,
  type MesaRange,
} from './mesa';
export {
  quantizerFromConfig,
  quantizeWeight,
  quantizesRole,
  type QuantizerOptions,
} from './from-config';
export {
  QuantConfigSchema,
  QUANT_DEFAULT,
  QUANT_PRESETS,
  WEIGHT_FORMATS,
  ACTIVATION_FORMATS,
  GRADIENT_FORMATS,
  isQuantOff,
  type QuantConfig,
  type WeightFormat,
  type ActivationFormat,
  type GradientFormat,
} from './schema';
export { QUANT_INFO, type QuantInfo } from './info';
export {
  weightStats,
  histogram,
  modelSizeBits,
  memoryEstimate,
  BITS_PER_WEIGHT,
  type WeightStats,
  type MemoryEstimate,
  type Sized,
} from './stats';
