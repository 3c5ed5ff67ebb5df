import type { RunHandle } from '../state/run-handle.svelte';

/** What browser tests read from `window.__embed` inside the widget's iframe. */
export interface EmbedState {
  readonly status: RunHandle['status'];
  readonly step: number;
  /** The reader asked to train (Play, autoplay or the host's `play()`). */
  readonly wantsToRun: boolean;
  /** Training is held because the widget is off screen or its tab is hidden. */
  readonly held: boolean;
  readonly backend: string | null;
  /** Training loss at the latest evaluation (NaN before the first). */
  readonly loss: number;
  readonly problems: readonly string[];
}

export interface EmbedHook {
  state(): EmbedState;
}

declare global {
  interface Window {
    __embed?: EmbedHook;
  }
}
