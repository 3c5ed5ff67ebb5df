import type { OptimizerConfig } from '../optim/schema';

export interface StabilityThreshold {
  readonly value: number;
  /** How the line is labelled, e.g. "2/lr". */
  readonly label: string;
}

/**
 * The sharpness above which the optimizer is unstable on a quadratic with that curvature:
 * 2/η for gradient descent, (2+2μ)/η for heavy-ball momentum, (2+2μ)/((1+2μ)η) for Nesterov
 * (Cohen et al., 2021, appendix). Null for adaptive and normalized optimizers, whose threshold
 * is on a preconditioned Hessian this tool does not compute.
 */
export function stabilityThreshold(optimizer: OptimizerConfig, lr: number): StabilityThreshold | null {
  switch (optimizer.kind) {
    case 'sgd':
      return { value: 2 / lr, label: '2/lr' };
    case 'momentum':
      return { value: (2 + 2 * optimizer.momentum) / lr, label: `(2+2μ)/lr, μ=${optimizer.momentum}` };
    case 'nesterov':
      return { value: (2 + 2 * optimizer.momentum) / ((1 + 2 * optimizer.momentum) * lr), label: `(2+2μ)/((1+2μ)lr), μ=${optimizer.momentum}` };
    default:
      return null;
  }
}
