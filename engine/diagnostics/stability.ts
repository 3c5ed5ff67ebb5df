import type { OptimizerConfig } from '../optim/schema';

export interface StabilityThreshold {
  readonly value: number;
  /** How the line is labelled, e.g. "2/lr". */
  readonly label: string;
}

/**
 * The sharpness above which the optimizer is unstable on a quadratic with that curvature:
 * 2/η for gradient descent, (2+2μ)/η for heavy-ball momentum, (2+2μ)/((1+2μ)η) for Nesterov
 * (Cohen et al., 2021, appendix); for Adam and AdamW, on the preconditioned sharpness, (2+2β₁)/((1−β₁)η).
 * Null for the other adaptive and normalized optimizers, and for Adam's plain λ_max.
 */
export function stabilityThreshold(
  optimizer: OptimizerConfig,
  lr: number,
  preconditioned = false,
): StabilityThreshold | null {
  switch (optimizer.kind) {
    case 'adam':
    case 'adamw':
      // Adam's threshold is on λ_max(P⁻¹H) (Cohen et al., 2022): (2+2β₁)/((1−β₁)η), 38/η at β₁ = 0.9.
      if (!preconditioned) return null;
      return {
        value: (2 + 2 * optimizer.beta1) / ((1 - optimizer.beta1) * lr),
        label: `(2+2β₁)/((1−β₁)lr), β₁=${optimizer.beta1}`,
      };
    case 'sgd':
      return { value: 2 / lr, label: '2/lr' };
    case 'momentum':
      return {
        value: (2 + 2 * optimizer.momentum) / lr,
        label: `(2+2μ)/lr, μ=${optimizer.momentum}`,
      };
    case 'nesterov':
      return {
        value: (2 + 2 * optimizer.momentum) / ((1 + 2 * optimizer.momentum) * lr),
        label: `(2+2μ)/((1+2μ)lr), μ=${optimizer.momentum}`,
      };
    default:
      return null;
  }
}
