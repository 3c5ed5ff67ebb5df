import * as v from 'valibot';

/** Config schemas for every dataset a run can name; `kind` selects the variant. */

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const real = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));

export const TOY_2D_KINDS = ['spiral', 'circles', 'xor', 'gaussians', 'plane'] as const;
export type Toy2DKind = (typeof TOY_2D_KINDS)[number];

export const Toy2DConfigSchema = v.strictObject({
  kind: v.picklist(TOY_2D_KINDS),
  /** Number of points generated before the split. */
  samples: int(50, 4000),
  /** Standard deviation of the noise, as a fraction of the data's extent. */
  noise: real(0, 0.5),
  /** Fraction of the points used for training; the rest are the test set. */
  trainFraction: real(0.1, 0.9),
});

export const DataConfigSchema = v.variant('kind', [Toy2DConfigSchema]);

export type DataConfig = v.InferOutput<typeof DataConfigSchema>;
export type DatasetKind = DataConfig['kind'];
export type Toy2DConfig = v.InferOutput<typeof Toy2DConfigSchema>;

/** Every dataset kind, in the order the UI lists them. */
export const DATASETS: readonly DatasetKind[] = [...TOY_2D_KINDS];

const toy2d = <K extends Toy2DKind>(kind: K): Toy2DConfig & { kind: K } => ({ kind, samples: 400, noise: 0.05, trainFraction: 0.5 });

/** Defaults used when the user picks a dataset. */
export const DATA_DEFAULTS: { readonly [K in DatasetKind]: DataConfig & { readonly kind: K } } = {
  spiral: toy2d('spiral'),
  circles: toy2d('circles'),
  xor: toy2d('xor'),
  gaussians: toy2d('gaussians'),
  plane: toy2d('plane'),
};

export function isToy2D(config: DataConfig): config is Toy2DConfig {
  return (TOY_2D_KINDS as readonly string[]).includes(config.kind);
}
