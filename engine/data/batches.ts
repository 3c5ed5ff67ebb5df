import { createRng, permutation } from '../rng';

/**
 * Where a run is in its data: epoch and position in that epoch's shuffled order.
 * The order of epoch `e` is a pure function of (seed, e), so the cursor alone restores it.
 */
export interface DataCursor {
  readonly epoch: number;
  readonly position: number;
}

/** Yields fixed-size index batches over `count` examples, reshuffling every epoch. */
export class BatchSampler {
  private order: Int32Array;
  private cursor: DataCursor;

  constructor(
    private readonly count: number,
    private readonly seed: number,
    cursor: DataCursor = { epoch: 0, position: 0 },
  ) {
    this.cursor = cursor;
    this.order = this.orderOf(cursor.epoch);
  }

  get state(): DataCursor {
    return this.cursor;
  }

  /** The next `size` example indices; a batch that crosses an epoch end continues in the next epoch. */
  next(size: number): Int32Array {
    const out = new Int32Array(size);
    let { epoch, position } = this.cursor;
    for (let i = 0; i < size; i++) {
      if (position >= this.count) {
        epoch += 1;
        position = 0;
        this.order = this.orderOf(epoch);
      }
      out[i] = this.order[position++];
    }
    this.cursor = { epoch, position };
    return out;
  }

  private orderOf(epoch: number): Int32Array {
    return permutation(createRng((this.seed * 7919 + epoch * 104729) >>> 0), this.count);
  }
}
