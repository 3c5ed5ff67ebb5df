import { DEFAULT_CONFIG, type RunConfig } from '../config';
import type { InContextTasks } from '../data/in-context-schema';
import { MODEL_DEFAULTS } from '../models/schema';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, Outcome, PresetArm, PresetResults } from './types';
import {
  above,
  all,
  mean,
  pairedDiff,
  perSeed,
  seedCount,
  spread,
  verdict,
  within,
} from './verdict';

const STEPS = 400;
const CLASSES = 4;
const CHANCE = 1 / CLASSES;
/** "At chance": an unseen-task window within 5 points of 1/C. */
const CHANCE_MARGIN = 0.05;
/** "Training tasks solved": late positions more than 20 points above chance. */
const SOLVED_MARGIN = 0.2;

const config = (tasks: InContextTasks): RunConfig => ({
  ...DEFAULT_CONFIG,
  data: { kind: 'in-context', tasks, classes: CLASSES, sequenceLength: 32 },
  model: { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 2, heads: 2, mlpRatio: 2 },
  optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 3e-3 },
  schedule: SCHEDULE_DEFAULTS.constant,
  batchSize: 16,
  steps: STEPS,
  metricsEvery: 200,
});

const FEW = '2^4 tasks';
const FRESH = 'fresh task per sequence';
const arm = (label: string, tasks: InContextTasks): PresetArm => ({
  label,
  config: config(tasks),
  seeds: 3,
  measures: ['positionAccuracy'],
  // One rate for every arm, tuned where generalization is asked for: the arms differ only in
  // the number of tasks, as in the paper.
  ...(tasks === 'fresh' ? { lrGrid: LR_GRID_3 } : { lrFrom: FRESH }),
});
const arms = [
  arm(FEW, '16'),
  arm('2^8 tasks', '256'),
  arm('2^12 tasks', '4096'),
  arm(FRESH, 'fresh'),
];

/** The per-seed extra `key` of an arm, over the first `n` seeds. */
const extraOf = (results: PresetResults, label: string, key: string, n: number) =>
  perSeed(results, label, (r) => r.extra[key] ?? Number.NaN).slice(0, n);

/**
 * Few tasks memorize: training tasks solved late in the sequence, unseen tasks within the margin
 * of chance early and late. Many tasks generalize: on unseen tasks the fresh arm's late positions
 * beat its early ones. A generalization check that does not pass while the fresh arm's loss sits
 * at chance (most seeds) is "inconclusive: plateau": the transition needs more compute.
 */
export function gpiclVerdict(results: PresetResults) {
  const n = seedCount(
    results,
    arms.map((a) => a.label),
  );
  const x = (label: string, key: string) => extraOf(results, label, key, n);
  const rise = (label: string) => pairedDiff(x(label, 'unseenLate'), x(label, 'unseenEarly'));
  const minus = (xs: number[], c: number) => xs.map((v) => v - c);
  const memorize: Outcome = all(
    above(minus(x(FEW, 'trainLate'), CHANCE), SOLVED_MARGIN),
    within(minus(x(FEW, 'unseenEarly'), CHANCE), CHANCE_MARGIN),
    within(minus(x(FEW, 'unseenLate'), CHANCE), CHANCE_MARGIN),
  );
  const generalize = above(rise(FRESH));
  const flat = x(FRESH, 'plateau');
  const plateau = generalize !== 'pass' && flat.filter((f) => f === 1).length * 2 > flat.length;
  const outcome: Outcome =
    memorize === 'fail' ? 'fail' : plateau ? 'inconclusive' : all(memorize, generalize);
  const transition = arms
    .slice(1, 3)
    .map(
      (a) =>
        `${a.label}: train late ${spread(x(a.label, 'trainLate'))}, unseen rise ${spread(rise(a.label))}`,
    )
    .join('; ');
  const evidence = `${FRESH} training loss within 5% of ln ${CLASSES} for the last ${spread(x(FRESH, 'plateauSteps'))} of ${STEPS} steps`;
  const summary = [
    outcome === 'inconclusive' && plateau ? `inconclusive: plateau (${evidence}).` : '',
    `${FEW}: training tasks late ${spread(x(FEW, 'trainLate'))}; unseen early ${spread(x(FEW, 'unseenEarly'))}, late ${spread(x(FEW, 'unseenLate'))} (chance ${CHANCE}; largest position gap ${spread(x(FEW, 'unseenMaxDev'))}).`,
    `${FRESH}: unseen early ${spread(x(FRESH, 'unseenEarly'))}, late ${spread(x(FRESH, 'unseenLate'))}, rise ${spread(rise(FRESH))}.`,
    `Transition: ${transition}.`,
  ]
    .filter((s) => s)
    .join(' ');
  return verdict(outcome, summary, {
    fewTrainLate: mean(x(FEW, 'trainLate')),
    fewUnseenEarly: mean(x(FEW, 'unseenEarly')),
    fewUnseenLate: mean(x(FEW, 'unseenLate')),
    freshRise: mean(rise(FRESH)),
    freshPlateauSteps: mean(x(FRESH, 'plateauSteps')),
  });
}

export const gpicl: AvailablePreset = {
  id: 'gpicl',
  number: 14,
  title: 'General-purpose in-context learning',
  paper: PAPERS.gpicl,
  available: true,
  claim:
    'Transformers meta-trained on enough generated tasks switch from memorizing tasks to learning new ones in context.',
  expectation: `With 2^4 training tasks the model memorizes: training tasks are solved at late positions (more than ${SOLVED_MARGIN} above chance) and unseen tasks stay within ${CHANCE_MARGIN} of chance (1/${CLASSES}) at early and late positions. With a fresh task per sequence it learns in context: on unseen tasks, accuracy over the last quarter of positions exceeds the first quarter's (paired over 3 seeds, outside 2 standard errors). If that fails while the fresh arm's loss sits at chance, the verdict is "inconclusive: plateau" (the paper's "fails to meta-train"). 2^8 and 2^12 tasks show the transition and are not checked.`,
  lookAt:
    'The per-position accuracy view of each arm: training tasks against unseen tasks, and the chance line; the training loss of the fresh arm against ln C.',
  miniature: `Base set: ${CLASSES} Gaussian clusters of 1,024 points in R^8 (the paper projects MNIST); sequences of 32 pairs; a 2-layer d=16 transformer with a linear input projection; batch 16, ${STEPS} steps of Adam at one rate for all arms, chosen on validation tasks from a 3-point grid on the fresh arm; 512 evaluation sequences per split. The paper meta-trains for far longer and reports that larger batches shorten the loss plateau; at this budget a plateau is expected.`,
  arms,
  budgetSteps: STEPS,
  charts: ['loss', 'testLoss', 'testAccuracy'],
  verdict: gpiclVerdict,
};
