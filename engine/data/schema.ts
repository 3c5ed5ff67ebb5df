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

/** MNIST-10k: 8,000 training and 2,000 test digits from `public/data/mnist-10k.bin`. */
export const MnistConfigSchema = v.strictObject({
  kind: v.literal('mnist'),
  /** Training digits used (the first n of the fixed 8,000); fewer trains faster. */
  trainSamples: int(100, 8000),
});

/** Procedurally generated character "domains" for language models (see `data/chars.ts`). */
export const CHAR_DOMAINS = ['arithmetic', 'brackets', 'grammar'] as const;
export type CharDomain = (typeof CHAR_DOMAINS)[number];

export const CharsConfigSchema = v.strictObject({
  kind: v.literal('chars'),
  /** Domains mixed into the corpus, sentence by sentence. */
  domains: v.pipe(v.array(v.picklist(CHAR_DOMAINS)), v.minLength(1), v.maxLength(CHAR_DOMAINS.length)),
  /** Characters of context the model sees; it predicts the next one at every position. */
  sequenceLength: int(4, 128),
  /** Characters in the training corpus (the test corpus is a tenth of this, from another stream). */
  corpusChars: int(1000, 200_000),
  /**
   * Absent: each sentence draws its domain. Otherwise a drawn domain keeps writing sentences for
   * at least this many characters, so most windows hold one domain (the MoE preset).
   */
  domainRun: v.optional(int(1, 10_000)),
});

/** a + b mod p for every pair (a, b); the model reads `a + b =` and predicts the sum. */
export const ModularConfigSchema = v.strictObject({
  kind: v.literal('modular'),
  p: int(3, 199),
  trainFraction: real(0.05, 0.95),
});

/** The user's pasted text, learned character by character. Its content is checked by `parseText`. */
export const TextConfigSchema = v.strictObject({
  kind: v.literal('text'),
  text: v.pipe(v.string(), v.maxLength(200_000)),
  sequenceLength: int(4, 128),
});

/** The user's CSV: numeric feature columns, the last column a class label. Checked by `parseCsv`. */
export const CsvConfigSchema = v.strictObject({
  kind: v.literal('csv'),
  text: v.pipe(v.string(), v.maxLength(500_000)),
  trainFraction: real(0.1, 0.9),
});

export const DataConfigSchema = v.variant('kind', [
  Toy2DConfigSchema,
  MnistConfigSchema,
  CharsConfigSchema,
  ModularConfigSchema,
  TextConfigSchema,
  CsvConfigSchema,
]);

export type DataConfig = v.InferOutput<typeof DataConfigSchema>;
export type DatasetKind = DataConfig['kind'];
export type Toy2DConfig = v.InferOutput<typeof Toy2DConfigSchema>;
export type MnistConfig = v.InferOutput<typeof MnistConfigSchema>;
export type CharsConfig = v.InferOutput<typeof CharsConfigSchema>;
export type ModularConfig = v.InferOutput<typeof ModularConfigSchema>;
export type TextConfig = v.InferOutput<typeof TextConfigSchema>;
export type CsvConfig = v.InferOutput<typeof CsvConfigSchema>;

/** Every dataset kind, in the order the UI lists them. */
export const DATASETS: readonly DatasetKind[] = [...TOY_2D_KINDS, 'mnist', 'chars', 'modular', 'text', 'csv'];

const toy2d = <K extends Toy2DKind>(kind: K): Toy2DConfig & { kind: K } => ({ kind, samples: 400, noise: 0.05, trainFraction: 0.5 });

const SAMPLE_TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(8);
const SAMPLE_CSV = 'x,y,label\n0.1,0.2,a\n0.9,0.8,b\n0.2,0.1,a\n0.8,0.9,b\n0.15,0.3,a\n0.7,0.85,b\n0.3,0.2,a\n0.95,0.7,b\n0.05,0.1,a\n0.85,0.95,b\n';

/** Defaults used when the user picks a dataset. */
export const DATA_DEFAULTS: { readonly [K in DatasetKind]: DataConfig & { readonly kind: K } } = {
  spiral: toy2d('spiral'),
  circles: toy2d('circles'),
  xor: toy2d('xor'),
  gaussians: toy2d('gaussians'),
  plane: toy2d('plane'),
  mnist: { kind: 'mnist', trainSamples: 8000 },
  chars: { kind: 'chars', domains: ['arithmetic', 'brackets', 'grammar'], sequenceLength: 32, corpusChars: 20_000 },
  modular: { kind: 'modular', p: 23, trainFraction: 0.5 },
  text: { kind: 'text', text: SAMPLE_TEXT, sequenceLength: 32 },
  csv: { kind: 'csv', text: SAMPLE_CSV, trainFraction: 0.7 },
};

export function isToy2D(config: DataConfig): config is Toy2DConfig {
  return (TOY_2D_KINDS as readonly string[]).includes(config.kind);
}
