import type { RunConfig } from '../config';
import { calibratePowerA } from '../schedule/power';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';
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

const LENGTHS = [300, 600] as const;
const PEAK = 3e-3;
const POWER = { ...SCHEDULE_DEFAULTS.power, referenceBatch: 16 };
/**
 * The amplitude a, calibrated once (at B=16 and the shorter length, where the law meets the peak
 * as warmup ends) and stored in every power arm's config: a run's length never moves it.
 */
export const POWER_A = calibratePowerA({
  maxLr: PEAK,
  batchSize: 16,
  b: POWER.exponent,
  warmupSamples: Math.round(POWER.warmupFraction * LENGTHS[0]) * 16,
});
const label = (kind: 'power' | 'wsd', b: number, s: number) => `${kind} B=${b} S=${s}`;
const config = (kind: 'power' | 'wsd', batchSize: number, steps: number): RunConfig => ({
  ...SMALL_LM,
  batchSize,
  steps,
  metricsEvery: 50,
  batchScaling: { rule: 'off', referenceBatch: 16 },
  optimizer: { ...SMALL_LM.optimizer, lr: PEAK },
  schedule: kind === 'power' ? { ...POWER, a: POWER_A } : SCHEDULE_DEFAULTS.wsd,
});
const arms: PresetArm[] = LENGTHS.flatMap((s) => [
  { label: label('power', 16, s), config: config('power', 16, s), seeds: 3 },
  { label: label('wsd', 16, s), config: config('wsd', 16, s), seeds: 3, lrGrid: LR_GRID_3 },
  { label: label('power', 64, s), config: config('power', 64, s), seeds: 3 },
  // WSD at B=64 keeps the rate tuned at B=16: the comparison the claim is about.
  {
    label: label('wsd', 64, s),
    config: config('wsd', 64, s),
    seeds: 3,
    lrFrom: label('wsd', 16, s),
  },
]);

export const powerScheduler: AvailablePreset = {
  id: 'power-scheduler',
  number: 11,
  title: 'Power scheduler',
  paper: PAPERS.power,
  available: true,
  claim:
    'A learning rate that follows a power law of tokens seen transfers across batch sizes and run lengths without re-tuning.',
  expectation:
    'At each batch size (16, 64) and length (300, 600 steps), Power ends no more than 2% above WSD’s final test loss, WSD tuned by a grid at B=16; at B=64 Power beats WSD run at the B=16 rate. Paired over 3 seeds, outside 2 standard errors.',
  lookAt:
    'The lr chart: Power’s rate decays with tokens seen and rises with batch size; test loss at B=64.',
  miniature: `Char LM d=16, context 16, B ∈ {16, 64} × ${LENGTHS.join(' and ')} steps. Power’s a is calibrated once (law meets the ${PEAK} peak when warmup ends at B=16, ${LENGTHS[0]} steps) and stored in its configs; its rate is not tuned. WSD’s rate is from a 3-point grid at B=16 and reused at B=64; no μP.`,
  arms,
  budgetSteps: LENGTHS[1],
  charts: ['testLoss', 'lr'],
  verdict(results) {
    const n = seedCount(
      results,
      arms.map((a) => a.label),
    );
    const final = (l: string) => perSeed(results, l, (r) => r.finalTestLoss).slice(0, n);
    const parts: string[] = [];
    const outcomes = LENGTHS.flatMap((s) => {
      const [p16, w16, p64, w64] = [
        final(label('power', 16, s)),
        final(label('wsd', 16, s)),
        final(label('power', 64, s)),
        final(label('wsd', 64, s)),
      ];
      const r16 = pairedDiff(p16, w16).map((d, i) => d / w16[i]);
      const r64 = pairedDiff(p64, w64).map((d, i) => d / w64[i]);
      parts.push(
        `S=${s}: B=16 power ${spread(p16)} vs WSD ${spread(w16)}; B=64 power ${spread(p64)} vs WSD ${spread(w64)}`,
      );
      return [atMost(r16, 0.02), atMost(r64, 0.02), above(pairedDiff(w64, p64))];
    });
    const numbers = Object.fromEntries(
      arms.map((a) => [a.label.replace(/ /g, ''), mean(final(a.label))]),
    );
    const reads = LENGTHS.map((s) =>
      readFinal(
        results,
        `${s} steps: test loss, read at the end`,
        'testLoss',
        arms.filter((a) => a.label.endsWith(`S=${s}`)).map((a) => a.label),
      ),
    );
    return verdict(all(...outcomes), `Final test loss ${parts.join('; ')}.`, numbers, reads);
  },
};
