import { describe, expect, it } from 'vitest';
import {
  busy,
  holdsSlot,
  INITIAL,
  playable,
  startFromQueue,
  transition,
  waiting,
  wantsToRun,
  type Lifecycle,
  type LifecycleEvent,
} from './lifecycle';

/** Every state, by a short name; `failed:ran` was training (or about to) when it failed. */
const STATES: Record<string, Lifecycle> = {
  'starting:pause': { kind: 'starting', next: 'pause' },
  'starting:play': { kind: 'starting', next: 'play' },
  'starting:queue': { kind: 'starting', next: 'queue' },
  paused: { kind: 'paused' },
  queued: { kind: 'queued' },
  running: { kind: 'running' },
  finished: { kind: 'finished' },
  diverged: { kind: 'diverged' },
  'failed:ran': { kind: 'failed', wasRunning: true },
  'failed:idle': { kind: 'failed', wasRunning: false },
};

/** Every event, in the order of the table's columns. */
const EVENTS: readonly [string, LifecycleEvent][] = [
  ['play', { type: 'play', slotFree: true }],
  ['play, no slot', { type: 'play', slotFree: false }],
  ['pause', { type: 'pause' }],
  ['worker: starting', { type: 'reported', status: 'starting' }],
  ['worker: paused', { type: 'reported', status: 'paused' }],
  ['worker: running', { type: 'reported', status: 'running' }],
  ['worker: finished', { type: 'reported', status: 'finished' }],
  ['worker: diverged', { type: 'reported', status: 'diverged' }],
  ['worker: failed', { type: 'reported', status: 'failed' }],
  ['device lost', { type: 'device-lost' }],
  ['crashed', { type: 'crashed' }],
];

const F = 'failed:ran';
const f = 'failed:idle';

/**
 * The expected state after each event (columns as in EVENTS), with the command told to the worker
 * after a '+'. Written out by hand from what the handle did when the lifecycle lived in flags, with
 * three intended differences: Play and Pause change the state at once (the worker's report used
 * to), `failed` is final (reports after it used to overwrite it), and a failed run holds no slot.
 */
// prettier-ignore
const TABLE: Record<string, readonly string[]> = {
  //                 play               no slot           pause              w:starting         w:paused           w:running  w:finished  w:diverged  w:failed    lost  crashed
  'starting:pause': ['starting:play',   'starting:queue', 'starting:pause', 'starting:pause', 'paused',          'running', 'finished', 'diverged', f, f, f],
  'starting:play':  ['starting:play',   'starting:queue', 'starting:pause', 'starting:play',  'running+resume',  'running', 'finished', 'diverged', F, F, F],
  'starting:queue': ['starting:play',   'starting:queue', 'starting:pause', 'starting:queue', 'queued',          'running', 'finished', 'diverged', F, F, F],
  paused:           ['running+resume',  'queued',         'paused',         'paused',         'paused',          'running', 'finished', 'diverged', f, f, f],
  queued:           ['running+resume',  'queued',         'paused',         'queued',         'queued',          'running', 'finished', 'diverged', F, F, F],
  running:          ['running',         'running',        'paused+pause',   'running',        'paused',          'running', 'finished', 'diverged', F, F, F],
  finished:         ['finished',        'finished',       'finished',       'finished',       'paused',          'running', 'finished', 'diverged', f, f, f],
  diverged:         ['diverged',        'diverged',       'diverged',       'diverged',       'paused',          'running', 'finished', 'diverged', f, f, f],
  'failed:ran':     [F, F, F, F, F, F, F, F, F, F, F],
  'failed:idle':    [f, f, f, f, f, f, f, f, f, f, f],
};

describe('the run lifecycle', () => {
  it('the table covers every state and every event', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(STATES).sort());
    for (const row of Object.values(TABLE)) expect(row).toHaveLength(EVENTS.length);
  });

  for (const [from, row] of Object.entries(TABLE)) {
    describe(`from ${from}`, () => {
      EVENTS.forEach(([name, event], i) => {
        const [to, command = null] = row[i].split('+');
        it(`${name} -> ${row[i]}`, () => {
          const next = transition(STATES[from], event);
          expect(next.state).toEqual(STATES[to]);
          expect(next.command).toBe(command);
        });
      });
    });
  }

  it('starts paused-to-be, with nothing asked of it', () => {
    expect(INITIAL).toEqual({ kind: 'starting', next: 'pause' });
    expect(wantsToRun(INITIAL)).toBe(false);
  });

  it('a lost device after the failed read it caused keeps whether the run was training', () => {
    const failedRead = transition({ kind: 'running' }, { type: 'reported', status: 'failed' }).state;
    expect(transition(failedRead, { type: 'device-lost' }).state).toEqual({ kind: 'failed', wasRunning: true });
    const idle = transition({ kind: 'paused' }, { type: 'reported', status: 'failed' }).state;
    expect(transition(idle, { type: 'device-lost' }).state).toEqual({ kind: 'failed', wasRunning: false });
  });
});

describe('slots and the queue', () => {
  // prettier-ignore
  const KINDS: Record<string, readonly [holds: boolean, waits: boolean, playable: boolean]> = {
    'starting:pause': [false, false, false],
    'starting:play':  [true,  false, false],
    'starting:queue': [false, true,  false],
    paused:           [false, false, true],
    queued:           [false, true,  true],
    running:          [true,  false, false],
    finished:         [false, false, false],
    diverged:         [false, false, false],
    'failed:ran':     [false, false, false],
    'failed:idle':    [false, false, false],
  };
  for (const [name, [holds, waits, canPlay]] of Object.entries(KINDS)) {
    it(`${name}: holds a slot ${holds}, waits ${waits}, playable ${canPlay}`, () => {
      const s = STATES[name];
      expect(holdsSlot(s)).toBe(holds);
      expect(waiting(s)).toBe(waits);
      expect(wantsToRun(s)).toBe(holds || waits);
      expect(playable(s)).toBe(canPlay);
    });
  }

  it('busy counts the runs that train or start to', () => {
    expect(busy(Object.values(STATES))).toBe(2);
    expect(busy([])).toBe(0);
  });

  it('fills the free slots with the oldest waiting runs', () => {
    const { running, queued, paused } = STATES;
    const startingQueue = STATES['starting:queue'];
    // limit 3, one slot taken: two free, for the first two waiting runs.
    expect(startFromQueue([queued, running, paused, startingQueue, queued], 3)).toEqual([0, 3]);
    expect(startFromQueue([running, running, queued], 2)).toEqual([]);
    expect(startFromQueue([running, running, running, queued], 2)).toEqual([]);
    expect(startFromQueue([paused, queued], 2)).toEqual([1]);
  });

  it('a queued run played into a free slot then holds it', () => {
    const states = [STATES.running, STATES.queued];
    const [i] = startFromQueue(states, 2);
    const played = transition(states[i], { type: 'play', slotFree: true });
    expect(played).toEqual({ state: { kind: 'running' }, command: 'resume' });
    expect(busy([states[0], played.state])).toBe(2);
  });
});
