import type { OptimizerConfigOf, OptimizerKind } from './schema';

export interface PaperRef {
  readonly title: string;
  readonly url: string;
}

/** Plain-language text for the UI: what the optimizer does, each knob, and where it comes from. */
export interface OptimizerInfo<K extends OptimizerKind> {
  readonly name: string;
  readonly summary: string;
  readonly params: { readonly [F in Exclude<keyof OptimizerConfigOf<K>, 'kind'>]: string };
  readonly paper: PaperRef;
  /** A seed paper that uses it, where that is not the source. */
  readonly related?: PaperRef;
}

const LR = 'Learning rate: how big a step each update takes.';
const BETA1 = 'Momentum of the gradient average (β1): higher smooths more over recent steps.';
const BETA2 =
  'Decay of the squared-gradient average (β2): higher remembers the gradient scale longer.';
const EPS = 'Small number added to the denominator so the step never divides by zero.';
const WD =
  'Weight decay (λ): shrinks the weights a little every step, decoupled from the gradient.';
const EXCLUDE =
  'Skip biases and normalization parameters (rank-1 tensors) for weight decay and the trust ratio.';
const MOMENTUM = 'Momentum (μ): how much of the previous step carries into the next.';

const ADAM_PAPER = {
  title: 'Adam: A Method for Stochastic Optimization',
  url: 'https://arxiv.org/abs/1412.6980',
};
const ADAMW_PAPER = {
  title: 'Decoupled Weight Decay Regularization',
  url: 'https://arxiv.org/abs/1711.05101',
};
const MOMENTUM_PAPER = {
  title: 'On the importance of initialization and momentum in deep learning',
  url: 'https://proceedings.mlr.press/v28/sutskever13.html',
};

export const OPTIMIZER_INFO: { readonly [K in OptimizerKind]: OptimizerInfo<K> } = {
  sgd: {
    name: 'SGD',
    summary: 'Steps straight down the gradient: w ← w − η·g.',
    params: { lr: LR },
    paper: {
      title: 'A Stochastic Approximation Method',
      url: 'https://doi.org/10.1214/aoms/1177729586',
    },
  },
  momentum: {
    name: 'SGD + momentum',
    summary:
      'Keeps a running sum of past gradients and steps along it, rolling through small bumps.',
    params: { lr: LR, momentum: MOMENTUM },
    paper: MOMENTUM_PAPER,
  },
  nesterov: {
    name: 'Nesterov momentum',
    summary: 'Momentum that looks one step ahead before it moves, which damps overshooting.',
    params: { lr: LR, momentum: MOMENTUM },
    paper: MOMENTUM_PAPER,
  },
  adam: {
    name: 'Adam',
    summary:
      'Scales each weight’s step by its own recent gradient size, so every weight moves at a similar pace.',
    params: { lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS },
    paper: ADAM_PAPER,
  },
  adamw: {
    name: 'AdamW',
    summary: 'Adam plus weight decay applied directly to the weights, not mixed into the gradient.',
    params: { lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS, weightDecay: WD },
    paper: ADAMW_PAPER,
  },
  rmsprop: {
    name: 'RMSProp',
    summary:
      'Divides each step by a running average of the gradient’s size; Adam without the momentum average.',
    params: {
      lr: LR,
      decay: 'How slowly the running average of squared gradients forgets (ρ).',
      eps: EPS,
      momentum: MOMENTUM,
    },
    paper: {
      title: 'Lecture 6.5 — RMSProp (Neural Networks for Machine Learning)',
      url: 'https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf',
    },
  },
  adagrad: {
    name: 'Adagrad',
    summary: 'Divides each step by all past squared gradients added up, so steps shrink over time.',
    params: {
      lr: LR,
      initialAccumulator:
        'Starting value of the squared-gradient sum; keeps the first steps finite.',
      eps: EPS,
    },
    paper: {
      title: 'Adaptive Subgradient Methods for Online Learning and Stochastic Optimization',
      url: 'https://jmlr.org/papers/v12/duchi11a.html',
    },
  },
  lamb: {
    name: 'LAMB',
    summary:
      'Adam whose step for each layer is rescaled to the size of that layer’s weights (a trust ratio), for very large batches.',
    params: {
      lr: LR,
      beta1: BETA1,
      beta2: BETA2,
      eps: EPS,
      weightDecay: WD,
      excludeBiasAndNorm: EXCLUDE,
    },
    paper: {
      title: 'Large Batch Optimization for Deep Learning: Training BERT in 76 minutes',
      url: 'https://arxiv.org/abs/1904.00962',
    },
  },
  lars: {
    name: 'LARS',
    summary:
      'Momentum SGD whose step for each layer is scaled by the ratio of weight size to gradient size.',
    params: {
      lr: 'Learning rate. LARS multiplies it by a small trust ratio, so useful values are around 1–10.',
      momentum: MOMENTUM,
      trustCoefficient:
        'Trust coefficient (η_tc): how far, relative to its own size, a layer may move per step.',
      weightDecay: 'Weight decay (λ): added to the gradient before the trust ratio is computed.',
      nesterov: 'Use Nesterov’s look-ahead momentum.',
      excludeBiasAndNorm: EXCLUDE,
    },
    paper: {
      title: 'Large Batch Training of Convolutional Networks',
      url: 'https://arxiv.org/abs/1708.03888',
    },
  },
  lion: {
    name: 'Lion',
    summary:
      'Steps by only the sign of a momentum blend, so every weight moves by exactly ±η; found by program search.',
    params: {
      lr: 'Learning rate; use 3–10× smaller than for AdamW, since every step has full size.',
      beta1: 'How much the step direction leans on momentum rather than the new gradient (β1).',
      beta2: 'How slowly the momentum itself forgets (β2).',
      weightDecay: 'Weight decay (λ); use 3–10× larger than for AdamW.',
    },
    paper: {
      title: 'Symbolic Discovery of Optimization Algorithms',
      url: 'https://arxiv.org/abs/2302.06675',
    },
  },
  muon: {
    name: 'Muon',
    summary:
      'Orthogonalizes the momentum of each hidden weight matrix (Newton–Schulz), so every direction moves equally; AdamW for the rest.',
    params: {
      lr: 'Learning rate of the hidden matrices.',
      beta: 'Momentum (β) of the hidden matrices, as a moving average.',
      nesterov: 'Orthogonalize a look-ahead blend of gradient and momentum.',
      nsSteps: 'Newton–Schulz iterations: more gets closer to exactly orthogonal.',
      weightDecay: 'Weight decay (λ) of the hidden matrices.',
      adamLr: 'AdamW learning rate for embeddings, output head, biases and norms.',
      adamBeta1: 'AdamW β1 for the non-matrix parameters.',
      adamBeta2: 'AdamW β2 for the non-matrix parameters.',
      adamEps: 'AdamW ε for the non-matrix parameters.',
      adamWeightDecay: 'AdamW weight decay for the non-matrix parameters.',
    },
    paper: {
      title: 'Muon: An optimizer for hidden layers in neural networks',
      url: 'https://kellerjordan.github.io/posts/muon/',
    },
    related: { title: 'Test-Time Training Done Right', url: 'https://arxiv.org/abs/2505.23884' },
  },
};
