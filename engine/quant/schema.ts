import * as v from 'valibot';

/** Fake quantization of a run: what the forward pass sees, and what flows back. Cold: changing it forks. */

export const WEIGHT_FORMATS = [
  'none',
  'ternary-absmean',
  'ternary-absmedian',
  'int8',
  'int4',
  'bf16',
  'fp16',
  'e4m3',
  'e5m2',
] as const;
export const ACTIVATION_FORMATS = [
  'none',
  'int8-127',
  'int8-128',
  'bf16',
  'fp16',
  'e4m3',
  'e5m2',
] as const;
export const GRADIENT_FORMATS = ['none', 'bf16', 'fp16', 'e4m3', 'e5m2'] as const;

export type WeightFormat = (typeof WEIGHT_FORMATS)[number];
export type ActivationFormat = (typeof ACTIVATION_FORMATS)[number];
export type GradientFormat = (typeof GRADIENT_FORMATS)[number];

export const QuantConfigSchema = v.strictObject({
  /** Hidden-layer weights in the forward pass (straight-through to the float32 latent weights). */
  weights: v.picklist(WEIGHT_FORMATS),
  /** Hidden-layer inputs; the int8 choices first apply BitLinear's gain-free RMSNorm. */
  activations: v.picklist(ACTIVATION_FORMATS),
  /** The gradient at each hidden layer's output (dy), rounded on the way back. */
  gradients: v.picklist(GRADIENT_FORMATS),
  /** bf16/fp16/fp8 only: scale each tensor so its largest value meets the format's largest. */
  perTensorScaling: v.boolean(),
  /** Mesa: exact forward, 8-bit stored activations for every dense layer's backward pass. */
  mesa: v.boolean(),
  /** Also quantize the embedding and the output head (BitNet keeps them in float32). */
  quantizeEmbeddingAndHead: v.boolean(),
});

export type QuantConfig = v.InferOutput<typeof QuantConfigSchema>;

/** All off: the float32 model. */
export const QUANT_DEFAULT: QuantConfig = {
  weights: 'none',
  activations: 'none',
  gradients: 'none',
  perTensorScaling: false,
  mesa: false,
  quantizeEmbeddingAndHead: false,
};

/**
 * Named starting points for the UI and the presets (docs/algorithms.md#paper-gallery, presets 9,
 * 17, 18).
 */
export const QUANT_PRESETS = {
  float32: QUANT_DEFAULT,
  'b1.58-absmean': { ...QUANT_DEFAULT, weights: 'ternary-absmean', activations: 'int8-127' },
  'b1.58-absmedian': { ...QUANT_DEFAULT, weights: 'ternary-absmedian', activations: 'int8-128' },
  bf16: { ...QUANT_DEFAULT, weights: 'bf16', activations: 'bf16', gradients: 'bf16' },
  fp8: {
    ...QUANT_DEFAULT,
    weights: 'e4m3',
    activations: 'e4m3',
    gradients: 'e5m2',
    perTensorScaling: true,
  },
  int8: { ...QUANT_DEFAULT, weights: 'int8' },
  mesa: { ...QUANT_DEFAULT, mesa: true },
} as const satisfies Readonly<Record<string, QuantConfig>>;

/** True when the config changes nothing. */
export function isQuantOff(c: QuantConfig): boolean {
  return c.weights === 'none' && c.activations === 'none' && c.gradients === 'none' && !c.mesa;
}
