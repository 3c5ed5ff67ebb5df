import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import type { LayerContext } from './context';
import { standardizeWeight } from './norm/weight-standardization';

export interface Conv2dSpec {
  readonly size: number;
  readonly inputs: number;
  readonly filters: number;
  /** A bias is redundant before a norm layer with a shift; off there. */
  readonly bias: boolean;
}

/** Kernel `[kh, kw, Cin, Cout]` (TF.js layout), He normal std √(2/(kh·kw·Cin)); bias zero. */
export function conv2dInit(rng: Rng, spec: Conv2dSpec): ParamInits {
  const fanIn = spec.size * spec.size * spec.inputs;
  const std = Math.sqrt(2 / fanIn);
  const w = new Float32Array(fanIn * spec.filters);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  const out: Record<string, ParamInits[string]> = {
    w: { role: 'kernel', shape: [spec.size, spec.size, spec.inputs, spec.filters], values: w },
  };
  if (spec.bias)
    out.b = { role: 'bias', shape: [spec.filters], values: new Float32Array(spec.filters) };
  return out;
}

export interface Conv2dOptions {
  readonly stride?: number;
  /** 'same', 'valid', or explicit symmetric zero padding in pixels. */
  readonly pad?: 'same' | 'valid' | number;
  /** Weight Standardization (variant C) of the kernel before the convolution. */
  readonly standardize?: boolean;
  /** Applied to the biased output; 'relu' runs fused with the convolution. Default 'linear'. */
  readonly activation?: 'linear' | 'relu';
}

/**
 * y[n,i,j,o] = Σ_{a,b,c} x[n, s·i+a−p, s·j+b−p, c]·W[a,b,c,o] + b[o], channels last (NHWC).
 * The quantizer sees the (standardized) kernel and the input. Convolution, bias and activation run
 * as one fused kernel: a separate broadcast bias add costs as much as the convolution on WASM.
 */
export function conv2dApply(
  params: NamedTensors,
  x: tf.Tensor4D,
  ctx: LayerContext,
  name: string,
  opts: Conv2dOptions = {},
): tf.Tensor4D {
  const raw = opts.standardize ? standardizeWeight(params.w) : params.w;
  const w = ctx.quant.weight(raw, 'kernel', `${name}/w`) as tf.Tensor4D;
  const input = ctx.quant.activation(x, name) as tf.Tensor4D;
  return tf.fused.conv2d({
    x: input,
    filter: w,
    strides: opts.stride ?? 1,
    pad: opts.pad ?? 'same',
    ...(params.b ? { bias: params.b } : {}),
    activation: opts.activation ?? 'linear',
  });
}
