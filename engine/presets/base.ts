import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { DATA_DEFAULTS } from '../data/schema';
import { MODEL_DEFAULTS } from '../models/schema';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';

/**
 * Shared starting points of the presets' miniature configs. They pin the schedule and the steps
 * they were written with, so a change of the app's first-run defaults leaves the claims alone.
 */

export const SPIRAL: RunConfig = {
  ...DEFAULT_CONFIG,
  data: { ...DATA_DEFAULTS.spiral, samples: 400 },
  model: MODEL_DEFAULTS.mlp,
  schedule: SCHEDULE_DEFAULTS.constant,
  steps: 3000,
  backend: 'auto',
};

/** MNIST-10k, the first `trainSamples` digits, a small MLP. */
export function mnist(trainSamples: number, hidden: number[]): RunConfig {
  return {
    ...DEFAULT_CONFIG,
    data: { kind: 'mnist', trainSamples },
    model: { ...MODEL_DEFAULTS.mlp, hidden },
    optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 1e-3 },
    schedule: SCHEDULE_DEFAULTS.constant,
    batchSize: 32,
    steps: 300,
    metricsEvery: 50,
  };
}

/** A tiny char-level language model on the three generated domains. */
export const CHAR_LM: RunConfig = {
  ...DEFAULT_CONFIG,
  data: { ...DATA_DEFAULTS.chars, sequenceLength: 32, corpusChars: 20_000 },
  model: { ...MODEL_DEFAULTS.transformer, dim: 32, layers: 2, heads: 2, mlpRatio: 2 },
  optimizer: { ...OPTIMIZER_DEFAULTS.adamw, lr: 3e-3 },
  schedule: SCHEDULE_DEFAULTS.constant,
  batchSize: 16,
  steps: 300,
  metricsEvery: 25,
};

/**
 * The cheaper language model most presets use (README rule 6): d=16, one head per 8 dims,
 * context 16 characters; its claims are comparisons between arms of the same size.
 */
export const SMALL_LM: RunConfig = {
  ...CHAR_LM,
  data: { ...DATA_DEFAULTS.chars, sequenceLength: 16, corpusChars: 20_000 },
  model: { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 2, heads: 2, mlpRatio: 2 },
};

const search = (title: string): string =>
  `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(title)}`;

/** The seed papers each preset cites (listed in docs/algorithms.md#paper-gallery). */
export const PAPERS = {
  rmt: {
    title:
      'Learning Rates as a Function of Batch Size: A Random Matrix Theory Approach to Neural Network Training',
    url: search('Learning Rates as a Function of Batch Size Random Matrix Theory'),
  },
  lamb: {
    title: 'Large Batch Optimization for Deep Learning: Training BERT in 76 minutes',
    url: 'https://arxiv.org/abs/1904.00962',
  },
  hard: {
    title: 'Can we learn better with hard samples?',
    url: search('Can we learn better with hard samples'),
  },
  bcn: {
    title: 'Micro-Batch Training with Batch-Channel Normalization and Weight Standardization',
    url: 'https://arxiv.org/abs/1903.10520',
  },
  layerNorm: { title: 'Layer Normalization', url: 'https://arxiv.org/abs/1607.06450' },
  sortedNet: {
    title: 'SortedNet, a Place for Every Network and Every Network in its Place',
    url: 'https://arxiv.org/abs/2309.00255',
  },
  minitron: {
    title: 'Compact Language Models via Pruning and Knowledge Distillation',
    url: 'https://arxiv.org/abs/2407.14679',
  },
  lact: { title: 'Test-Time Training Done Right', url: 'https://arxiv.org/abs/2505.23884' },
  bitnet: {
    title: 'BitNet b1.58 Reloaded: State-of-the-art Performance Also on Smaller Networks',
    url: 'https://arxiv.org/abs/2407.09527',
  },
  minicpm: {
    title:
      'MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies',
    url: 'https://arxiv.org/abs/2404.06395',
  },
  power: {
    title: 'Power Scheduler: A Batch Size and Token Number Agnostic Learning Rate Scheduler',
    url: 'https://arxiv.org/abs/2408.13359',
  },
  sft: {
    title: 'Unveiling the Secret Recipe: A Guide For Supervised Fine-Tuning Small LLMs',
    url: search('Unveiling the Secret Recipe Supervised Fine-Tuning Small LLMs'),
  },
  cct: {
    title: 'Escaping the Big Data Paradigm with Compact Transformers',
    url: 'https://arxiv.org/abs/2104.05704',
  },
  gpicl: {
    title: 'General-Purpose In-Context Learning by Meta-Learning Transformers',
    url: 'https://arxiv.org/abs/2212.04458',
  },
  electra: {
    title: 'ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators',
    url: 'https://arxiv.org/abs/2003.10555',
  },
  moe: {
    title:
      'Demons in the Detail: On Implementing Load Balancing Loss for Training Specialized Mixture-of-Expert Models',
    url: search('Demons in the Detail Load Balancing Loss Mixture-of-Expert'),
  },
  mesa: {
    title: 'Mesa: A Memory-saving Training Framework for Transformers',
    url: 'https://arxiv.org/abs/2111.11124',
  },
  lowPrecision: {
    title:
      'Low-Precision Training of Large Language Models: Methods, Challenges, and Opportunities',
    url: 'https://arxiv.org/abs/2505.01043',
  },
  scaling: {
    title: 'Unraveling the Mystery of Scaling Laws: Part I',
    url: search('Unraveling the Mystery of Scaling Laws Part I'),
  },
} as const;
