/** Long per-tensor lists are shown flat up to this many rows, grouped by block beyond. */
export const FLAT_ROWS = 12;

export interface BlockGroup<T> {
  /** The block's name: the tensor names' first segment, e.g. `block0` of `block0/attn/q`. */
  readonly block: string;
  readonly items: readonly T[];
}

/** Items grouped by the first `/` segment of their name, in first-seen order. */
export function groupByBlock<T>(items: readonly T[], nameOf: (item: T) => string): BlockGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = nameOf(item);
    const cut = name.indexOf('/');
    const block = cut > 0 ? name.slice(0, cut) : name;
    const list = groups.get(block);
    if (list) list.push(item);
    else groups.set(block, [item]);
  }
  return [...groups].map(([block, list]) => ({ block, items: list }));
}
