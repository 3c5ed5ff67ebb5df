import type { Role } from '../params';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { flattened } from './flatten';
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
 * The config's `lr` is the rate of an update given none; a run gives each update its plan's
 * rate (engine/plan/run-plan.ts), and Muon's `adamLr` keeps its ratio to it.
 * The elementwise optimizers with state (momentum, Nesterov, Adam, RMSProp, Adagrad, Lion) run
 * `flattened`: one update on all parameters concatenated, their state one flat tensor per moment.
 * SGD stays per parameter (one kernel each; the concat and split would cost more than they save),
 * as do AdamW (masked decay), LAMB, LARS and Muon (per-tensor masks, norms, shapes).
 */
export function optimizerFromConfig(
  config: OptimizerConfig,
  roles: Readonly<Record<string, Role>>,
): GradientTransformation {
  switch (config.kind) {
    case 'sgd':
      return sgd(config);
    case 'momentum':
      return flattened(momentum(config));
    case 'nesterov':
      return flattened(nesterov(config));
    case 'adam':
      return flattened(adam(config));
    case 'adamw':
      return adamw(config);
    case 'rmsprop':
      return flattened(rmsprop(config));
    case 'adagrad':
      return flattened(adagrad(config));
    case 'lamb':
      return lamb({ ...config, roles });
    case 'lars':
      return lars({ ...config, roles });
    case 'lion':
      return flattened(lion(config));
    case 'muon':
      return muon({ ...config, roles });
  }
}
