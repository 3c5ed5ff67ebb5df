import * as v from 'valibot';

/** Config schemas for every model a run can name; `kind` selects the variant. */

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const MlpConfigSchema = v.strictObject({
  kind: v.literal('mlp'),
  /** Width of each hidden layer; an empty list is a linear model. */
  hidden: v.pipe(v.array(int(1, 256)), v.maxLength(8)),
  activation: v.picklist(ACTIVATIONS),
});

export const ModelConfigSchema = v.variant('kind', [MlpConfigSchema]);

export type ModelConfig = v.InferOutput<typeof ModelConfigSchema>;
export type ModelKind = ModelConfig['kind'];
export type MlpConfig = v.InferOutput<typeof MlpConfigSchema>;

export const MODELS: readonly ModelKind[] = ['mlp'];

/** Defaults used when the user picks a model. */
export const MODEL_DEFAULTS: { readonly [K in ModelKind]: Extract<ModelConfig, { kind: K }> } = {
  mlp: { kind: 'mlp', hidden: [32, 32], activation: 'relu' },
};
