import type { ParseResult } from '../config';

/** Path of the MNIST-10k binary under the app's static root (built by scripts/build-data.mjs). */
export const MNIST_ASSET = 'data/mnist-10k.bin';

const MAGIC = 'MN10';
const HEADER_BYTES = 16;

/** One split: `count` images of side×side uint8 pixels (row-major) and their digit labels. */
export interface MnistSplit {
  readonly count: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

export interface Mnist {
  readonly side: number;
  readonly train: MnistSplit;
  readonly test: MnistSplit;
}

/**
 * Parses the MNIST-10k binary. Layout (little-endian): "MN10" | u16 version (1) | u16 side |
 * u32 train count | u32 test count | pixels (train+test)·side² uint8 | labels (train+test) uint8.
 * Checks the magic, version, sizes and labels; never throws.
 */
export function parseMnist(buffer: ArrayBuffer): ParseResult<Mnist> {
  if (buffer.byteLength < HEADER_BYTES)
    return {
      ok: false,
      message: `MNIST file too short for its header (${buffer.byteLength} bytes)`,
    };
  const view = new DataView(buffer);
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
  if (magic !== MAGIC)
    return {
      ok: false,
      message: `not an MNIST-10k file (magic "${magic}", expected "${MAGIC}"); rebuild it with scripts/build-data.mjs`,
    };
  const version = view.getUint16(4, true);
  if (version !== 1)
    return { ok: false, message: `MNIST file version ${version} is not supported (expected 1)` };
  const side = view.getUint16(6, true);
  const nTrain = view.getUint32(8, true);
  const nTest = view.getUint32(12, true);
  if (side === 0 || nTrain === 0 || nTest === 0)
    return {
      ok: false,
      message: `MNIST header has an empty size (side ${side}, ${nTrain} train, ${nTest} test)`,
    };
  const n = nTrain + nTest;
  const expected = HEADER_BYTES + n * side * side + n;
  if (buffer.byteLength !== expected) {
    return {
      ok: false,
      message: `MNIST file is ${buffer.byteLength} bytes; its header (${nTrain}+${nTest} images of ${side}×${side}) needs ${expected}`,
    };
  }
  const pixels = new Uint8Array(buffer, HEADER_BYTES, n * side * side);
  const labels = new Uint8Array(buffer, HEADER_BYTES + n * side * side, n);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0)
    return { ok: false, message: `MNIST label ${labels[bad]} of image ${bad} is not a digit` };
  const px = side * side;
  return {
    ok: true,
    value: {
      side,
      train: {
        count: nTrain,
        pixels: pixels.subarray(0, nTrain * px),
        labels: labels.subarray(0, nTrain),
      },
      test: { count: nTest, pixels: pixels.subarray(nTrain * px), labels: labels.subarray(nTrain) },
    },
  };
}
