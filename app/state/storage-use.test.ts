import { describe, expect, it } from 'vitest';
import { describeUse, formatBytes } from './storage-use';

describe('storage use', () => {
  it('formats bytes in the unit a reader expects', () => {
    expect([12, 830_400, 2_400_000, 10_748_979_009].map(formatBytes)).toEqual([
      '12 B',
      '830 kB',
      '2.4 MB',
      '10.7 GB',
    ]);
  });

  it('says what the browser reports, and whether the data is kept under pressure', () => {
    expect(describeUse({ usage: 2_400_000, quota: 10e9, persistent: true })).toBe(
      'Saved runs and the offline app use 2.4 MB of 10.0 GB in this browser (kept when space runs low).',
    );
    expect(describeUse({ usage: 5000, quota: null, persistent: false })).toBe(
      'Saved runs and the offline app use 5 kB in this browser (the browser may clear them when space runs low).',
    );
    expect(describeUse({ usage: null, quota: null, persistent: null })).toMatch(/does not say/);
  });
});
