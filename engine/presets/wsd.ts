import { decayBranch, phasesOf } from '../plan/run-plan';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import type { RunConfig } from '../config';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, ArmResult, PresetArm } from './types';
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

const STEPS = 1000;
const base = { ...SMALL_LM, steps: STEPS, metricsEvery: 50 };
const WSD10 = { ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.1 };
const COSINE = { ...SCHEDULE_DEFAULTS.cosine, floorRatio: 0 };
const wsd10: RunConfig = { ...base, schedule: WSD10 };

/** A branch of the WSD(10%) run that starts its decay after `at` of the budget (same decay length). */
function branch(at: number): RunConfig {
  const b = decayBranch(wsd10, Math.round(at * STEPS));
  if (!b) throw new Error(`no WSD decay branch at ${at}`);
  return { ...wsd10, ...b };
}
const BRANCHES = [0.5, 0.75] as const;
const grid = (label: string, config: RunConfig): PresetArm => ({
  label,
  config,
  seeds: 3,
  lrGrid: LR_GRID_3,
});
const arms: PresetArm[] = [
  grid('cosine', { ...base, schedule: COSINE }),
  grid('constant', { ...base, schedule: { kind: 'constant', warmupFraction: 0.05 } }),
  grid('WSD 10%', wsd10),
  grid('WSD 2.5%', { ...base, schedule: { ...SCHEDULE_DEFAULTS.wsd, decayFraction: 0.025 } }),
  // Branches are the WSD(10%) run decayed early, so they take its rate; their cosine twins take cosine's.
  ...BRANCHES.flatMap((f) => {
    const b = branch(f);
    return [
      { label: `WSD from ${100 * f}%`, config: b, seeds: 3, lrFrom: 'WSD 10%' },
      {
        label: `cosine ${b.steps} steps`,
        config: { ...base, steps: b.steps, schedule: COSINE },
        seeds: 3,
        lrFrom: 'cosine',
      },
    ];
  }),
];

/** Test loss evaluated exactly at `step`; NaN when the run has no evaluation there. */
function at(r: ArmResult, step: number): number {
  const i = r.evalSteps.indexOf(step);
  return i < 0 ? Number.NaN : r.testLoss[i];
}

const rel = (a: readonly number[], b: readonly number[]) =>
  pairedDiff(a, b).map((d, i) => d / b[i]);

export const wsd: AvailablePreset = {
  id: 'wsd',
  number: 10,
  title: 'Warmup-Stable-Decay',
  paper: PAPERS.minicpm,
  available: true,
  claim:
    'A constant learning rate followed by a short decay matches cosine, with most of the gain arriving in the decay window; a decay branched off the stable phase early matches a cosine run of that length.',
  expectation:
    'WSD(10%) ends no more than 1% above cosine’s final test loss; constant ends worst; WSD(10%)’s loss falls more in the decay window (S−D…S) than in the equal stable window before it (S−2D…S−D); the branches decayed from 50% and 75% of the budget each end no more than 1% above a cosine run of their length. Paired over 3 seeds, outside 2 standard errors.',
  lookAt:
    'The WSD test-loss curve drops steeply in its last 10% of steps; constant stays above the rest.',
  miniature: `Char LM d=16, context 16, ${STEPS} steps of AdamW, evaluated every 50 steps (so exactly at S−2D, S−D and S); the four full-length arms take their rates from a 3-point grid, the branches take WSD(10%)’s and their cosine twins cosine’s.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const [cos, con, w10, w25] = [
      final('cosine'),
      final('constant'),
      final('WSD 10%'),
      final('WSD 2.5%'),
    ];
    const vsCosine = rel(w10, cos);
    const { decayStart } = phasesOf(WSD10, STEPS);
    const T = decayStart ?? STEPS;
    const D = STEPS - T;
    const runs = results['WSD 10%'].slice(0, n);
    const decayDrop = runs.map((r) => at(r, T) - at(r, STEPS));
    const stableDrop = runs.map((r) => at(r, T - D) - at(r, T));
    const others = cos.map((x, i) => Math.max(x, w10[i], w25[i]));
    const branchRel = BRANCHES.map((f) => {
      const b = branch(f);
      return rel(final(`WSD from ${100 * f}%`), final(`cosine ${b.steps} steps`));
    });
    const outcome = all(
      atMost(vsCosine, 0.01),
      above(pairedDiff(con, others)),
      above(pairedDiff(decayDrop, stableDrop)),
      ...branchRel.map((r) => atMost(r, 0.01)),
    );
    const pct = (xs: readonly number[]) => spread(xs.map((x) => 100 * x));
    return verdict(
      outcome,
      `Final test loss: cosine ${spread(cos)}, constant ${spread(con)}, WSD10 ${spread(w10)} (${pct(vsCosine)}% vs cosine), WSD2.5 ${spread(w25)}; WSD10 drop in decay window ${spread(decayDrop)} vs stable window ${spread(stableDrop)}; branches vs cosine of their length: from 50% ${pct(branchRel[0])}%, from 75% ${pct(branchRel[1])}%.`,
      {
        cosine: mean(cos),
        constant: mean(con),
        wsd10: mean(w10),
        wsd25: mean(w25),
        decayDrop: mean(decayDrop),
        stableDrop: mean(stableDrop),
        branch50Rel: mean(branchRel[0]),
        branch75Rel: mean(branchRel[1]),
      },
      [
        {
          title: 'Test loss: finals, and WSD 10% at S−2D, S−D (decay starts) and S',
          metric: 'testLoss',
          arms: ['cosine', 'constant', 'WSD 10%', 'WSD 2.5%'],
          at: [
            { step: T - D, label: 'S−2D' },
            { step: T, label: 'S−D' },
            { step: STEPS, label: 'S' },
          ],
        },
        readFinal(
          results,
          'Branches against cosine runs of their length, read at their ends',
          'testLoss',
          BRANCHES.flatMap((f) => [`WSD from ${100 * f}%`, `cosine ${branch(f).steps} steps`]),
        ),
      ],
    );
  },
};
