import { getContext, setContext } from 'svelte';
import type { RunConfig } from '../../engine/lite';
import { RunHandle } from './run-handle.svelte';

/** The runs on screen, each with its own worker. */
export class RunsStore {
  #runs = $state.raw<readonly RunHandle[]>([]);

  get runs(): readonly RunHandle[] {
    return this.#runs;
  }

  /** The run the controls act on: the newest one. */
  get current(): RunHandle | null {
    return this.#runs.length > 0 ? this.#runs[this.#runs.length - 1] : null;
  }

  start(config: RunConfig, options: { paused: boolean }): RunHandle {
    const run = new RunHandle(config, options);
    this.#runs = [...this.#runs, run];
    return run;
  }

  remove(run: RunHandle): void {
    run.dispose();
    this.#runs = this.#runs.filter((r) => r !== run);
  }

  /** Ends every run and starts one fresh (paused) run with `config`. */
  replaceAll(config: RunConfig): RunHandle {
    for (const run of this.#runs) run.dispose();
    this.#runs = [];
    return this.start(config, { paused: true });
  }
}

const KEY = Symbol('runs');

export function setRunsContext(store: RunsStore): RunsStore {
  return setContext(KEY, store);
}

export function getRunsContext(): RunsStore {
  return getContext<RunsStore>(KEY);
}
