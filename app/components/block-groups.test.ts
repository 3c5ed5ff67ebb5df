import { describe, expect, it } from 'vitest';
import { groupByBlock } from './block-groups';

describe('tensor lists grouped by block', () => {
  it('groups by the first path segment, in order', () => {
    const names = [
      'tok/table',
      'block0/attn/q',
      'block0/mlp/w',
      'block1/attn/q',
      'head/kernel',
      'bias',
    ];
    const groups = groupByBlock(names, (n) => n);
    expect(groups.map((g) => [g.block, g.items.length])).toEqual([
      ['tok', 1],
      ['block0', 2],
      ['block1', 1],
      ['head', 1],
      ['bias', 1],
    ]);
  });
});
