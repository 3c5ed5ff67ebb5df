import type { ScheduleConfigOf, ScheduleKind } from './schema';

export interface PaperRef {
  readonly title: string;
  readonly url: string;
}

/** Plain-language text for the UI: what the schedule does, each field, and where it comes from. */
export interface ScheduleInfo<K extends ScheduleKind> {
  readonly name: string;
  readonly summary: string;
  readonly fields: { readonly [F in Exclude<keyof ScheduleConfigOf<K>, 'kind'>]-?: string };
  readonly paper?: PaperRef;
}

const WARMUP = 'Share of the run spent ramping the rate up from 0 in a straight line; 0 for none.';
const FLOOR = 'Where the decay ends, as a fraction of the peak rate; 0 decays to zero.';

export const SCHEDULE_INFO: { readonly [K in ScheduleKind]: ScheduleInfo<K> } = {
  constant: {
    name: 'Constant',
    summary: 'Keeps the learning rate at the optimizer’s value the whole run.',
    fields: { warmupFraction: WARMUP },
  },
  step: {
    name: 'Step decay',
    summary: 'Holds the rate, then cuts it by a fixed factor at set points of the run.',
    fields: {
      warmupFraction: WARMUP,
      boundaries: 'Points of the run where the rate is cut, as fractions (0.5 = halfway).',
      factor: 'What the rate is multiplied by at each cut (0.1 = ten times smaller).',
    },
    paper: {
      title: 'Deep Residual Learning for Image Recognition',
      url: 'https://arxiv.org/abs/1512.03385',
    },
  },
  exponential: {
    name: 'Exponential decay',
    summary:
      'Shrinks the rate by the same factor every step, reaching a set fraction of the peak at the end.',
    fields: {
      warmupFraction: WARMUP,
      finalRatio: 'The rate at the end, as a fraction of the peak.',
    },
  },
  cosine: {
    name: 'Cosine',
    summary:
      'Lowers the rate along half a cosine wave: slowly at first, fastest in the middle, gently at the end.',
    fields: {
      warmupFraction: WARMUP,
      floorRatio: FLOOR,
      cycles:
        'How many times the curve restarts from the peak (warm restarts); 1 for a single decay.',
    },
    paper: {
      title: 'SGDR: Stochastic Gradient Descent with Warm Restarts',
      url: 'https://arxiv.org/abs/1608.03983',
    },
  },
  wsd: {
    name: 'Warmup-Stable-Decay',
    summary:
      'Warms up, holds the peak rate for most of the run, then decays quickly at the end; a run can be branched and decayed from any point.',
    fields: {
      warmupFraction: WARMUP,
      decayFraction:
        'Share of the run spent decaying at the end (MiniCPM: about 10% is enough, 2.5% is not).',
      shape: 'Curve of the decay: exponential (half-life), straight line, cosine, or 1 − √x.',
      floorRatio: FLOOR,
      halfLifeFraction:
        'Exponential shape only: steps to halve the rate, as a fraction of the decay (0.2 ends at 1/32).',
    },
    paper: {
      title:
        'MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies',
      url: 'https://arxiv.org/abs/2404.06395',
    },
  },
  power: {
    name: 'Power scheduler',
    summary:
      'Sets the rate from the number of samples seen, η = batch·a·n^b capped at the peak, so it carries over across batch sizes and run lengths.',
    fields: {
      warmupFraction: WARMUP,
      exponent: 'b: how fast the rate falls with samples seen (paper: −0.51).',
      a: 'a: the law’s amplitude; leave empty to calibrate it so the law meets the peak when warmup ends.',
      referenceBatch:
        'Batch size the calibration of a assumes; keep it fixed to carry a to other batch sizes.',
      decayFraction: 'Share of the run spent in a final exponential-shaped decay; 0 for none.',
      decayFloor: 'd: the final decay ends at this fraction of where it started.',
    },
    paper: {
      title: 'Power Scheduler: A Batch Size and Token Number Agnostic Learning Rate Scheduler',
      url: 'https://arxiv.org/abs/2408.13359',
    },
  },
  onecycle: {
    name: 'One-cycle',
    summary:
      'Climbs from a low rate to the peak, then anneals far below the start, in one cycle over the run.',
    fields: {
      warmupFraction: 'Share of the run spent climbing to the peak (0.3 in torch’s OneCycleLR).',
      divFactor: 'The climb starts at the peak divided by this.',
      finalDivFactor: 'The run ends at the starting rate divided by this.',
    },
    paper: {
      title: 'A disciplined approach to neural network hyper-parameters: Part 1',
      url: 'https://arxiv.org/abs/1803.09820',
    },
  },
};
