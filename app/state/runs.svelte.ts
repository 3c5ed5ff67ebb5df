import { concurrencyLimit } from './cores';
import type { HotPatch, RunConfig } from '../../engine/tf-free';
import { historySuffix, historyUntil, switchAt } from './config-history';
import { diffLabels } from './labels';
import { busy, startFromQueue } from './lifecycle';
import { fromScratch } from './derive';
import { RunHandle, type RunOrigin } from './run-handle.svelte';
import type { RunSnapshot } from '../../engine/index';

/** Eight colors that stay distinct on white, in the order runs get them. */
export const RUN_COLORS = [
  '#0877bd',
  '#e8590c',
  '#2b8a3e',
  '#ae3ec9',
  '#c92a2a',
  '#1098ad',
  '#a08a00',
  '#495057',
];

/**
 * The runs on screen, each with its own worker, and which one the controls act on. It keeps the
 * queue: at most `limit` runs hold a slot (app/state/lifecycle.ts says which do), the rest of those
 * asked to train wait, and each change that may free a slot starts the oldest waiting ones.
 */
export class RunsStore {
  #runs = $state.raw<readonly RunHandle[]>([]);
  #selectedId = $state<string | null>(null);
  #colorIndex = 0;
  readonly limit = concurrencyLimit();
  /** Told whenever a run leaves the screen for good (deleted, or replaced by a fresh one), e.g. to drop it from storage. */
  onGone: (run: RunHandle) => void = () => {};
  /**
   * Each run's label: what its first settings differ in from the others', then each switch with
   * the step it took effect from, so a label never claims settings a stretch of steps did not have.
   */
  readonly labels = $derived.by(() => {
    const labels = diffLabels(this.#runs.map((r) => r.history[0].config));
    return new Map(this.#runs.map((r, i) => [r.id, labels[i] + historySuffix(r.history)]));
  });

  get runs(): readonly RunHandle[] {
    return this.#runs;
  }

  /** The run the controls act on. */
  get selected(): RunHandle | null {
    return (
      this.#runs.find((r) => r.id === this.#selectedId) ?? this.#runs[this.#runs.length - 1] ?? null
    );
  }

  /** How many runs hold a slot: they train, or start to. */
  get running(): number {
    return busy(this.#runs.map((r) => r.lifecycle));
  }

  labelOf(run: RunHandle): string {
    return this.labels.get(run.id) ?? run.id;
  }

  select(run: RunHandle): void {
    this.#selectedId = run.id;
  }

  /** Adds a paused run. */
  add(config: RunConfig, origin: Partial<RunOrigin> = {}): RunHandle {
    const color = origin.color ?? RUN_COLORS[this.#colorIndex++ % RUN_COLORS.length];
    // Without a parent or a state to go on from, a derived run's settings make a run from scratch.
    const own = origin.parentSnapshot || origin.snapshot ? config : fromScratch(config);
    const run = new RunHandle(own, { ...origin, color }, (r) => this.#changed(r));
    this.#runs = [...this.#runs, run];
    this.#selectedId = run.id;
    return run;
  }

  /**
   * Adds a draft with `config`, selected: a run not begun whose settings can still change, with
   * no worker until Play. `base` is the run it was made from, for the diff it shows.
   */
  addDraft(config: RunConfig, base?: RunHandle): RunHandle {
    return this.add(config, {
      draft: true,
      ...(base ? { base: { id: base.id, config: base.config } } : {}),
    });
  }

  /** Starts a run now, or queues it when every slot is taken. */
  play(run: RunHandle): void {
    const others = this.#runs.filter((r) => r !== run).map((r) => r.lifecycle);
    run.play(busy(others) < this.limit);
  }

  pause(run: RunHandle): void {
    run.pause();
    this.#fillSlots();
  }

  remove(run: RunHandle): void {
    run.dispose();
    this.onGone(run);
    this.#runs = this.#runs.filter((r) => r !== run);
    this.#fillSlots();
  }

  /** Takes a run off this screen but not out of storage (another tab of the app took it over). */
  detach(run: RunHandle): void {
    run.dispose();
    this.#runs = this.#runs.filter((r) => r !== run);
    this.#fillSlots();
  }

  /** Ends every run and starts one fresh (paused) run with `config`. */
  replaceAll(config: RunConfig): RunHandle {
    for (const run of this.#runs) {
      run.dispose();
      this.onGone(run);
    }
    this.#runs = [];
    this.#colorIndex = 0;
    return this.add(config);
  }

  /** Replaces one run by a fresh one with a new config, keeping its color and place (a draft is edited). */
  replace(run: RunHandle, config: RunConfig): RunHandle {
    if (run.editDraft(config)) return run;
    const keepRunning = run.wantsToRun;
    run.dispose();
    this.onGone(run);
    const fresh = new RunHandle(fromScratch(config), { color: run.color }, (r) => this.#changed(r));
    this.#runs = this.#runs.map((r) => (r === run ? fresh : r));
    this.#selectedId = fresh.id;
    if (keepRunning) this.play(fresh);
    this.#fillSlots();
    return fresh;
  }

  /**
   * A new run from `parent`'s exact state at its current step (parameters, optimizer state, rng,
   * data cursor), with `patch` applied to its hot fields. With no change it continues exactly as
   * the parent would.
   */
  async fork(parent: RunHandle, patch: HotPatch, play: boolean): Promise<RunHandle | string> {
    const snapshot = await parent.snapshot();
    if (!snapshot) return 'That run has not started yet, so there is nothing to fork.';
    const config = { ...parent.config, ...patch };
    const inherited = historyUntil(parent.history, snapshot.step);
    const run = this.add(config, {
      history: switchAt(inherited, snapshot.step + 1, config),
      snapshot,
      // A fork of a distilling run keeps its teacher.
      ...(parent.parentSnapshot ? { parentSnapshot: parent.parentSnapshot } : {}),
      parentId: parent.id,
      forkStep: snapshot.step,
      series: parent.series.until(snapshot.step),
      switches: [
        ...parent.switches.filter((s) => s.step <= snapshot.step),
        { step: snapshot.step, label: 'fork' },
      ],
    });
    if (play) this.play(run);
    return run;
  }

  /**
   * A run derived from `parent`'s weights now (pruned, fine-tuned on other data; engine/derive):
   * `config` says how (`init`, `distill`). Unlike a fork it starts at step 0 with a fresh
   * optimizer, schedule and data position; the parent's curves come along as a reference.
   */
  async derive(parent: RunHandle, config: RunConfig, play: boolean): Promise<RunHandle | string> {
    const snapshot = await parent.snapshot();
    if (!snapshot) return 'That run has not started yet, so there are no weights to start from.';
    const run = this.add(config, {
      parentId: parent.id,
      parentSnapshot: snapshot,
      reference: { label: this.labelOf(parent), series: parent.series.until(snapshot.step) },
    });
    if (play) this.play(run);
    return run;
  }

  /**
   * Recovery for a diverged run: a new run from its last finite state with the learning rate
   * divided by ten.
   */
  async retryWithLowerLr(run: RunHandle): Promise<RunHandle | string> {
    const snapshot = await run.lastFiniteSnapshot();
    if (!snapshot)
      return 'This run has no finite state saved to go back to; start it again with a smaller learning rate.';
    const config = {
      ...run.config,
      optimizer: { ...run.config.optimizer, lr: run.config.optimizer.lr / 10 },
    };
    const retry = this.add(config, {
      history: switchAt(historyUntil(run.history, snapshot.step), snapshot.step + 1, config),
      snapshot,
      ...(run.parentSnapshot ? { parentSnapshot: run.parentSnapshot } : {}),
      parentId: run.id,
      forkStep: snapshot.step,
      series: run.series.until(snapshot.step),
      switches: [{ step: snapshot.step, label: `lr ÷ 10` }],
    });
    this.play(retry);
    return retry;
  }

  /** Recovery for a run whose worker died: the same run again, from its last snapshot if it has one. */
  restart(run: RunHandle): RunHandle {
    return this.#respawn(run, run.config, run.lastSnapshot, {});
  }

  /**
   * Recovery for a run whose GPU device (or WebGL context) was lost: the same run in a fresh worker
   * on the next backend, from the newest state it has (the worker's last finite snapshot or the
   * last one saved), said on the run. It keeps training if it was.
   */
  #moveBackend(run: RunHandle): void {
    const lost = run.lostDevice;
    if (!lost) return;
    const saved = run.lastSnapshot;
    const snapshot =
      lost.snapshot && (!saved || lost.snapshot.step >= saved.step) ? lost.snapshot : saved;
    const fromStep = snapshot?.step ?? 0;
    const to = lost.loss.next;
    const fresh = this.#respawn(run, { ...run.config, backend: to }, snapshot, {
      moved: { message: lost.loss.message, lostAtStep: lost.step, fromStep, to },
      switches: [
        ...run.switches.filter((s) => s.step <= fromStep),
        { step: fromStep, label: `moved to ${to}` },
      ],
    });
    if (lost.wasRunning) this.play(fresh);
  }

  /** A fresh handle (and worker) in `run`'s place, from `snapshot` when there is one. */
  #respawn(
    run: RunHandle,
    config: RunConfig,
    snapshot: RunSnapshot | null,
    extra: Pick<RunOrigin, 'moved' | 'switches'>,
  ): RunHandle {
    const fresh = new RunHandle(
      config,
      {
        color: run.color,
        ...(run.group ? { group: run.group } : {}),
        ...(run.parentId ? { parentId: run.parentId, forkStep: run.forkStep } : {}),
        // A derived run keeps its parent: a distilling one needs its teacher after a restart.
        ...(run.parentSnapshot ? { parentSnapshot: run.parentSnapshot } : {}),
        ...(run.reference ? { reference: run.reference } : {}),
        ...(snapshot
          ? {
              snapshot,
              series: run.series.until(snapshot.step),
              history: historyUntil(run.history, snapshot.step),
            }
          : {}),
        ...extra,
      },
      (r) => this.#changed(r),
    );
    const selected = this.selected === run;
    run.dispose();
    this.onGone(run);
    this.#runs = this.#runs.map((r) => (r === run ? fresh : r));
    if (selected || extra.moved === undefined) this.#selectedId = fresh.id;
    return fresh;
  }

  /** Three runs of one config with seeds s, s+1, s+2, drawn as a mean with a min–max band. */
  addSeeds(config: RunConfig, play: boolean): RunHandle[] {
    const group = `seeds-${Date.now().toString(36)}`;
    const color = RUN_COLORS[this.#colorIndex++ % RUN_COLORS.length];
    const runs = [0, 1, 2].map((i) =>
      this.add({ ...config, seed: config.seed + i }, { group, color }),
    );
    if (play) runs.forEach((r) => this.play(r));
    return runs;
  }

  /** A run's status changed: move it if its device was lost, then fill free slots. */
  #changed(run: RunHandle): void {
    if (run.lostDevice && this.#runs.includes(run)) this.#moveBackend(run);
    this.#fillSlots();
  }

  /** Plays the oldest waiting runs while slots are free. */
  #fillSlots(): void {
    const runs = this.#runs;
    for (const i of startFromQueue(
      runs.map((r) => r.lifecycle),
      this.limit,
    ))
      runs[i].play(true);
  }
}
