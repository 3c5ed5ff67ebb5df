import type { RunConfig } from '../config';
import type { RunSnapshot } from '../run';
import type { LrRangeOptions } from '../diagnostics/lr-range-test';

/**
 * A paper preset (docs/algorithms.md#paper-gallery): miniature arms that test one paper's claim,
 * and a verdict that
 * says honestly whether they did. TF.js-free: the UI may import it without the engine.
 */

export type ChartKey =
  'loss' | 'testLoss' | 'accuracy' | 'testAccuracy' | 'lr' | 'gradNorm' | 'lrRange' | 'expertLoad';

/** Extra numbers an arm measures besides its metric curves. */
export type Measure =
  /** Replace training with an LR range test (extra: etaMax, etaBest). */
  | 'lrRange'
  /** Expert load after training (extra: maxLoad, specialization). */
  | 'expertLoad'
  /**
   * Activation memory for backward: measured (extra: measuredBackwardBytes, the bytes of the
   * tensors the tape saves) and the shape estimate (storedActivationBytes, activationBytes).
   */
  | 'memory'
  /** Trainable parameter count (extra: params). */
  | 'paramCount'
  /**
   * Linear probes on the frozen encoder after training (extra: probeAccuracy_<name>,
   * probeLoss_<name> per probe; engine/tasks/objectives).
   */
  | 'probes'
  /**
   * GPICL's accuracy by position (extra: unseenEarly, unseenLate, trainEarly, trainLate,
   * unseenMaxDev, chance, plateauSteps, plateau; engine/presets/in-context-extra.ts).
   */
  | 'positionAccuracy'
  /** Mean gradient norm over the first 10% of steps (extra: earlyGradNorm). */
  | 'earlyGradNorm'
  /**
   * An MLP truncated to each of `WIDTH_FRACTIONS` after training (extra: `testAccuracy@f` and
   * `testLoss@f` for each fraction f; engine/models/sorted.ts).
   */
  | 'widths'
  /**
   * After training, on one training batch: the fraction of the nonzero gradients at the quantizable
   * dense layers' outputs that each low-precision format rounds to zero (extra: `underflow_<key>`
   * for each key of `UNDERFLOW_FORMATS`; engine/quant/gradient-underflow.ts).
   */
  | 'gradientUnderflow';

export interface PresetArm {
  readonly label: string;
  readonly config: RunConfig;
  /** Seeds run: config.seed, config.seed + 1, ... */
  readonly seeds: number;
  readonly measures?: readonly Measure[];
  /** With the 'lrRange' measure: the test's settings (maxSteps defaults to config.steps). */
  readonly lrRange?: LrRangeOptions;
  /**
   * Before training: λ_max of the batch Hessian at each of `sizes` (mean over `batches` random
   * batches, `iterations` Lanczos steps; engine/diagnostics/hessian.ts), as extra `lambdaMax@B`.
   */
  readonly batchHessian?: {
    readonly sizes: readonly number[];
    readonly batches?: number;
    readonly iterations?: number;
  };
  /**
   * Learning-rate factors (log-spaced, at least 3) tried on a validation split before the seeds
   * run; the seeds use the factor with the lowest validation loss (engine/presets/lr-grid.ts).
   */
  readonly lrGrid?: readonly number[];
  /** Instead of a grid of its own: the factor the grid chose for the arm with this label. */
  readonly lrFrom?: string;
  /**
   * A derived arm: each seed starts from the final weights of the same seed of the arm with this
   * label (its grid runs from that arm's run on the validation split), transformed as this arm's
   * `config.init` and `config.distill` say (engine/derive). The runner runs parents first.
   */
  readonly parent?: { readonly arm: string };
}

/** What the LR grid chose for one arm. */
export interface LrChoice {
  readonly factor: number;
  /** The optimizer's main rate at that factor. */
  readonly lr: number;
  readonly grid: readonly number[];
  /** Final validation loss of each grid factor (NaN: diverged). */
  readonly validationLoss: readonly number[];
}

/** What one seed of one arm measured. Curves are aligned with `evalSteps` except `loss` (every step). */
export interface ArmResult {
  readonly label: string;
  readonly seed: number;
  /** Per-step training loss (mini-batch). */
  readonly loss: readonly number[];
  readonly evalSteps: readonly number[];
  readonly testLoss: readonly number[];
  readonly testAccuracy: readonly number[];
  readonly finalTestLoss: number;
  readonly bestTestLoss: number;
  readonly finalTestAccuracy: number;
  readonly finalTrainLoss: number;
  /** Measured extras: etaMax, maxLoad, specialization, params, storedActivationBytes, ... */
  readonly extra: Readonly<Record<string, number>>;
  readonly wallMs: number;
  /** The final state, only when the job asked for it (a parent arm's run, for its children). */
  readonly snapshot?: RunSnapshot;
}

/** Results by arm label, one entry per seed. */
export type PresetResults = Readonly<Record<string, readonly ArmResult[]>>;

export type Outcome = 'pass' | 'fail' | 'inconclusive';

/**
 * One chart of what a verdict read: a curve of some arms (mean over seeds, with their range), the
 * steps it read that curve at, and the levels it compared with (a target loss). The gallery draws
 * it after a preset's runs end (engine/presets/reads.ts builds the lines).
 */
export interface VerdictRead {
  readonly title: string;
  /** 'loss' is the per-step training loss, as a trailing mean over `smooth` steps. */
  readonly metric: 'loss' | 'testLoss' | 'testAccuracy';
  /** The arms drawn, by label (all of them when absent). */
  readonly arms?: readonly string[];
  /** The trailing-mean window for 'loss' (the one the verdict used); default 10. */
  readonly smooth?: number;
  /** Steps the verdict read the curve at. */
  readonly at: readonly { readonly step: number; readonly label: string }[];
  /** Levels the verdict compared with. */
  readonly levels?: readonly { readonly value: number; readonly label: string }[];
}

export interface Verdict {
  readonly outcome: Outcome;
  readonly summary: string;
  readonly numbers: Readonly<Record<string, number>>;
  /** The curves the verdict rests on and where it read them; empty when it reads only extras. */
  readonly reads: readonly VerdictRead[];
}

interface PresetBase {
  /** Stable id, kebab-case (used by `npm run claims -- --only <id>`). */
  readonly id: string;
  /** Number in the gallery (docs/algorithms.md#paper-gallery). */
  readonly number: number;
  readonly title: string;
  readonly paper: { readonly title: string; readonly url: string };
  /** The claim, one plain sentence. */
  readonly claim: string;
  /** The falsifiable expectation the verdict checks, with its margins. */
  readonly expectation: string;
}

export interface AvailablePreset extends PresetBase {
  readonly available: true;
  /** What to look at in the charts. */
  readonly lookAt: string;
  /** How this miniature departs from the paper's setup. */
  readonly miniature: string;
  readonly arms: readonly PresetArm[];
  /** The longest arm's steps at full size. */
  readonly budgetSteps: number;
  readonly charts: readonly ChartKey[];
  verdict(results: PresetResults): Verdict;
}

export interface UnavailablePreset extends PresetBase {
  readonly available: false;
  /** Why the engine cannot run it yet. */
  readonly reason: string;
}

export type Preset = AvailablePreset | UnavailablePreset;
