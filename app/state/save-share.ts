import type { RunSnapshot } from '../../engine/index';
import { configNoteAt } from './config-history';
import { metricsToCsv } from './csv';
import { datasets } from './datasets';
import { MetricSeries } from './metric-series';
import type { RunHandle } from './run-handle.svelte';
import type { RunsStore } from './runs.svelte';
import { shareHash } from './share-codec';
import type { StoredMetrics, StoredRun } from './stored-run';
import { exportComparison, importComparison, MAX_TEXT_LENGTH } from './transfer';
import { quoteInput } from '../../engine/tf-free';
import { diagnosticsOf, lrFinder } from './diagnostics.svelte';

/** The stored record of a run on screen. */
export function storedRun(run: RunHandle, label: string): StoredRun {
  const ended = run.status === 'finished' || run.status === 'diverged' || run.status === 'failed';
  const status = ended || run.status === 'draft' ? run.status : 'paused';
  return {
    id: run.id,
    createdAt: run.createdAt,
    label,
    color: run.color,
    ...(run.group ? { group: run.group } : {}),
    ...(run.parentId ? { parentId: run.parentId } : {}),
    ...(run.forkStep !== undefined ? { forkStep: run.forkStep } : {}),
    config: run.config,
    ...(run.history.length > 1
      ? { history: run.history.map((h) => ({ fromStep: h.fromStep, config: h.config })) }
      : {}),
    status,
    step: run.step,
    hidden: run.hidden,
  };
}

/**
 * Puts a saved or imported run back on screen, paused: at its snapshot with its curves when it
 * has both, otherwise from the start.
 */
export function addStored(
  store: RunsStore,
  run: StoredRun,
  metrics: StoredMetrics | null,
  snapshot: RunSnapshot | null,
): RunHandle {
  const resumable = snapshot !== null && metrics !== null;
  return store.add(run.config, {
    id: run.id,
    color: run.color,
    hidden: run.hidden,
    ...(run.group ? { group: run.group } : {}),
    ...(run.parentId ? { parentId: run.parentId } : {}),
    ...(run.forkStep !== undefined ? { forkStep: run.forkStep } : {}),
    ...(run.history && resumable ? { history: run.history } : {}),
    ...(run.status === 'draft' ? { draft: true } : {}),
    ...(resumable ? { snapshot, series: MetricSeries.restored(metrics, snapshot.step) } : {}),
  });
}

/** Every run with its settings, curves, state and the user data it names, as the JSON of an export file. */
export async function exportRunsJson(store: RunsStore): Promise<string> {
  const items = await Promise.all(
    store.runs.map(async (r) => ({
      run: storedRun(r, store.labelOf(r)),
      metrics: r.series.toStored(),
      // A run whose worker ended (crashed) is exported at the last state it reported.
      snapshot: await r.snapshot().catch(() => r.lastSnapshot),
      diagnostics: diagnosticsOf(r).toRecord(lrFinder.resultOfRun(r)),
    })),
  );
  const { contents } = await datasets.gather(store.runs.map((r) => r.config));
  return exportComparison(items, contents);
}

/** Adds the runs of an export file; returns the message for the user. Nothing changes when the file is bad. */
export async function importRunsJson(
  store: RunsStore,
  text: string | null,
  fileName: string,
): Promise<string> {
  if (text === null)
    return `${quoteInput(fileName)} was not imported: it is larger than ${MAX_TEXT_LENGTH / 1e6} MB. Nothing was changed.`;
  const result = await importComparison(text);
  if (!result.ok)
    return `${quoteInput(fileName)} was not imported: ${result.message} Nothing was changed.`;
  let adopted: Awaited<ReturnType<typeof datasets.adopt>>;
  try {
    adopted = await datasets.adopt(result.datasets);
  } catch (e) {
    return `${quoteInput(fileName)} was not imported: ${quoteInput(e instanceof Error ? e.message : String(e))}. Nothing was changed.`;
  }
  if (!adopted.ok)
    return `${quoteInput(fileName)} was not imported: ${adopted.message}. Nothing was changed.`;
  for (const { run, metrics, snapshot, diagnostics } of result.runs) {
    const handle = addStored(store, run, metrics, snapshot ?? null);
    if (diagnostics) {
      diagnosticsOf(handle).restore(diagnostics);
      if (diagnostics.lrFinder)
        lrFinder.remember(run.config, { ...diagnostics.lrFinder, smoothed: [], cancelled: false });
    }
  }
  return `Imported ${result.runs.length} run${result.runs.length === 1 ? '' : 's'} from ${fileName}.`;
}

export function metricsCsv(store: RunsStore): string {
  return metricsToCsv(
    store.runs.map((r) => ({
      label: store.labelOf(r),
      metrics: r.series.toStored(),
      configAt: (step: number) => configNoteAt(r.history, step),
    })),
  );
}

/**
 * A link that opens these runs' settings, with the user data they name, in any browser; or a
 * message when it would be too long (checked before the link is made).
 */
export function shareLink(
  store: RunsStore,
): { ok: true; link: string } | { ok: false; message: string } {
  const configs = store.runs.map((r) => r.config);
  const made = shareHash(configs, datasets.collect(configs).contents);
  return made.ok ? { ok: true, link: `${location.origin}${location.pathname}${made.hash}` } : made;
}
