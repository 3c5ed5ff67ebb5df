import * as tf from '@tensorflow/tfjs-core';
import type { Buffers, Quantizer } from '../layers/context';
import type { Role } from '../params';
import { floatFormat, floatFormatGradient } from './float-format';
import { symmetricInt } from './int-k';
import { bitLinearInput } from './int8-activations';
import { createMesaMatMul, type MesaOptions } from './mesa';
import type { QuantConfig, WeightFormat } from './schema';
import { ternary } from './ternary';

/** Whether a parameter of `role` is quantized: hidden kernels; embedding and head only on request. */
export function quantizesRole(role: Role, config: QuantConfig): boolean {
  if (role === 'kernel') return true;
  return config.quantizeEmbeddingAndHead && (role === 'embedding' || role === 'head');
}

/** The weight as the forward pass sees it, straight-through to `w`. */
export function quantizeWeight(
  w: tf.Tensor,
  format: WeightFormat,
  perTensorScaling = false,
): tf.Tensor {
  switch (format) {
    case 'none':
      return w;
    case 'ternary-absmean':
      return ternary(w, 'absmean');
    case 'ternary-absmedian':
      return ternary(w, 'absmedian');
    case 'int8':
      return symmetricInt(w, 8);
    case 'int4':
      return symmetricInt(w, 4);
    default:
      return floatFormat(w, format, perTensorScaling);
  }
}

export interface QuantizerOptions {
  /** False for evaluation: Mesa leaves its running ranges alone and the product is plain. */
  readonly training?: boolean;
  readonly mesa?: MesaOptions;
}

/**
 * The `Quantizer` a config names, for parameters of the declared `roles` (by parameter name, as
 * `createParams` returns them). Biases, norms and routers never quantize; see `quantizesRole`.
 * A weight's role is its declared one (the role a layer passes only for undeclared names);
 * `activation(x, layer)` and `matMul(x, w, layer)` use the role declared for the layer's weight
 * `layer/w`, so the answer does not depend on which call came first; layers with no declared
 * weight stay float. When only Mesa or gradients are on, `weight` returns a clone so dense layers
 * take the `matMul` hook instead of their fused kernel.
 */
export function quantizerFromConfig(
  config: QuantConfig,
  buffers: Buffers,
  roles: Readonly<Record<string, Role>>,
  options: QuantizerOptions = {},
): Quantizer {
  const training = options.training ?? true;
  const quantized = (layer: string) => {
    const role = roles[`${layer}/w`];
    return role !== undefined && quantizesRole(role, config);
  };
  const mesaMatMul = config.mesa && training ? createMesaMatMul(buffers, options.mesa) : undefined;
  const { weights, activations, gradients, perTensorScaling } = config;
  return {
    weight(w, role, name) {
      const q = quantizesRole(roles[name] ?? role, config);
      if (q && weights !== 'none') return quantizeWeight(w, weights, perTensorScaling);
      return mesaMatMul || (q && gradients !== 'none') ? tf.clone(w) : w;
    },
    activation(x, name) {
      if (activations === 'none' || !quantized(name)) return x;
      if (activations === 'int8-127') return bitLinearInput(x, 127);
      if (activations === 'int8-128') return bitLinearInput(x, 128);
      return floatFormat(x, activations, perTensorScaling);
    },
    matMul(x, w, name) {
      const y = mesaMatMul ? mesaMatMul(x, w, name) : (tf.matMul(x, w) as tf.Tensor2D);
      return gradients !== 'none' && quantized(name)
        ? (floatFormatGradient(y, gradients, perTensorScaling) as tf.Tensor2D)
        : y;
    },
  };
}
