import * as v from 'valibot';
import { int, real } from '../schema-helpers';

/** Config schemas for every model a run can name; `kind` selects the variant. */

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Normalization layers (docs/algorithms.md#normalization). Placement is fixed per model: MLP after
 * each hidden Linear,
 * before the activation; transformers pre-LN (CCT in its reference order); CNN after each conv.
 */
export const NORMS = ['none', 'batch', 'layer', 'rms', 'group', 'batch-channel'] as const;
export type NormKind = (typeof NORMS)[number];

const norm = v.picklist(NORMS);

export const MlpConfigSchema = v.strictObject({
  kind: v.literal('mlp'),
  /** Width of each hidden layer; an empty list is a linear model. */
  hidden: v.pipe(v.array(int(1, 256)), v.maxLength(8)),
  activation: v.picklist(ACTIVATIONS),
  /** Normalization after each hidden Linear, before the activation; absent means none. */
  norm: v.optional(norm),
  /** Weight Standardization (variant C) of the hidden kernels; meant to pair with batch/group/batch-channel norm. */
  weightStandardization: v.optional(v.boolean()),
});

/** Conv(3×3, same) → norm → ReLU → MaxPool(2) per entry of `channels`, then a linear head. */
export const CnnConfigSchema = v.strictObject({
  kind: v.literal('cnn'),
  channels: v.pipe(v.array(int(1, 64)), v.minLength(1), v.maxLength(4)),
  norm,
  weightStandardization: v.boolean(),
});

export const CCT_TOKENIZERS = ['conv', 'patch'] as const;
export const CCT_POOLINGS = ['sequence', 'class'] as const;

/**
 * Compact Convolutional Transformer (docs/algorithms.md#models): conv tokenizer, encoder blocks,
 * sequence pooling. With the patch tokenizer and a class token it is ViT-lite, CCT's baseline.
 */
export const CctConfigSchema = v.strictObject({
  kind: v.literal('cct'),
  /** Conv(3×3) → ReLU → MaxPool(3, s2) blocks of the tokenizer: 28 → 14 → 7 gives 49 tokens. */
  convLayers: int(1, 3),
  /** Token width d (the last conv's channels); earlier convs have d/2. */
  dim: int(8, 128),
  layers: int(1, 4),
  heads: int(1, 8),
  mlpRatio: real(0.5, 4),
  norm,
  /**
   * How the image becomes tokens: `conv` (CCT's tokenizer, above) or `patch` (ViT's: the image cut
   * into non-overlapping squares of 2^convLayers pixels, zero-padded to whole squares, each mapped
   * by one linear layer; as many tokens as the conv tokenizer gives).
   */
  tokenizer: v.optional(v.picklist(CCT_TOKENIZERS)),
  /** How the tokens become one vector: `sequence` (CCT's attention pooling) or `class` (ViT's learned class token). */
  pooling: v.optional(v.picklist(CCT_POOLINGS)),
});

/** How a character transformer is pretrained (engine/tasks/objectives). */
export const OBJECTIVES = ['causal', 'mlm', 'electra'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Decoder-only transformer: token + position embeddings, pre-LN causal blocks, final norm, linear head. */
export const TransformerConfigSchema = v.strictObject({
  kind: v.literal('transformer'),
  dim: int(8, 256),
  layers: int(1, 6),
  heads: int(1, 8),
  mlpRatio: real(0.5, 8),
  norm,
  /**
   * Pretraining objective on character data (docs/algorithms.md#pretraining-objectives): next
   * character (causal, the default when absent), masked LM, or ELECTRA's replaced-token detection.
   */
  objective: v.optional(v.picklist(OBJECTIVES)),
  /** ELECTRA only: weight λ of the replaced-token-detection loss (loss = MLM_gen + λ·RTD). */
  rtdWeight: v.optional(real(0, 1000)),
});

export const LBL_SCOPES = ['micro', 'global'] as const;
export type LblScope = (typeof LBL_SCOPES)[number];

/**
 * The decoder-only transformer with every FFN a mixture of experts
 * (docs/algorithms.md#mixture-of-experts).
 */
export const MoeConfigSchema = v.strictObject({
  kind: v.literal('moe'),
  dim: int(8, 256),
  layers: int(1, 6),
  heads: int(1, 8),
  /** Hidden width of each expert, as a multiple of `dim`. */
  mlpRatio: real(0.5, 8),
  norm,
  experts: int(2, 16),
  topK: int(1, 4),
  /** C = ⌈cf·K·T/N_E⌉ tokens per expert, overflow dropped; 0 is dropless. */
  capacityFactor: real(0, 8),
  /** Weight α of the load-balancing loss: total = task + α·mean LBL over MoE layers. */
  lblAlpha: real(0, 1),
  /** f_i counted per micro-batch or over the global batch (Demons in the Detail). */
  lblScope: v.picklist(LBL_SCOPES),
});

export const ModelConfigSchema = v.variant('kind', [
  MlpConfigSchema,
  CnnConfigSchema,
  CctConfigSchema,
  TransformerConfigSchema,
  MoeConfigSchema,
]);

export type ModelConfig = v.InferOutput<typeof ModelConfigSchema>;
export type ModelKind = ModelConfig['kind'];
export type MlpConfig = v.InferOutput<typeof MlpConfigSchema>;
export type CnnConfig = v.InferOutput<typeof CnnConfigSchema>;
export type CctConfig = v.InferOutput<typeof CctConfigSchema>;
export type TransformerConfig = v.InferOutput<typeof TransformerConfigSchema>;
export type MoeConfig = v.InferOutput<typeof MoeConfigSchema>;

export const MODELS: readonly ModelKind[] = ['mlp', 'cnn', 'cct', 'transformer', 'moe'];

/** Defaults used when the user picks a model. */
export const MODEL_DEFAULTS: { readonly [K in ModelKind]: Extract<ModelConfig, { kind: K }> } = {
  mlp: {
    kind: 'mlp',
    hidden: [32, 32],
    activation: 'relu',
    norm: 'none',
    weightStandardization: false,
  },
  cnn: { kind: 'cnn', channels: [8, 16], norm: 'none', weightStandardization: false },
  cct: { kind: 'cct', convLayers: 2, dim: 16, layers: 1, heads: 2, mlpRatio: 1, norm: 'layer' },
  transformer: { kind: 'transformer', dim: 32, layers: 2, heads: 2, mlpRatio: 4, norm: 'layer' },
  moe: {
    kind: 'moe',
    dim: 32,
    layers: 2,
    heads: 2,
    mlpRatio: 2,
    norm: 'layer',
    experts: 4,
    topK: 1,
    capacityFactor: 0,
    lblAlpha: 0.01,
    lblScope: 'micro',
  },
};

/**
 * Each model's default number of steps, sized so that its default run finishes in about a minute
 * on a 2-core machine and keeps improving to its end (engine/defaults.test.ts guards that); pairs
 * that differ are in engine/tasks/default-run.ts. Measured with scripts/time-defaults.ts: the test
 * build in Chromium, backend auto (it picked wasm for all but the 2-D MLP), Play to finished, on 2
 * cores shared with other agents' work (load average 15-28: a quiet machine is faster).
 * - mlp: spiral 800 steps in 1.6 s (cpu), MNIST 800 in 9.4 s (85 steps/s, wasm).
 * - cnn: MNIST 10.4 steps/s (the old 300 steps took 31 s); 500 steps took 57.9 s (9.0 steps/s).
 * - cct: the old default (dim 32, 2 blocks) ran 0.42 steps/s, its 150 steps took 374 s, and it
 *   stayed at chance (test loss 2.31); the smaller one ran 4.4 steps/s (90 steps in 35 s) and
 *   2.4 at a heavier load (200 steps in 98 s), and learns at Adam 0.01 (test loss 2.27 → 1.43 in
 *   200 steps with the engine, still falling at the end).
 * - transformer: chars 150 steps in 49-51 s (2.9-3.1 steps/s), text in 61 s (2.4 steps/s).
 * - moe: the old 150 steps took 125-132 s on chars and text (1.15 steps/s); 70 steps took 44 s
 *   (chars) and 26 s (text).
 */
export const MODEL_STEPS: { readonly [K in ModelKind]: number } = {
  mlp: 800,
  cnn: 500,
  cct: 200,
  transformer: 150,
  moe: 70,
};
