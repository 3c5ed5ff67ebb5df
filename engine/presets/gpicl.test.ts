import { describe, expect, it } from 'vitest';
import { gpicl, gpiclVerdict } from './gpicl';
import { inContextExtra } from './in-context-extra';
import type { ArmResult, PresetResults } from './types';

const ln4 = Math.log(4);

function results(extra: (label: string, seed: number) => Record<string, number>): PresetResults {
  return Object.fromEntries(
    gpicl.arms.map((a) => [
      a.label,
      [0, 1, 2].map((seed): ArmResult => ({
        label: a.label,
        seed,
        loss: [],
        evalSteps: [],
        testLoss: [],
        testAccuracy: [],
        finalTestLoss: 1,
        bestTestLoss: 1,
        finalTestAccuracy: 0.25,
        finalTrainLoss: 1,
        extra: extra(a.label, seed),
        wallMs: 0,
      })),
    ]),
  );
}

const memorized = (seed: number) => ({
  trainLate: 0.9 + 0.01 * seed,
  unseenEarly: 0.25 + 0.005 * seed,
  unseenLate: 0.26 - 0.005 * seed,
  plateau: 0,
  plateauSteps: 0,
});

describe('gpicl verdict', () => {
  it('says "inconclusive: plateau" when the fresh arm sits at chance and does not rise', () => {
    const v = gpiclVerdict(
      results((label, seed) =>
        label.startsWith('2^4')
          ? memorized(seed)
          : {
              trainLate: 0.25,
              unseenEarly: 0.25 + 0.01 * seed,
              unseenLate: 0.25 - 0.005 * seed,
              plateau: 1,
              plateauSteps: 380,
            },
      ),
    );
    expect(v.outcome).toBe('inconclusive');
    expect(v.summary.startsWith('inconclusive: plateau')).toBe(true);
    expect(v.summary).toContain('380');
    expect(v.numbers.freshPlateauSteps).toBe(380);
  });

  it('fails when few tasks generalize to unseen tasks instead of memorizing, plateau or not', () => {
    const v = gpiclVerdict(
      results((label, seed) =>
        label.startsWith('2^4')
          ? { ...memorized(seed), unseenLate: 0.6 + 0.01 * seed }
          : { trainLate: 0.25, unseenEarly: 0.25, unseenLate: 0.25, plateau: 1, plateauSteps: 400 },
      ),
    );
    expect(v.outcome).toBe('fail');
  });

  it('passes on memorizing few tasks and a rise with position on the fresh arm', () => {
    const v = gpiclVerdict(
      results((label, seed) =>
        label.startsWith('2^4')
          ? memorized(seed)
          : {
              trainLate: 0.6,
              unseenEarly: 0.3 + 0.01 * seed,
              unseenLate: 0.5 - 0.01 * seed,
              plateau: 0,
              plateauSteps: 0,
            },
      ),
    );
    expect(v.outcome, v.summary).toBe('pass');
    expect(v.numbers.freshRise).toBeCloseTo(0.18, 9);
  });
});

describe('inContextExtra', () => {
  it('averages the first and last quarter of positions and measures the plateau', () => {
    const unseen = [0.2, 0.3, 0.25, 0.25, 0.25, 0.25, 0.4, 0.5];
    const train = [0.5, 0.7, 0.8, 0.8, 0.9, 0.9, 1, 1];
    const loss = Array.from({ length: 300 }, () => ln4);
    const e = inContextExtra(
      { kind: 'in-context', classes: 4, trainingTasks: 16, sequences: 8, train, unseen },
      loss,
    );
    expect(e.unseenEarly).toBeCloseTo(0.25, 12);
    expect(e.unseenLate).toBeCloseTo(0.45, 12);
    expect(e.trainEarly).toBeCloseTo(0.6, 12);
    expect(e.trainLate).toBeCloseTo(1, 12);
    expect(e.unseenMaxDev).toBeCloseTo(0.25, 12);
    expect(e.chance).toBe(0.25);
    expect(e.plateau).toBe(1);
    expect(e.plateauSteps).toBe(300);
  });
});
