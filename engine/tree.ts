import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Named tensors: parameters, gradients and updates are all records keyed by parameter name. */
export type NamedTensors = Readonly<Record<string, Tensor>>;

/** Optimizer state: tensors, plain numbers (step counts) and nested records/arrays of them. */
export type StateTree =
  Tensor | number | readonly StateTree[] | { readonly [key: string]: StateTree };

/** A state tree with every tensor replaced by its values, ready to store or send. */
export type FrozenTree =
  | { readonly t: 'tensor'; readonly shape: readonly number[]; readonly values: Float32Array }
  | { readonly t: 'number'; readonly value: number }
  | { readonly t: 'array'; readonly items: readonly FrozenTree[] }
  | { readonly t: 'record'; readonly entries: Readonly<Record<string, FrozenTree>> };

function isTensor(x: StateTree): x is Tensor {
  return x instanceof tf.Tensor;
}

/** Every tensor in a tree, depth first. */
export function treeTensors(tree: StateTree, out: Tensor[] = []): Tensor[] {
  if (typeof tree === 'number') return out;
  if (isTensor(tree)) {
    out.push(tree);
  } else if (Array.isArray(tree)) {
    for (const item of tree as readonly StateTree[]) treeTensors(item, out);
  } else {
    for (const key of Object.keys(tree)) treeTensors((tree as Record<string, StateTree>)[key], out);
  }
  return out;
}

/** Reads every tensor with one async `data()` each; safe to call outside the training loop. */
export async function freezeTree(tree: StateTree): Promise<FrozenTree> {
  if (typeof tree === 'number') return { t: 'number', value: tree };
  if (isTensor(tree)) {
    const values = (await tree.data()) as Float32Array;
    return { t: 'tensor', shape: [...tree.shape], values: new Float32Array(values) };
  }
  if (Array.isArray(tree)) {
    const items = await Promise.all((tree as readonly StateTree[]).map(freezeTree));
    return { t: 'array', items };
  }
  const rec = tree as Record<string, StateTree>;
  const keys = Object.keys(rec);
  const frozen = await Promise.all(keys.map((k) => freezeTree(rec[k])));
  return { t: 'record', entries: Object.fromEntries(keys.map((k, i) => [k, frozen[i]])) };
}

/** Builds fresh tensors from a frozen tree; the caller owns them. */
export function thawTree(frozen: FrozenTree): StateTree {
  switch (frozen.t) {
    case 'number':
      return frozen.value;
    case 'tensor':
      return tf.tensor(frozen.values, [...frozen.shape], 'float32');
    case 'array':
      return frozen.items.map(thawTree);
    case 'record':
      return Object.fromEntries(Object.entries(frozen.entries).map(([k, v]) => [k, thawTree(v)]));
  }
}

/** Disposes the tensors of `old` that `next` does not hold (transforms may pass state through). */
export function disposeReplaced(old: StateTree, next: StateTree): void {
  const keep = new Set(treeTensors(next));
  for (const t of treeTensors(old)) if (!keep.has(t)) t.dispose();
}

/** Applies `fn` to each named tensor, keeping the names. */
export function mapNamed(
  x: NamedTensors,
  fn: (t: Tensor, name: string) => Tensor,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(x)) out[name] = fn(x[name], name);
  return out;
}
