import { describe, expect, it } from 'vitest';
import { editAction, splitPatch } from './draft.svelte';
import type { Lifecycle } from './lifecycle';

const hot = { batchSize: 8 };
const cold = { seed: 7 };

describe('what an edit does to the selected run', () => {
  it('a draft takes any change in place', () => {
    const draft: Lifecycle = { kind: 'draft' };
    expect(editAction(draft, 0, hot)).toBe('edit');
    expect(editAction(draft, 0, cold)).toBe('edit');
  });

  it('an ended run is never changed: the edit makes a new draft', () => {
    for (const kind of ['finished', 'diverged'] as const) {
      expect(editAction({ kind }, 300, hot)).toBe('new-draft');
      expect(editAction({ kind }, 300, cold)).toBe('new-draft');
    }
    expect(editAction({ kind: 'failed', wasRunning: true }, 10, hot)).toBe('new-draft');
  });

  it('a run part-way through takes hot changes as switches, cold ones as a new draft', () => {
    for (const state of [{ kind: 'running' }, { kind: 'paused' }, { kind: 'queued' }] as const) {
      expect(editAction(state, 120, hot)).toBe('switch');
      expect(editAction(state, 120, cold)).toBe('new-draft');
      expect(editAction(state, 120, { ...hot, ...cold })).toBe('new-draft');
    }
  });

  it('a run that has not trained a step starts again with the change', () => {
    expect(editAction({ kind: 'paused' }, 0, cold)).toBe('restart');
    expect(editAction({ kind: 'starting', next: 'play' }, 0, hot)).toBe('restart');
  });

  it('splits a change into its hot fields', () => {
    expect(splitPatch({ ...hot, ...cold })).toEqual({ hot, cold: true });
    expect(splitPatch(hot)).toEqual({ hot, cold: false });
  });
});
