import type { Role } from '../params';
import type { OptimizerConfig } from '../optim/schema';
import type { FrozenTree } from '../tree';
import { FLAT } from '../optim/flatten';

/**
 * The optimizers of engine/optim as loops over one flat vector of all parameters (the run's
 * parameter order), with the same numbers as their TF.js chains. Their state moves to and from
 * the TF.js state tree of the same optimizer (`exportTree`, `importTree`), flat or per parameter
 * as engine/optim/from-config.ts lays it out, so a run can switch paths at any chunk.
 */

export interface Segment {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly shape: readonly number[];
  readonly role: Role;
}

export interface FusedOptimizer {
  /** Writes the update of `grads` into `updates` (added to the parameters by the caller). */
  update(params: Float32Array, grads: Float32Array, lr: number, updates: Float32Array): void;
  exportTree(): FrozenTree;
  importTree(tree: FrozenTree): void;
  /** The last trust ratio of each adapted parameter (LAMB, LARS); empty otherwise. */
  trustRatios(): Readonly<Record<string, number>>;
}

type MomentLayout = 'flat' | 'per-parameter';

const record = (entries: Record<string, FrozenTree>): FrozenTree => ({ t: 'record', entries });
const EMPTY = record({});

function entry(tree: FrozenTree, key: string | number): FrozenTree {
  if (typeof key === 'number') {
    if (tree.t !== 'array' || !tree.items[key])
      throw new Error(`optimizer state has no item ${key}`);
    return tree.items[key];
  }
  if (tree.t !== 'record' || !tree.entries[key]) throw new Error(`optimizer state has no ${key}`);
  return tree.entries[key];
}

function numberAt(tree: FrozenTree): number {
  if (tree.t !== 'number') throw new Error('optimizer state: expected a number');
  return tree.value;
}

/** The optimizers the fused path runs, with the TF.js path's state layout of their moments. */
const LAYOUTS: Readonly<Record<Exclude<OptimizerConfig['kind'], 'muon'>, MomentLayout>> = {
  sgd: 'flat',
  momentum: 'flat',
  nesterov: 'flat',
  adam: 'flat',
  adamw: 'per-parameter',
  rmsprop: 'flat',
  adagrad: 'flat',
  lamb: 'per-parameter',
  lars: 'per-parameter',
  lion: 'flat',
};

export function fusedOptimizerSupports(kind: OptimizerConfig['kind']): boolean {
  return kind in LAYOUTS;
}

/** Parameters LAMB/LARS adapt: engine/optim/masks.ts `adaptableMask`, on shapes and roles. */
function adaptable(exclude: boolean, s: Segment): boolean {
  return !exclude || (s.shape.length >= 2 && s.role !== 'bias' && s.role !== 'norm');
}

