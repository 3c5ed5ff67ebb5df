import * as tf from '@tensorflow/tfjs-core';
import type { Role } from '../params';

/**
 * Fake quantization hooks a layer calls on its weights and inputs. A quantizer wraps layers;
 * models never branch on it. The identity quantizer returns its inputs.
 */
export interface Quantizer {
  /** The weight as the forward pass should see it (straight-through gradient to the latent weight). */
  weight(w: tf.Tensor, role: Role, name: string): tf.Tensor;
  /** A layer's input activation as the forward pass should see it. */
  activation(x: tf.Tensor, name: string): tf.Tensor;
  /** x·W for a dense layer: lets a quantizer change what the backward pass stores (Mesa). */
  matMul(x: tf.Tensor2D, w: tf.Tensor2D, name: string): tf.Tensor2D;
}

export const IDENTITY_QUANTIZER: Quantizer = {
  weight: (w) => w,
  activation: (x) => x,
  matMul: (x, w) => tf.matMul(x, w),
};

/**
 * Non-trainable state that layers read and update in the forward pass (BatchNorm running
 * statistics, quantizer ranges). Owned by the run: snapshotted with the params.
 */
export class Buffers {
  readonly #values = new Map<string, tf.Tensor>();

  get(name: string): tf.Tensor | undefined {
    return this.#values.get(name);
  }

  /** Stores a new value (kept out of any tidy) and disposes the one it replaces. */
  set(name: string, value: tf.Tensor): void {
    const old = this.#values.get(name);
    this.#values.set(name, tf.keep(value));
    if (old && old !== value) old.dispose();
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  dispose(): void {
    for (const t of this.#values.values()) t.dispose();
    this.#values.clear();
  }
}

/** What a layer's `apply` knows about the call. */
export interface LayerContext {
  readonly training: boolean;
  /** 0-based optimizer step. */
  readonly step: number;
  readonly quant: Quantizer;
  readonly buffers: Buffers;
}

/** A context for inference outside a run (tests, tools). */
export function inferenceContext(buffers = new Buffers()): LayerContext {
  return { training: false, step: 0, quant: IDENTITY_QUANTIZER, buffers };
}
