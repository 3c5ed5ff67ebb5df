import type { ActivationFormat, GradientFormat, QuantConfig, WeightFormat } from './schema';

export interface PaperRef {
  readonly title: string;
  readonly url: string;
}

const BITNET = {
  title: 'The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits',
  url: 'https://arxiv.org/abs/2402.17764',
};
const RELOADED = {
  title: 'BitNet b1.58 Reloaded: State-of-the-art Performance Also on Smaller Networks',
  url: 'https://arxiv.org/abs/2407.09527',
};
const MESA = {
  title: 'Mesa: A Memory-saving Training Framework for Transformers',
  url: 'https://arxiv.org/abs/2111.11124',
};
const SURVEY = {
  title: 'Low-Precision Training of Large Language Models: Methods, Challenges, and Opportunities',
  url: 'https://arxiv.org/abs/2505.01043',
};
const FP8 = { title: 'FP8 Formats for Deep Learning', url: 'https://arxiv.org/abs/2209.05433' };

const BF16 = 'bfloat16: float32’s range with 8 significant bits (about 2–3 decimal digits).';
const FP16 =
  'float16: 11 significant bits, but values above 65504 saturate and tiny ones underflow.';
const E4M3 = 'FP8 E4M3: 4 significant bits, largest value 448; the usual forward-pass format.';
const E5M2 =
  'FP8 E5M2: 3 significant bits but a wide range (up to 57344); the usual gradient format.';

export interface QuantInfo {
  readonly summary: string;
  readonly fields: { readonly [F in keyof QuantConfig]: string };
  readonly weights: { readonly [F in WeightFormat]: string };
  readonly activations: { readonly [F in ActivationFormat]: string };
  readonly gradients: { readonly [F in GradientFormat]: string };
  readonly papers: readonly PaperRef[];
}

/** Plain-language text for the UI. */
export const QUANT_INFO: QuantInfo = {
  summary:
    'Trains with rounded numbers in the forward (and backward) pass while the optimizer keeps full-precision copies of the weights.',
  fields: {
    weights:
      'How hidden-layer weights are rounded before each forward pass; the optimizer still updates float32 copies.',
    activations: 'How the inputs of hidden layers are rounded.',
    gradients: 'How the gradient flowing back into each hidden layer is rounded.',
    perTensorScaling:
      'Stretch each tensor so its largest value uses the format’s full range; rescues small FP8 gradients from rounding to zero.',
    mesa: 'Keep the inputs saved for the backward pass in 8 bits (the forward pass stays exact); memory saving is estimated, not measured.',
    quantizeEmbeddingAndHead:
      'Also round the input embedding and the output layer, which BitNet keeps in full precision.',
  },
  weights: {
    none: 'Full float32.',
    'ternary-absmean':
      'BitNet b1.58: every weight becomes −γ, 0 or +γ, with γ the mean absolute weight.',
    'ternary-absmedian':
      'BitNet b1.58 Reloaded: ternary with γ the median absolute weight, which zeros fewer weights.',
    int8: '8-bit integers, one scale per tensor (largest weight ↦ 127).',
    int4: '4-bit integers, one scale per tensor (largest weight ↦ 7).',
    bf16: BF16,
    fp16: FP16,
    e4m3: E4M3,
    e5m2: E5M2,
  },
  activations: {
    none: 'Full float32.',
    'int8-127':
      'BitLinear: normalize each example (RMSNorm), then 8 bits per example with its largest value ↦ 127.',
    'int8-128':
      'As int8-127 but scaled by 128, as in the Reloaded code; the largest positive value clips to 127.',
    bf16: BF16,
    fp16: FP16,
    e4m3: E4M3,
    e5m2: E5M2,
  },
  gradients: { none: 'Full float32.', bf16: BF16, fp16: FP16, e4m3: E4M3, e5m2: E5M2 },
  papers: [BITNET, RELOADED, MESA, SURVEY, FP8],
};