function l2(v: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** r = η_tc·‖w‖/‖u‖ over a segment, 1 when either norm is 0 (engine/optim/scale-by-trust-ratio.ts). */
function trustRatio(w: Float32Array, u: Float32Array, s: Segment, coefficient: number): number {
  const end = s.offset + s.size;
  const wn = l2(w, s.offset, end);
  const un = l2(u, s.offset, end);
  return wn > 0 && un > 0 ? (wn / un) * coefficient : 1;
}

export function createFusedOptimizer(
  config: OptimizerConfig,
  segments: readonly Segment[],
): FusedOptimizer {
  if (config.kind === 'muon') throw new Error('Muon is not in the fused path');
  const n = segments.reduce((sum, s) => sum + s.size, 0);
  const layout = LAYOUTS[config.kind];
  const zeros = () => new Float32Array(n);
  let count = 0;
  const m = zeros();
  const v =
    config.kind === 'adagrad' ? new Float32Array(n).fill(config.initialAccumulator) : zeros();
  const ratios: Record<string, number> = {};
  const adapted =
    config.kind === 'lamb' || config.kind === 'lars'
      ? segments.filter((s) => adaptable(config.excludeBiasAndNorm, s))
      : [];
  for (const s of adapted) ratios[s.name] = 1;

  const momentTree = (values: Float32Array): FrozenTree =>
    layout === 'flat'
      ? record({ [FLAT]: { t: 'tensor', shape: [n], values: new Float32Array(values) } })
      : record(
          Object.fromEntries(
            segments.map((s) => [
              s.name,
              { t: 'tensor', shape: s.shape, values: values.slice(s.offset, s.offset + s.size) },
            ]),
          ),
        );
  /**
   * Reads a moment saved flat, per parameter, or grouped (the TF.js path's `flattened` layout:
   * large parameters under their names, the rest concatenated in order under FLAT) into `into`.
   */
  const readMoment = (tree: FrozenTree, into: Float32Array): void => {
    if (tree.t !== 'record') throw new Error('optimizer state: expected a moment record');
    const flat = tree.entries[FLAT];
    if (flat && flat.t !== 'tensor')
      throw new Error('optimizer state: flat moment is not a tensor');
    let offset = 0;
    for (const s of segments) {
      const t = tree.entries[s.name];
      if (t) {
        if (t.t !== 'tensor' || t.values.length !== s.size)
          throw new Error(`optimizer state: moment for ${s.name} of the wrong size`);
        into.set(t.values, s.offset);
      } else {
        if (!flat || offset + s.size > flat.values.length)
          throw new Error(`optimizer state: no moment for ${s.name}`);
        into.set(flat.values.subarray(offset, offset + s.size), s.offset);
        offset += s.size;
      }
    }
    if (flat && offset !== flat.values.length)
      throw new Error('optimizer state: flat moment of the wrong size');
  };
  const ratioTree = (): FrozenTree =>
    record({
      inner: record({
        ratios: record(
          Object.fromEntries(
            adapted.map((s) => [
              s.name,
              { t: 'tensor', shape: [], values: Float32Array.of(ratios[s.name]) },
            ]),
          ),
        ),
      }),
    });
  const readRatios = (tree: FrozenTree): void => {
    const r = entry(entry(tree, 'inner'), 'ratios');
    for (const s of adapted) {
      const t = entry(r, s.name);
      if (t.t === 'tensor') ratios[s.name] = t.values[0];
    }
  };
  const adamTree = () =>
    record({ count: { t: 'number', value: count }, mu: momentTree(m), nu: momentTree(v) });
  const readAdam = (tree: FrozenTree) => {
    count = numberAt(entry(tree, 'count'));
    readMoment(entry(tree, 'mu'), m);
    readMoment(entry(tree, 'nu'), v);
  };
  const arr = (...items: FrozenTree[]): FrozenTree => ({ t: 'array', items });

  /** u += λ·w on the decayed segments (engine/optim/add-decayed-weights.ts). */
  const decay = (
    u: Float32Array,
    w: Float32Array,
    lambda: number,
    only: readonly Segment[] | null,
  ): void => {
    if (lambda === 0) return;
    for (const s of only ?? segments)
      for (let i = s.offset; i < s.offset + s.size; i++) u[i] += lambda * w[i];
  };
  const scale = (u: Float32Array, by: number, from = 0, to = n): void => {
    for (let i = from; i < to; i++) u[i] *= by;
  };
  const adamDirection = (
    g: Float32Array,
    u: Float32Array,
    beta1: number,
    beta2: number,
    eps: number,
  ): void => {
    count += 1;
    const c1 = 1 / (1 - beta1 ** count);
    const c2 = 1 / (1 - beta2 ** count);
    for (let i = 0; i < n; i++) {
      m[i] = m[i] * beta1 + g[i] * (1 - beta1);
      v[i] = v[i] * beta2 + g[i] * g[i] * (1 - beta2);
      u[i] = (m[i] * c1) / (Math.sqrt(v[i] * c2) + eps);
    }
  };
  /** m ← μm + u; u ← m, or u + μm with Nesterov (engine/optim/trace.ts). */
  const traceInPlace = (u: Float32Array, mu: number, nesterov: boolean): void => {
    for (let i = 0; i < n; i++) {
      m[i] = m[i] * mu + u[i];
      u[i] = nesterov ? u[i] + m[i] * mu : m[i];
    }
  };

  function update(w: Float32Array, g: Float32Array, lr: number, u: Float32Array): void {
    switch (config.kind) {
      case 'sgd':
        for (let i = 0; i < n; i++) u[i] = g[i] * -lr;
        return;
      case 'momentum':
      case 'nesterov':
        u.set(g);
        traceInPlace(u, config.momentum, config.kind === 'nesterov');
        scale(u, -lr);
        return;
      case 'adam':
      case 'adamw':
        adamDirection(g, u, config.beta1, config.beta2, config.eps);
        if (config.kind === 'adamw') decay(u, w, config.weightDecay, null);
        scale(u, -lr);
        return;
      case 'rmsprop':
        for (let i = 0; i < n; i++) {
          v[i] = v[i] * config.decay + g[i] * g[i] * (1 - config.decay);
          u[i] = g[i] / (Math.sqrt(v[i]) + config.eps);
        }
        traceInPlace(u, config.momentum, false);
        scale(u, -lr);
        return;
      case 'adagrad':
        for (let i = 0; i < n; i++) {
          v[i] += g[i] * g[i];
          u[i] = g[i] / (Math.sqrt(v[i]) + config.eps);
        }
        scale(u, -lr);
        return;
      case 'lion':
        for (let i = 0; i < n; i++) {
          const c = m[i] * config.beta1 + g[i] * (1 - config.beta1);
          m[i] = m[i] * config.beta2 + g[i] * (1 - config.beta2);
          u[i] = Math.sign(c);
        }
        decay(u, w, config.weightDecay, null);
        scale(u, -lr);
        return;
      case 'lamb':
        adamDirection(g, u, config.beta1, config.beta2, config.eps);
        decay(u, w, config.weightDecay, adapted);
        for (const s of adapted) {
          ratios[s.name] = trustRatio(w, u, s, 1);
          scale(u, ratios[s.name], s.offset, s.offset + s.size);
        }
        scale(u, -lr);
        return;
      case 'lars':
        u.set(g);
        decay(u, w, config.weightDecay, adapted);
        for (const s of adapted) {
          ratios[s.name] = trustRatio(w, u, s, config.trustCoefficient);
          scale(u, ratios[s.name], s.offset, s.offset + s.size);
        }
        scale(u, -lr);
        traceInPlace(u, config.momentum, config.nesterov);
        return;
    }
  }

  function exportTree(): FrozenTree {
    switch (config.kind) {
      case 'sgd':
        return arr(EMPTY);
      case 'momentum':
      case 'nesterov':
        return arr(record({ momentum: momentTree(m) }), EMPTY);
      case 'adam':
      case 'adagrad':
        return config.kind === 'adam'
          ? arr(adamTree(), EMPTY)
          : arr(record({ sumOfSquares: momentTree(v) }), EMPTY);
      case 'adamw':
        return arr(adamTree(), EMPTY, EMPTY);
      case 'rmsprop':
        return arr(record({ nu: momentTree(v) }), record({ momentum: momentTree(m) }), EMPTY);
      case 'lion':
        return arr(record({ mu: momentTree(m) }), EMPTY, EMPTY, EMPTY);
      case 'lamb':
        return arr(adamTree(), EMPTY, ratioTree(), EMPTY);
      case 'lars':
        return arr(EMPTY, ratioTree(), EMPTY, record({ momentum: momentTree(m) }));
      case 'muon':
        throw new Error('Muon is not in the fused path');
    }
  }

  function importTree(tree: FrozenTree): void {
    switch (config.kind) {
      case 'sgd':
        return;
      case 'momentum':
      case 'nesterov':
        return readMoment(entry(entry(tree, 0), 'momentum'), m);
      case 'adam':
      case 'adamw':
        return readAdam(entry(tree, 0));
      case 'adagrad':
        return readMoment(entry(entry(tree, 0), 'sumOfSquares'), v);
      case 'rmsprop':
        readMoment(entry(entry(tree, 0), 'nu'), v);
        return readMoment(entry(entry(tree, 1), 'momentum'), m);
      case 'lion':
        return readMoment(entry(entry(tree, 0), 'mu'), m);
      case 'lamb':
        readAdam(entry(tree, 0));
        return readRatios(entry(tree, 2));
      case 'lars':
        readRatios(entry(tree, 1));
        return readMoment(entry(entry(tree, 3), 'momentum'), m);
    }
  }

  return { update, exportTree, importTree, trustRatios: () => ({ ...ratios }) };
}
