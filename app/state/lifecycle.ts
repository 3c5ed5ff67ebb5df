import type { RunStatus } from '../../workers/protocol';

/**
 * A run's lifecycle as one state and one pure transition function, and the queue that shares the
 * training slots between runs. No TF.js, no Svelte, no worker: RunHandle feeds it events (the
 * user's Play and Pause, the worker's reports) and carries out the command it returns.
 *
 *                    ready [next=pause]                pause / pause
 *          .-------------------------------> paused <-------------------------------.
 *          |                                 |    ^  \                              |
 *          |                  play [no slot] |    |   \  play [slot free] / resume  |
 *          |                                 v    |    '---------------------.      |
 *   starting ---- ready [next=queue] ----> queued-' pause                    v      |
 *          |                                 |                            running --'
 *          |                                 '--- a slot frees: play ------> ^  |
 *          |                                      [slot free] / resume       |  |
 *          '---- ready [next=play] / resume ---------------------------------'  |
 *                                                  worker: finished or diverged |
 *                                                                               v
 *                paused <--- worker: paused (more steps were set) ------ finished, diverged
 *
 *   draft ---- play / launch ----> starting [next=play, or queue with no slot free]
 *
 *   any state ---- worker: failed | device lost | worker crashed ----> failed (final: recovery
 *   is a new run in a fresh worker: RunsStore.restart, or the move after a lost device)
 *
 *   A draft is a run that has not begun: its settings can still change and it has no worker yet
 *   (pause and worker reports leave it alone). Play launches its worker: "launch" tells the handle
 *   to create one and start it paused; the starting state then plays or queues as asked.
 *
 *   While starting, Play sets next = play [slot free] or queue [no slot], Pause sets next = pause.
 *   "event / command": on the event, tell the worker the command. Play and Pause act at once; the
 *   worker's report follows and wins. A run holds one of the limited slots while it is running or
 *   starting with next = play; the queue is the runs that asked to train while none was free.
 */

/** What to do once the worker is ready, as asked while it was starting. */
export type Intent = 'pause' | 'play' | 'queue';

export type Lifecycle =
  /** Not begun: settings still editable, no worker yet. */
  | { readonly kind: 'draft' }
  /** The worker builds the run (backend, model, data); it starts paused. */
  | { readonly kind: 'starting'; readonly next: Intent }
  | { readonly kind: 'paused' }
  /** Asked to train while every slot was taken; its worker is paused until a slot frees. */
  | { readonly kind: 'queued' }
  | { readonly kind: 'running' }
  | { readonly kind: 'finished' }
  | { readonly kind: 'diverged' }
  /**
   * Stopped for good. `wasRunning`: it trained, or was about to, when it failed, so a run moved to
   * another backend after a lost device goes on training (the loss can be reported after the
   * failed read it causes).
   */
  | { readonly kind: 'failed'; readonly wasRunning: boolean };

export type LifecycleEvent =
  /** The user or the queue asks it to train; `slotFree`: fewer other runs than the limit train. */
  | { readonly type: 'play'; readonly slotFree: boolean }
  | { readonly type: 'pause' }
  /** The worker's own status report. */
  | { readonly type: 'reported'; readonly status: RunStatus }
  /** The worker's GPU device (or WebGL context) is gone. */
  | { readonly type: 'device-lost' }
  /** The worker died, or could not be started. */
  | { readonly type: 'crashed' };

/**
 * What the handle does after a transition: tell the worker to resume or pause, or (`launch`)
 * create the worker of a draft and start it paused.
 */
export type WorkerCommand = 'resume' | 'pause' | 'launch';

export interface Transition {
  readonly state: Lifecycle;
  readonly command: WorkerCommand | null;
}

/** Every run starts here: its worker is told to start paused. */
export const INITIAL: Lifecycle = { kind: 'starting', next: 'pause' };

/** A run made to be edited before it starts ("Add run", an edit of a run that has ended). */
export const DRAFT: Lifecycle = { kind: 'draft' };

const PAUSED: Lifecycle = { kind: 'paused' };
const QUEUED: Lifecycle = { kind: 'queued' };
const RUNNING: Lifecycle = { kind: 'running' };

