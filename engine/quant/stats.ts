import * as tf from '@tensorflow/tfjs-core';
import type { Role } from '../params';
import { quantizesRole, quantizeWeight } from './from-config';
import type { QuantConfig, WeightFormat } from './schema';

/** Per-layer weight statistics for the UI; read with `await data()`, outside the training loop. */
export interface WeightStats {
  readonly name: string;
  readonly role: Role;
  readonly quantized: boolean;
  /** Counts of the latent weights in `bins` equal bins over [min, max]. */
  readonly histogram: {
    readonly min: number;
    readonly max: number;
    readonly counts: readonly number[];
  };
  /** Fraction of weights that are exactly 0 as the forward pass sees them. */
  readonly zeroFraction: number;
  /** mean((W − Q(W))²), latent vs quantized; 0 when not quantized. */
  readonly mse: number;
}

export function histogram(values: Float32Array, bins: number): WeightStats['histogram'] {
  let min = Infinity;
  let max = -Infinity;
  for (const x of values) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins || 1;
  for (const x of values) counts[Math.min(bins - 1, Math.floor((x - min) / width))]++;
  return { min, max, counts };
}

/** Statistics of every parameter with a role that `config` quantizes (and the others, unquantized). */
export async function weightStats(
  params: Readonly<Record<string, tf.Tensor>>,
  roles: Readonly<Record<string, Role>>,
  config: QuantConfig,
  bins = 32,
): Promise<WeightStats[]> {
  const out: WeightStats[] = [];
  for (const name of Object.keys(params)) {
    const role = roles[name];
    if (role === 'bias' || role === 'norm') continue;
    const quantized = config.weights !== 'none' && quantizesRole(role, config);
    const latent = (await params[name].data()) as Float32Array;
    const q = quantized
      ? tf.tidy(() => quantizeWeight(params[name], config.weights, config.perTensorScaling))
      : undefined;
    const seen = q ? ((await q.data()) as Float32Array) : latent;
    q?.dispose();
    let zeros = 0;
    let se = 0;
    for (let i = 0; i < latent.length; i++) {
      if (seen[i] === 0) zeros++;
      se += (latent[i] - seen[i]) ** 2;
    }
    out.push({
      name,
      role,
      quantized,
      histogram: histogram(latent, bins),
      zeroFraction: zeros / latent.length,
      mse: se / latent.length,
    });
  }
  return out;
}

/** Storage bits per weight of each format; a quantized tensor also stores one float32 scale. */
export const BITS_PER_WEIGHT: { readonly [F in WeightFormat]: number } = {
  none: 32,
  'ternary-absmean': Math.log2(3),
  'ternary-absmedian': Math.log2(3),
  int8: 8,
  int4: 4,
  bf16: 16,
  fp16: 16,
  e4m3: 8,
  e5m2: 8,
};

/** Anything with a size: a `tf.Variable`, or `{ size }`. */
export type Sized = Readonly<Record<string, { readonly size: number }>>;

/** Bits to store the model as the forward pass sees it, and as float32. */
export function modelSizeBits(
  params: Sized,
  roles: Readonly<Record<string, Role>>,
  config: QuantConfig,
): { bits: number; float32Bits: number } {
  let bits = 0;
  let float32Bits = 0;
  for (const name of Object.keys(params)) {
    const n = params[name].size;
    float32Bits += 32 * n;
    const q = config.weights !== 'none' && quantizesRole(roles[name], config);
    bits += q ? BITS_PER_WEIGHT[config.weights] * n + 32 : 32 * n;
  }
  return { bits, float32Bits };
}

export interface MemoryEstimate {
  readonly weightBytes: number;
  /** Float32 bytes of the activations kept for the backward pass. */
  readonly activationBytes: number;
  /** What is actually kept: 8/32 of it with Mesa. */
  readonly storedActivationBytes: number;
  readonly totalBytes: number;
}

/**
 * Estimated training memory: weights as stored plus the activations kept for backward
 * (`storedActivations` elements, e.g. batch × the sum of every dense layer's input width).
 * Estimated only: TF.js has no uint8 tensors and reports no per-op memory.
 */
export function memoryEstimate(
  params: Sized,
  roles: Readonly<Record<string, Role>>,
  config: QuantConfig,
  storedActivations: number,
): MemoryEstimate {
  const weightBytes = modelSizeBits(params, roles, config).bits / 8;
  const activationBytes = 4 * storedActivations;
  const storedActivationBytes = config.mesa ? activationBytes * (8 / 32) : activationBytes;
  return {
    weightBytes,
    activationBytes,
    storedActivationBytes,
    totalBytes: weightBytes + storedActivationBytes,
  };
}
