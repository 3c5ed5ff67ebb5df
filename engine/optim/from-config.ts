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
import type { GradientTransformation, LearningRate } from './transform';

type Scaled<C> = { [K in keyof C]: K extends 'lr' | 'adamLr' ? LearningRate : C[K] };

/** The config with its learning rates as functions: η·m() read at each update. */
function withScaledLr<C extends OptimizerConfig>(config: C, m: () => number): Scaled<C> {
  const scaled: Record<string, unknown> = { ...config, lr: () => config.lr * m() };
  if ('adamLr' in config) scaled.adamLr = () => config.adamLr * m();
  return scaled as Scaled<C>;
}

/**
 * Builds the optimizer a run config names. `roles` (per parameter name) decide the LAMB/LARS
 * bias-and-norm exclusions and Muon's split: hidden 'kernel' matrices vs. AdamW for the rest.
 * `lrMultiplier`, read at every update, scales every learning rate of the config (a schedule,
 * the batch-size rule); without it the rates are the config's constants.
 * The elementwise optimizers with state (momentum, Nesterov, Adam, RMSProp, Adagrad, Lion) run
 * `flattened`: one update on all parameters concatenated, their state one flat tensor per moment.
 * SGD stays per parameter (one kernel each; the concat and split would cost more than they save),
 * as do AdamW (masked decay), LAMB, LARS and Muon (per-tensor masks, norms, shapes).
 */
export function optimizerFromConfig(
  base: OptimizerConfig,
  roles: Readonly<Record<string, Role>>,
  lrMultiplier?: () => number,
): GradientTransformation {
  const config = lrMultiplier ? withScaledLr(base, lrMultiplier) : base;
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
