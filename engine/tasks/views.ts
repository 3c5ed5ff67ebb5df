/**
 * What a task shows besides the metric columns: plain typed data the worker sends to the UI
 * (no tensors). A task's `views` returns any number of these; the UI has one component per kind.
 */

/** The first test images with the model's predictions. */
export interface PredictionsView {
  readonly kind: 'predictions';
  /** Image side in pixels; `images` holds `count`·side² uint8 pixels, row-major, 0 = background. */
  readonly side: number;
  readonly count: number;
  readonly images: Uint8Array;
  readonly predicted: Int32Array;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
}

/** counts[t·classes + p]: test examples of true class t predicted as p. */
export interface ConfusionView {
  readonly kind: 'confusion';
  readonly classes: number;
  readonly classNames: readonly string[];
  readonly counts: Int32Array;
}

/** Text continued by a language model from a few prompts. */
export interface TextSamplesView {
  readonly kind: 'text-samples';
  /** 0 is greedy decoding. */
  readonly temperature: number;
  readonly samples: readonly { readonly prompt: string; readonly completion: string }[];
}

/** How an MoE model spreads tokens over its experts (docs/algorithms.md#mixture-of-experts). */
export interface ExpertLoadView {
  readonly kind: 'expert-load';
  readonly experts: number;
  /** load[l][i]: share of layer l's top-K assignments that went to expert i (sums to 1). */
  readonly load: readonly (readonly number[])[];
  /** Share of assignments dropped by the capacity limit, per layer. */
  readonly dropped: readonly number[];
  /** 1 − mean_d H(r_d)/ln N_E averaged over layers; null when the data has one domain. */
  readonly specialization: number | null;
  readonly domains: readonly string[];
}

/** The same model and examples run with train-mode (batch) and eval-mode (running) statistics. */
export interface NormGapView {
  readonly kind: 'norm-gap';
  readonly norm: string;
  readonly examples: number;
  readonly train: { readonly loss: number; readonly accuracy: number };
  readonly eval: { readonly loss: number; readonly accuracy: number };
}

/**
 * An MLP on 2-D data, neuron by neuron: each neuron's activation over a `side`² grid of the plane
 * and each layer's weights, for a TensorFlow-Playground-style diagram.
 */
export interface NetworkView {
  readonly kind: 'network';
  /** Input feature names, then the width of each hidden layer and the output count. */
  readonly inputs: readonly string[];
  readonly widths: readonly number[];
  readonly side: number;
  /** activations[l][n]: neuron n of layer l (0 = inputs) over the grid, row-major from the top-left. */
  readonly activations: readonly (readonly Float32Array[])[];
  /** weights[l]: the [in, out] kernel from layer l to layer l + 1, row-major. */
  readonly weights: readonly Float32Array[];
}

/**
 * Linear probes on the frozen encoder (docs/algorithms.md#pretraining-objectives): logistic
 * regression on mean-pooled final hidden states, trained on one set of examples, scored on another.
 */
export interface ProbesView {
  readonly kind: 'probes';
  readonly objective: string;
  readonly probes: readonly {
    readonly name: string;
    readonly classes: readonly string[];
    readonly trainExamples: number;
    readonly testExamples: number;
    readonly trainAccuracy: number;
    readonly testAccuracy: number;
    readonly testLoss: number;
  }[];
}

/**
 * In-context learning (GPICL): accuracy at each sequence position on sequences of the training
 * tasks and of tasks never trained on. Chance is 1/classes.
 */
export interface InContextView {
  readonly kind: 'in-context';
  readonly classes: number;
  /** Number of training tasks; null when every training sequence had a fresh task. */
  readonly trainingTasks: number | null;
  /** Sequences evaluated per curve. */
  readonly sequences: number;
  readonly train: readonly number[];
  readonly unseen: readonly number[];
}

export type TaskView =
  | PredictionsView
  | ConfusionView
  | TextSamplesView
  | ExpertLoadView
  | NormGapView
  | NetworkView
  | ProbesView
  | InContextView;
export type TaskViewKind = TaskView['kind'];
