import type { Mnist } from '../data/mnist';

/**
 * The validation split a learning-rate grid is chosen on (engine/presets/README.md, rule 3):
 * carved from the end of the training data, so tuning never sees the test split. With
 * `heldOut: 'validation'` a task trains on what is left and reports the carved part as "test".
 */
export const VALIDATION_DIGITS = 2000;
/** The fraction of a corpus's training characters carved off as validation. */
export const VALIDATION_FRACTION = 0.1;

/** MNIST with its last VALIDATION_DIGITS training digits moved to the held-out split. */
export function mnistValidation(mnist: Mnist): Mnist {
  const px = mnist.side * mnist.side;
  const keep = mnist.train.count - VALIDATION_DIGITS;
  if (keep <= 0) throw new Error('too few training digits to carve a validation split');
  const { pixels, labels } = mnist.train;
  return {
    side: mnist.side,
    train: { count: keep, pixels: pixels.subarray(0, keep * px), labels: labels.subarray(0, keep) },
    test: {
      count: VALIDATION_DIGITS,
      pixels: pixels.subarray(keep * px, (keep + VALIDATION_DIGITS) * px),
      labels: labels.subarray(keep, keep + VALIDATION_DIGITS),
    },
  };
}

/** A token stream's training part split into (train, validation); the validation part is last. */
export function corpusValidation(
  train: Int32Array,
  minimum: number,
): { train: Int32Array; test: Int32Array } {
  const cut = Math.floor(train.length * (1 - VALIDATION_FRACTION));
  if (train.length - cut <= minimum)
    throw new Error('too few training characters to carve a validation split');
  return { train: train.subarray(0, cut), test: train.subarray(cut) };
}
