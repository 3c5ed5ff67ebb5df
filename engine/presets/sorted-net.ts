import { SORTED_DEFAULT } from '../models/sorted-schema';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { ArmResult, AvailablePreset, PresetArm, PresetResults } from './types';
import {
  above,
  all,
  atMost,
  mean,
  pairedDiff,
  perSeed,
  readFinal,
  seedCount,
  spread,
  verdict,
} from './verdict';

const HIDDEN = [128, 128];
const STEPS = 800;
const BATCH = 128;
// Adam at 1e-3 (mnist()'s rate): a first grid around 3e-3 chose its lowest point for both arms.
const base = {
  ...mnist(8000, HIDDEN),
  steps: STEPS,
  batchSize: BATCH,
  metricsEvery: 200,
};
const arm = (label: string, config: PresetArm['config']): PresetArm => ({
  label,
  config,
  seeds: 3,
  lrGrid: LR_GRID_3,
  // Both arms are cut to every width after training: the standard one by truncation alone.
  measures: ['widths'],
});
const arms = [arm('Standard', base), arm('Sorted', { ...base, sorted: SORTED_DEFAULT })];

/** Test accuracy of one seed at width fraction `f` (the 'widths' measure). */
const accAt = (f: number) => (r: ArmResult) => r.extra[`testAccuracy@${f}`] ?? Number.NaN;

/**
 * The three halves of the claim on paired seeds, in accuracy fractions: the standard net's drop
 * at a quarter width exceeds 30 points; the sorted net's quarter width keeps at least 90% of its
 * full width; and the sorted net's full width is no more than 1 point below the standard one's.
 */
export function sortedNetVerdict(results: PresetResults) {
  const n = seedCount(results, ['Standard', 'Sorted']);
  const get = (label: string, f: number) => perSeed(results, label, accAt(f)).slice(0, n);
  const [stdFull, stdQuarter] = [get('Standard', 1), get('Standard', 0.25)];
  const [sortedFull, sortedQuarter] = [get('Sorted', 1), get('Sorted', 0.25)];
  const drop = pairedDiff(stdFull, stdQuarter);
  const kept = pairedDiff(
    sortedQuarter,
    sortedFull.map((a) => 0.9 * a),
  );
  const behind = pairedDiff(stdFull, sortedFull);
  const points = (xs: number[]) => spread(xs.map((x) => 100 * x));
  const keptShare = sortedQuarter.map((a, i) => a / sortedFull[i]);
  return verdict(
    all(above(drop, 0.3), above(kept, 0), atMost(behind, 0.01)),
    `Standard: full width ${points(stdFull)}%, ¼ width ${points(stdQuarter)}% (drop ${points(drop)} points, want > 30). Sorted: full ${points(sortedFull)}%, ¼ width ${points(sortedQuarter)}% (${points(keptShare)}% of full, want ≥ 90%); standard − sorted at full width ${points(behind)} points (want ≤ 1).`,
    {
      standardFull: mean(stdFull),
      standardQuarter: mean(stdQuarter),
      sortedFull: mean(sortedFull),
      sortedQuarter: mean(sortedQuarter),
      standardDrop: mean(drop),
      sortedKeptShare: mean(keptShare),
      fullWidthGap: mean(behind),
    },
    // The widths are measured once, after training, at the final weights.
    [
      readFinal(
        results,
        'Test accuracy at full width (each width is cut from the final weights)',
        'testAccuracy',
      ),
    ],
  );
}

export const sortedNet: AvailablePreset = {
  id: 'sorted-net',
  number: 6,
  title: 'SortedNet: many widths in one network',
  paper: PAPERS.sortedNet,
  available: true,
  claim:
    'Training nested sub-networks together lets one network be truncated to a quarter of its width and keep most of its accuracy.',
  expectation:
    'Standard net truncated to ¼ width loses >30 points; the sorted net keeps ≥90% of its full-width accuracy at ¼ width and is within 1 point at full width.',
  lookAt:
    'The per-width accuracies after training: the standard net collapses when cut to its first quarter of units, the sorted one barely moves; test accuracy at full width should be close for both.',
  miniature: `MLP 784-${HIDDEN.join('-')}-10 on 8,000 MNIST digits, ${STEPS} steps of Adam at B=${BATCH} (about 13 epochs; each arm’s rate from a 3-point grid around 1e-3 on the validation split); sorted training draws one of the widths ¼, ½, ¾, 1 per step (the paper’s stochastic variant) and both nets are cut to each width after training by keeping the first k units of each hidden layer. Whole test split, 3 paired seeds. MLP only (the CNN’s channels are not truncated).`,
  arms,
  budgetSteps: STEPS,
  charts: ['testAccuracy', 'testLoss', 'loss'],
  verdict: sortedNetVerdict,
};
