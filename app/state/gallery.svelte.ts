import {
  galleryArmConfig,
  armResult,
  readLines,
  type ArmResult,
  type ReadLine,
  type AvailablePreset,
  type PresetResults,
  type RunConfig,
  type Verdict,
  type VerdictRead,
  WIDTH_FRACTIONS,
  widthExtras,
} from '../../engine/tf-free';
import type { RunHandle } from './run-handle.svelte';
import type { RunsStore } from './runs.svelte';

/**
 * Measures the browser can take from a finished run; LR range tests, expert load and the measured
 * backward-pass memory run only in `npm run claims`.
 */
const BROWSER_MEASURES = new Set(['paramCount', 'widths']);

export function runsInBrowser(preset: AvailablePreset): boolean {
  // Arms derived from another arm's final weights (pruned, fine-tuned) run only in the claims
  // runner, which runs parents first; the gallery starts every arm at once.
  return preset.arms.every(
    (a) => !a.parent && (a.measures ?? []).every((m) => BROWSER_MEASURES.has(m)),
  );
}

interface ArmRun {
  readonly label: string;
  readonly seed: number;
  readonly run: RunHandle;
}

/** One preset being run in the browser: its arms' runs, and its verdict once they have all ended. */
export class PresetSession {
  readonly runs: readonly ArmRun[];
  constructor(
    readonly preset: AvailablePreset,
    store: RunsStore,
    /** Below 1: a quick look, shown as not a verdict (engine/presets/README.md, rule 1). */
    readonly stepScale: number,
    /** The backend the user chose for their own runs; presets follow it. */
    backend: RunConfig['backend'],
  ) {
    const runs: ArmRun[] = [];
    for (const arm of preset.arms) {
      const group = `${preset.id}-${arm.label}-${Date.now().toString(36)}`;
      for (let s = 0; s < arm.seeds; s++) {
        const run = store.add(
          { ...galleryArmConfig(preset, arm, s, stepScale), backend },
          { evaluateEveryChunk: true, ...(arm.seeds > 1 ? { group } : {}) },
        );
        runs.push({ label: arm.label, seed: s, run });
      }
    }
    this.runs = runs;
    for (const r of runs) store.play(r.run);
  }

  /** The 'widths' measure of each finished run, by run id, once its worker has answered. */
  #widths = $state.raw<Readonly<Record<string, Readonly<Record<string, number>>>>>({});
  #askedWidths = new Set<string>();

  /** Asks the runs of arms that measure widths to cut themselves to each width; false until all answered. */
  #widthsReady(): boolean {
    const measured = this.runs.filter(({ label }) =>
      this.preset.arms.find((a) => a.label === label)?.measures?.includes('widths'),
    );
    for (const { run } of measured) {
      if (this.#askedWidths.has(run.id)) continue;
      this.#askedWidths.add(run.id);
      void run.evaluateWidths(WIDTH_FRACTIONS).then((w) => {
        this.#widths = { ...this.#widths, [run.id]: w ? widthExtras(w) : {} };
      });
    }
    return measured.every(({ run }) => Object.hasOwn(this.#widths, run.id));
  }

  /** Finished runs out of all. */
  get progress(): { done: number; total: number } {
    return {
      done: this.runs.filter((r) => ['finished', 'diverged', 'failed'].includes(r.run.status))
        .length,
      total: this.runs.length,
    };
  }

  /** The verdict of the preset's falsifiable expectation, once every run has ended; null before. */
  get verdict(): Verdict | null {
    const results = this.#results();
    return results ? this.preset.verdict(results) : null;
  }

  /**
   * The charts the verdict rests on, once every run has ended (null before): each read's curves,
   * mean over seeds with their range, and the steps and levels it read.
   */
  get reads():
    readonly { readonly read: VerdictRead; readonly lines: readonly ReadLine[] }[] | null {
    const results = this.#results();
    if (!results) return null;
    return this.preset
      .verdict(results)
      .reads.map((read) => ({ read, lines: readLines(results, read) }));
  }

  /**
   * What the verdict rests on, arm by arm, once every run has ended: the learning rate each arm
   * ran at and each seed's final test loss and accuracy. Null before.
   */
  get arms(): readonly ArmSummary[] | null {
    const results = this.#results();
    if (!results) return null;
    return this.preset.arms.map((arm) => ({
      label: arm.label,
      lr: this.runs.find((r) => r.label === arm.label)?.run.config.optimizer.lr ?? Number.NaN,
      seeds: (results[arm.label] ?? []).map((r) => ({
        seed: r.seed,
        testLoss: r.finalTestLoss,
        testAccuracy: r.finalTestAccuracy,
      })),
    }));
  }

  /** Each arm's results as the verdict reads them, once every run has ended; null before. */
  #results(): PresetResults | null {
    const { done, total } = this.progress;
    if (done < total || !this.#widthsReady()) return null;
    const results: Record<string, ArmResult[]> = {};
    for (const { label, seed, run } of this.runs) {
      const extra: Record<string, number> = {};
      if (run.paramCount !== null) extra.params = run.paramCount;
      Object.assign(extra, this.#widths[run.id] ?? {});
      const memory = run.weights?.size.memory;
      if (memory) {
        extra.storedActivationBytes = memory.storedActivationBytes;
        extra.activationBytes = memory.activationBytes;
      }
      const wallMs = run.series.wallTime.at(-1) ?? Number.NaN;
      (results[label] ??= []).push(armResult(label, seed, run.series, extra, wallMs));
    }
    return results as PresetResults;
  }
}

/** One arm of a finished preset session, for the result box. */
export interface ArmSummary {
  readonly label: string;
  readonly lr: number;
  readonly seeds: readonly {
    readonly seed: number;
    readonly testLoss: number;
    readonly testAccuracy: number;
  }[];
}
