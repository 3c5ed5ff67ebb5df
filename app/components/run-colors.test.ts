import { describe, expect, it } from 'vitest';
import { distinctColors, PALETTE } from './run-colors';

describe('run colours', () => {
  it('keeps each run’s own colour when no other run shows it', () => {
    const colors = distinctColors([
      { id: 'a', color: PALETTE[0], createdAt: 1 },
      { id: 'b', color: PALETTE[1], createdAt: 2 },
    ]);
    expect([...colors.values()]).toEqual([PALETTE[0], PALETTE[1]]);
  });

  it('an imported run with a colour already shown gets another one, the same whatever the list order', () => {
    const runs = [
      { id: 'run-a', color: PALETTE[0], createdAt: 1 },
      { id: 'run-b', color: PALETTE[1], createdAt: 2 },
      { id: 'run-imported', color: PALETTE[0], createdAt: 3 },
    ];
    const colors = distinctColors(runs);
    expect(new Set(colors.values()).size).toBe(3);
    expect(colors.get('run-a')).toBe(PALETTE[0]);
    expect(distinctColors([...runs].reverse())).toEqual(colors);
  });

  it('a seed group shares one colour; more runs than the palette still differ', () => {
    const seeds = [1, 2, 3].map((i) => ({
      id: `s${i}`,
      color: PALETTE[2],
      group: 'g',
      createdAt: 1,
    }));
    const colors = distinctColors(seeds);
    expect(new Set(colors.values())).toEqual(new Set([PALETTE[2]]));
    const many = Array.from({ length: 12 }, (_, i) => ({
      id: `r${i}`,
      color: PALETTE[0],
      createdAt: i,
    }));
    expect(new Set(distinctColors(many).values()).size).toBe(12);
  });

  it('shown runs get their own colour before hidden ones', () => {
    const colors = distinctColors([
      { id: 'old', color: PALETTE[3], createdAt: 1, hidden: true },
      { id: 'new', color: PALETTE[3], createdAt: 2 },
    ]);
    expect(colors.get('new')).toBe(PALETTE[3]);
    expect(colors.get('old')).not.toBe(PALETTE[3]);
  });

  it('a run of another tab never takes the colour of this tab’s, even an older one', () => {
    // Each tab gives its first run the first palette colour: the guest is older, yet yields.
    const colors = distinctColors(
      [{ id: 'mine', color: PALETTE[0], createdAt: 2 }],
      [{ id: 'theirs', color: PALETTE[0], createdAt: 1 }],
    );
    expect(colors.get('mine')).toBe(PALETTE[0]);
    expect(colors.get('theirs')).not.toBe(PALETTE[0]);
    expect(colors.get('theirs')).toMatch(/^#|^hsl/);
  });
});