const to = (state: Lifecycle, command: WorkerCommand | null = null): Transition => ({
  state,
  command,
});

/** The one transition function: the state after `event`, and what to tell the worker. */
export function transition(state: Lifecycle, event: LifecycleEvent): Transition {
  if (state.kind === 'failed') return to(state);
  if (state.kind === 'draft') return fromDraft(event);
  switch (event.type) {
    case 'play':
      return play(state, event.slotFree);
    case 'pause':
      return pause(state);
    case 'reported':
      return reported(state, event.status);
    case 'device-lost':
    case 'crashed':
      return to({ kind: 'failed', wasRunning: wantsToRun(state) });
  }
}

/** A draft only leaves on Play (its worker is launched) or on a crash; it has no worker to report. */
function fromDraft(event: LifecycleEvent): Transition {
  switch (event.type) {
    case 'play':
      return to({ kind: 'starting', next: event.slotFree ? 'play' : 'queue' }, 'launch');
    case 'device-lost':
    case 'crashed':
      return to({ kind: 'failed', wasRunning: false });
    default:
      return to(DRAFT);
  }
}

function play(state: Lifecycle, slotFree: boolean): Transition {
  switch (state.kind) {
    case 'starting':
      return to({ kind: 'starting', next: slotFree ? 'play' : 'queue' });
    case 'paused':
    case 'queued':
      return slotFree ? to(RUNNING, 'resume') : to(QUEUED);
    default:
      return to(state); // running already, or at an end Play cannot leave
  }
}

function pause(state: Lifecycle): Transition {
  switch (state.kind) {
    case 'starting':
      return to({ kind: 'starting', next: 'pause' });
    case 'queued':
      return to(PAUSED);
    case 'running':
      return to(PAUSED, 'pause');
    default:
      return to(state);
  }
}

function reported(state: Lifecycle, status: RunStatus): Transition {
  switch (status) {
    case 'starting':
      return to(state);
    case 'paused':
      if (state.kind === 'queued') return to(state); // paused is how a queued run's worker waits
      if (state.kind !== 'starting') return to(PAUSED);
      if (state.next === 'play') return to(RUNNING, 'resume');
      return to(state.next === 'queue' ? QUEUED : PAUSED);
    case 'running':
      return to(RUNNING);
    case 'finished':
    case 'diverged':
      return to({ kind: status });
    case 'failed':
      return to({ kind: 'failed', wasRunning: wantsToRun(state) });
  }
}

/** Whether it takes one of the limited slots: it trains, or starts to. */
export function holdsSlot(state: Lifecycle): boolean {
  return state.kind === 'running' || (state.kind === 'starting' && state.next === 'play');
}

/** Whether it waits in the queue for a slot (or will, once its worker is ready). */
export function waiting(state: Lifecycle): boolean {
  return state.kind === 'queued' || (state.kind === 'starting' && state.next === 'queue');
}

/** Whether it trains, waits to, or was asked to as soon as its worker is ready. */
export function wantsToRun(state: Lifecycle): boolean {
  return holdsSlot(state) || waiting(state);
}

/** Whether Play can start it: a draft, or ready and not at an end. */
export function playable(state: Lifecycle): boolean {
  return state.kind === 'draft' || state.kind === 'paused' || state.kind === 'queued';
}

/** Whether its settings may still change in place: it has not begun. */
export function editable(state: Lifecycle): boolean {
  return state.kind === 'draft';
}

/** Whether it has come to an end (finished, diverged or failed): it never changes again. */
export function ended(state: Lifecycle): boolean {
  return state.kind === 'finished' || state.kind === 'diverged' || state.kind === 'failed';
}

/** How many slots are taken: the one count the concurrency limit applies to. */
export function busy(states: readonly Lifecycle[]): number {
  return states.filter(holdsSlot).length;
}

/** Fills the free slots: the indices of the waiting runs to play now, oldest (first) first. */
export function startFromQueue(states: readonly Lifecycle[], limit: number): number[] {
  let free = limit - busy(states);
  const start: number[] = [];
  states.forEach((state, i) => {
    if (free > 0 && waiting(state)) {
      start.push(i);
      free--;
    }
  });
  return start;
}
