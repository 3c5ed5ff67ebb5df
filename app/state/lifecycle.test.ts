import { describe, expect, it } from 'vitest';
import {
  busy,
  DRAFT,
  editable,
  ended,
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
  draft: { kind: 'draft' },
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

// Short names for the table: the states, and "+ command told to the worker".
const [SP, SPL, SQ] = ['starting:pause', 'starting:play', 'starting:queue'];
const [P, Q, R, FIN, DIV] = ['paused', 'queued', 'running', 'finished', 'diverged'];
const [F, f, D] = ['failed:ran', 'failed:idle', 'draft'];
const [R_RESUME, P_PAUSE] = ['running+resume', 'paused+pause'];
const [SPL_LAUNCH, SQ_LAUNCH] = ['starting:play+launch', 'starting:queue+launch'];

/**
 * The expected state after each event (columns as in EVENTS), with the command told to the worker
 * after a '+'. Written out by hand from what the handle did when the lifecycle lived in flags, with
 * three intended differences: Play and Pause change the state at once (the worker's report used
 * to), `failed` is final (reports after it used to overwrite it), and a failed run holds no slot.
 */
// prettier-ignore
const TABLE: Record<string, readonly string[]> = {
  // play, play with no slot, pause; worker: starting, paused, running, finished, diverged,
  // failed; device lost; crashed
  [D]:   [SPL_LAUNCH, SQ_LAUNCH, D, D, D, D, D, D, D, f, f],
  [SP]:  [SPL,      SQ,  SP,      SP,  P,        R, FIN, DIV, f, f, f],
  [SPL]: [SPL,      SQ,  SP,      SPL, R_RESUME, R, FIN, DIV, F, F, F],
  [SQ]:  [SPL,      SQ,  SP,      SQ,  Q,        R, FIN, DIV, F, F, F],
  [P]:   [R_RESUME, Q,   P,       P,   P,        R, FIN, DIV, f, f, f],
  [Q]:   [R_RESUME, Q,   P,       Q,   Q,        R, FIN, DIV, F, F, F],
  [R]:   [R,        R,   P_PAUSE, R,   P,        R, FIN, DIV, F, F, F],
  [FIN]: [FIN,      FIN, FIN,     FIN, P,        R, FIN, DIV, f, f, f],
  [DIV]: [DIV,      DIV, DIV,     DIV, P,        R, FIN, DIV, f, f, f],
  [F]:   [F,        F,   F,       F,   F,        F, F,   F,   F, F, F],
  [f]:   [f,        f,   f,       f,   f,        f, f,   f,   f, f, f],
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
    const failedRead = { type: 'reported', status: 'failed' } as const;
    const lost = { type: 'device-lost' } as const;
    const wasTraining = transition({ kind: 'running' }, failedRead).state;
    expect(transition(wasTraining, lost).state).toEqual({ kind: 'failed', wasRunning: true });
    const wasIdle = transition({ kind: 'paused' }, failedRead).state;
    expect(transition(wasIdle, lost).state).toEqual({ kind: 'failed', wasRunning: false });
  });
});

describe('slots and the queue', () => {
  // prettier-ignore
  const KINDS: Record<string, readonly [holds: boolean, waits: boolean, playable: boolean]> = {
    draft:            [false, false, true],
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

  it('only a draft is edited in place; only finished, diverged and failed runs have ended', () => {
    const names = Object.keys(STATES);
    expect(names.filter((n) => editable(STATES[n]))).toEqual(['draft']);
    expect(names.filter((n) => ended(STATES[n]))).toEqual([
      'finished',
      'diverged',
      'failed:ran',
      'failed:idle',
    ]);
    expect(DRAFT).toEqual({ kind: 'draft' });
  });

  it('a draft played with no slot free launches its worker and queues once ready', () => {
    const launched = transition(DRAFT, { type: 'play', slotFree: false });
    expect(launched).toEqual({ state: { kind: 'starting', next: 'queue' }, command: 'launch' });
    expect(waiting(launched.state)).toBe(true);
    expect(transition(launched.state, { type: 'reported', status: 'paused' }).state).toEqual({
      kind: 'queued',
    });
  });

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
