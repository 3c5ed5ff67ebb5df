import * as v from 'valibot';
import { positive } from '../schema-helpers';
import { BatchSampler, type DataCursor } from './batches';

/**
 * Hard mini-batches (docs/algorithms.md#hard-mini-batches; "Can we learn better with hard
 * samples?"). At the start of each epoch the epoch's shuffled order is cut into M mini-batches,
 * each is scored by its mean loss in one forward pass (inference mode, no gradient), and only the
 * k = ⌈δ·M⌉ batches with the largest loss are trained on, in the epoch's shuffled order. δ = 1
 * is plain training: the run then keeps the ordinary sampler and skips the scoring pass.
 * TF.js-free: the run (engine/run.ts) does the scoring and hands the losses in.
 */

export const BATCHINGS = ['plain', 'hard'] as const;
export type BatchingKind = (typeof BATCHINGS)[number];

/** How a run picks its mini-batches; absent means plain (configs saved before it keep parsing). */
export const BatchingSchema = v.strictObject({
  kind: v.picklist(BATCHINGS),
  /** δ in (0, 1]: the fraction of each epoch's mini-batches trained on (hard only). */
  keep: positive(1),
});

export type BatchingConfig = v.InferOutput<typeof BatchingSchema>;

export const BATCHING_PLAIN: BatchingConfig = { kind: 'plain', keep: 1 };

/** Whether a config's batching selects batches by loss (hard with δ < 1). */
export function selectsHardBatches(batching: BatchingConfig | undefined): boolean {
  return batching?.kind === 'hard' && batching.keep < 1;
}

/** k = ⌈δ·M⌉, at least 1 (δ·M is rounded first so 0.6·5 counts as 3, not 3.0000000000000004). */
export function keptCount(batches: number, keep: number): number {
  if (batches <= 0) return 0;
  const k = Math.ceil(Number((keep * batches).toPrecision(12)));
  return Math.min(batches, Math.max(1, k));
}

/**
 * Indices of the ⌈δ·M⌉ batches with the largest loss, in ascending index order (the epoch's
 * shuffled order). A non-finite loss counts as the hardest; ties go to the earlier batch.
 */
export function hardestBatches(losses: ArrayLike<number>, keep: number): number[] {
  const m = losses.length;
  const k = keptCount(m, keep);
  const score = (i: number) => {
    const l = losses[i];
    return Number.isFinite(l) ? l : Number.POSITIVE_INFINITY;
  };
  const byLoss = Array.from({ length: m }, (_, i) => i).sort(
    (a, b) => score(b) - score(a) || a - b,
  );
  return byLoss.slice(0, k).sort((a, b) => a - b);
}

/** One epoch's order (the plain sampler's shuffle of that epoch) cut into batches of `size`. */
export function epochBatches(
  count: number,
  seed: number,
  epoch: number,
  size: number,
): Int32Array[] {
  const order = new BatchSampler(count, seed, { epoch, position: 0 }).next(count);
  const b = Math.max(1, Math.min(size, count));
  const out: Int32Array[] = [];
  for (let at = 0; at < count; at += b) out.push(order.slice(at, Math.min(count, at + b)));
  return out;
}

/**
 * Yields an epoch's kept batches. Its cursor is (epoch, kept batches trained in it). Before a
 * step, `pending()` says whether the epoch still has to be scored; the run scores those batches
 * and calls `select`. A run restored mid-epoch scores that epoch again at the restored weights.
 */
export class HardBatchSampler {
  private kept: Int32Array[] = [];
  private cursor: DataCursor;
  private scored = false;

  constructor(
    private readonly count: number,
    private readonly seed: number,
    private readonly keep: number,
    cursor: DataCursor = { epoch: 0, position: 0 },
  ) {
    this.cursor = cursor;
  }

  get state(): DataCursor {
    return this.cursor;
  }

  /** Completed epochs plus the fraction of this one's kept batches trained. */
  get epochs(): number {
    const { epoch, position } = this.cursor;
    return this.scored && this.kept.length > 0 ? epoch + position / this.kept.length : epoch;
  }

  /** The batches to score before the next step (batch size `size`), or null when scored. */
  pending(size: number): Int32Array[] | null {
    if (this.scored && this.cursor.position >= this.kept.length) {
      this.cursor = { epoch: this.cursor.epoch + 1, position: 0 };
      this.scored = false;
    }
    return this.scored ? null : epochBatches(this.count, this.seed, this.cursor.epoch, size);
  }

  /** Keeps the hardest of the batches `pending` returned, given their losses. */
  select(batches: readonly Int32Array[], losses: ArrayLike<number>): void {
    if (losses.length !== batches.length) throw new Error('one loss per batch is needed');
    this.kept = hardestBatches(losses, this.keep).map((i) => batches[i]);
    // A cursor restored past this epoch's kept batches resumes at the next epoch.
    this.cursor = {
      epoch: this.cursor.epoch,
      position: Math.min(this.cursor.position, this.kept.length),
    };
    this.scored = true;
  }

  /** The next kept batch; call `pending` (and `select`) first. */
  next(): Int32Array {
    if (!this.scored || this.cursor.position >= this.kept.length)
      throw new Error('the epoch has not been scored');
    const batch = this.kept[this.cursor.position];
    this.cursor = { epoch: this.cursor.epoch, position: this.cursor.position + 1 };
    return batch;
  }
}
