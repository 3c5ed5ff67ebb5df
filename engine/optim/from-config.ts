import type { Role } from '../params';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { lamb } from './lamb';
import { lars } from './lars';
import { lion } from './lion';
import { momentum } from './momentum';
import { muon } from './muon';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import type { OptimizerConfig } from './schema';
import { sgd } from './sgd';
import type { GradientTransformation } from './transform';

/**
 * Builds the optimizer a run config names. `roles` (per parameter name) decide the LAMB/LARS
 * bias-and-norm exclusions and Muon's split: hidden 'kernel' matrices vs. AdamW for the rest.
 */
export function optimizerFromConfig(config: OptimizerConfig, roles: Readonly<Record<string, Role>>): GradientTransformation {
  switch (config.kind) {
    case 'sgd':
      return sgd(config);
    case 'momentum':
      return momentum(config);
    case 'nesterov':
      return nesterov(config);
    case 'adam':
      return adam(config);
    case 'adamw':
      return adamw(config);
    case 'rmsprop':
      return rmsprop(config);
    case 'adagrad':
      return adagrad(config);
    case 'lamb':
      return lamb({ ...config, roles });
    case 'lars':
      return lars({ ...config, roles });
    case 'lion':
      return lion(config);
    case 'muon':
      return muon({ ...config, roles });
  }
}
