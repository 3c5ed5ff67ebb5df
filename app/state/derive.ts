import {
  CHAR_DOMAINS,
  PRUNE_DEFAULT,
  TOY_2D_KINDS,
  isToy2D,
  taskOf,
  type DataConfig,
  type RunConfig,
} from '../../engine/tf-free';

/**
 * The configs of runs derived from a trained run (engine/derive): pruned and distilled, or
 * fine-tuned on other data of the same kind. Plain functions, so the dialogs stay thin.
 */

/** Retraining loss of a pruned run: labels only, distillation from the parent, or half each. */
export type PruneLoss = 'labels' | 'kd' | 'both';

export interface PruneChoice {
  readonly widths: readonly number[];
  readonly loss: PruneLoss;
  readonly temperature: number;
  readonly steps: number;
  readonly calibration?: number;
}

/** Why a run cannot be pruned and distilled, or null when it can. */
export function pruneBlocker(config: RunConfig): string | null {
  const m = config.model;
  if (m.kind !== 'mlp') return 'Pruning by activation importance is for MLPs.';
  if (m.hidden.length === 0) return 'A linear model has no hidden units to prune.';
  if ((m.norm ?? 'none') !== 'none' || m.weightStandardization)
    return 'Pruning needs an MLP without a norm layer.';
  if (
    !(isToy2D(config.data) && taskOf(config.data) === 'classification') &&
    config.data.kind !== 'mnist'
  )
    return 'Distillation is for classifiers on the 2-D datasets or MNIST.';
  return null;
}

/** Each hidden layer at a quarter of its width (at least 1): Minitron's 256 → 64. */
export function defaultWidths(config: RunConfig): number[] {
  return config.model.kind === 'mlp'
    ? config.model.hidden.map((w) => Math.max(1, Math.round(w / 4)))
    : [];
}

/** The pruned child: narrower hidden layers, weights from the parent, the chosen loss. */
export function prunedConfig(parent: RunConfig, choice: PruneChoice): RunConfig {
  if (parent.model.kind !== 'mlp') throw new Error('only an MLP can be pruned');
  const { distill: _distill, ...rest } = parent;
  const weight = choice.loss === 'kd' ? 1 : 0.5;
  return {
    ...rest,
    model: { ...parent.model, hidden: [...choice.widths] },
    init: {
      from: 'parent',
      prune: { calibration: choice.calibration ?? PRUNE_DEFAULT.calibration },
    },
    ...(choice.loss === 'labels' ? {} : { distill: { temperature: choice.temperature, weight } }),
    steps: choice.steps,
  };
}

/**
 * A config as a run from its seed: without the parent link and distillation a derived run's
 * config carries (a draft or a fresh run made from it has no parent to start from).
 */
export function fromScratch(config: RunConfig): RunConfig {
  if (!config.init && !config.distill) return config;
  const { init: _init, distill: _distill, ...rest } = config;
  return rest;
}

/** Another dataset a run's weights fit: same task kind, same inputs or vocabulary. */
export interface FineTuneTarget {
  readonly label: string;
  readonly data: DataConfig;
}

/**
 * The datasets a run can be fine-tuned on: the other generated character domains (one shared
 * alphabet) for a char LM, the other 2-D classification sets (same features) for a 2-D MLP.
 * None for MNIST, pasted text or modular arithmetic (no other data with the same vocabulary).
 */
export function fineTuneTargets(config: RunConfig): FineTuneTarget[] {
  const data = config.data;
  if (data.kind === 'chars') {
    const own = [...data.domains].sort().join(',');
    const sets = [...CHAR_DOMAINS.map((d) => [d]), [...CHAR_DOMAINS]];
    return sets
      .filter((d) => [...d].sort().join(',') !== own)
      .map((domains) => ({
        label: domains.length === 1 ? `${domains[0]} sentences` : 'all three domains',
        data: { ...data, domains },
      }));
  }
  if (isToy2D(data) && taskOf(data) === 'classification')
    return TOY_2D_KINDS.filter((k) => k !== 'plane' && k !== data.kind).map((kind) => ({
      label: kind,
      data: { ...data, kind },
    }));
  return [];
}

/** The fine-tuned child: the parent's weights on new data, with its own rate and length. */
export function fineTuneConfig(
  parent: RunConfig,
  data: DataConfig,
  choice: { readonly lr: number; readonly steps: number },
): RunConfig {
  const { distill: _distill, init: _init, ...rest } = parent;
  return {
    ...rest,
    data,
    init: { from: 'parent' },
    optimizer: { ...parent.optimizer, lr: choice.lr },
    steps: choice.steps,
  };
}
