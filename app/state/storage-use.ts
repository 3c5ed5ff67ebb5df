/**
 * How much of the browser's storage this site uses, and whether it is kept under storage
 * pressure: shown where saves are managed, so a full disk is never a surprise.
 */

export interface StorageUse {
  /** Bytes used and the quota the browser grants this origin (either null when not told). */
  usage: number | null;
  quota: number | null;
  /** True when the browser keeps the data under storage pressure; null when it cannot say. */
  persistent: boolean | null;
}

const storage = (): StorageManager | null =>
  typeof navigator !== 'undefined' ? (navigator.storage ?? null) : null;

/**
 * Asks the browser to keep the saved runs even when space runs low (called when the first run is
 * saved). The answer is the browser's: Chromium grants it without a prompt to sites used often.
 */
export async function askToPersist(): Promise<boolean> {
  const s = storage();
  if (!s?.persist) return false;
  try {
    return (await s.persisted?.()) || (await s.persist());
  } catch {
    return false;
  }
}

export async function storageUse(): Promise<StorageUse> {
  const s = storage();
  const [estimate, persistent] = await Promise.all([
    s?.estimate?.().catch(() => null) ?? null,
    s?.persisted?.().catch(() => null) ?? null,
  ]);
  return {
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    persistent,
  };
}

/** "2.4 MB", "830 kB", "12 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.round(bytes)} B`;
}

/**
 * One line for the runs panel, e.g. "Saved runs and the offline app use 2.4 MB of 10.0 GB in this
 * browser (kept when space runs low)." The browser counts the site as a whole.
 */
export function describeUse(use: StorageUse): string {
  if (use.usage === null) return 'This browser does not say how much storage the saved runs use.';
  const of = use.quota !== null ? ` of ${formatBytes(use.quota)}` : '';
  const kept =
    use.persistent === true
      ? ' (kept when space runs low)'
      : use.persistent === false
        ? ' (the browser may clear them when space runs low)'
        : '';
  return `Saved runs and the offline app use ${formatBytes(use.usage)}${of} in this browser${kept}.`;
}
