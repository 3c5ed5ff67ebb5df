import type { OptimizerConfig } from './schema';
import type { Role } from '../params';
import { adam } from './adam';
import { sgd } from './sgd';
import type { GradientTransformation } from './transform';

/** Builds the optimizer a run config names. */
export function optimizerFromConfig(config: OptimizerConfig, _roles: Readonly<Record<string, Role>>): GradientTransformation {
  switch (config.kind) {
    case 'sgd':
      return sgd({ lr: config.lr });
    case 'adam':
      return adam({ lr: config.lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps });
  }
}
