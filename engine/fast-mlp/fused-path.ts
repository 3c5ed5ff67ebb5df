import { isToy2D, type RunConfig } from '../config';
import type { LayerStats } from '../diagnostics/layer-stats';
import type { Role } from '../params';
import { isQuantOff } from '../quant/schema';
import { selectsHardBatches } from '../data/hard-batches';
import type { DenseData } from '../tasks/task';
import type { FrozenTree } from '../tree';
import { DenseNet, layerViews, paramCount, type LayerViews } from './dense-net';
import {
  createFusedOptimizer,
  fusedOptimizerSupports,
  type FusedOptimizer,
  type Segment,
} from './optim';

/**
 * The fused path of a small dense run: one training step (forward, backward, optimizer update,
 * loss and global gradient norm) as typed-array loops in the worker, instead of a few hundred
 * TF.js kernels. The run (engine/run.ts) hands its state over with `importState` and takes it
 * back with `paramValues` and `exportOptimizer`; the numbers are those of the TF.js path.
 */

/** Past this many multiply-adds per example (forward), TF.js kernels (WASM SIMD) are faster. */
export const FUSED_MAX_MACS = 20_000;

/**
 * Why the fused path cannot train a run of this config, from the config alone (the data's shape
 * is checked again by `fusedUnsupported` once it is loaded), or null when it can.
 */
export function fusedCandidate(config: RunConfig): string | null {
  const model = config.model;
  if (model.kind !== 'mlp') return `the fused path trains MLPs only (this is a ${model.kind})`;
  if (!isToy2D(config.data) && config.data.kind !== 'csv')
    return 'the fused path needs a 2-D or tabular task';
  if ((model.norm ?? 'none') !== 'none') return `the fused path has no ${model.norm} norm`;
  if (model.weightStandardization) return 'the fused path has no weight standardization';
  if (!isQuantOff(config.quant)) return 'the fused path has no quantization';
  if ((config.regularization?.kind ?? 'none') !== 'none')
    return 'the fused path has no L1/L2 regularisation';
  if (selectsHardBatches(config.batching))
    return 'the fused path has no hard-batch selection (it needs a scoring pass per epoch)';
  if (config.sorted) return 'the fused path has no sorted (nested-width) training';
  const features = isToy2D(config.data) ? (config.data.features ?? ['x1', 'x2']) : ['x1', 'x2'];
  if (features.join(',') !== 'x1,x2') return 'the fused path takes the plain inputs x1, x2 only';
  if (!fusedOptimizerSupports(config.optimizer.kind))
    return `the fused path has no ${config.optimizer.kind} optimizer`;
  // The inputs and classes of a CSV are known once it is parsed: 1 here, a lower bound.
  const macs = multiplyAdds([isToy2D(config.data) ? 2 : 1, ...model.hidden, 1]);
  if (macs > FUSED_MAX_MACS)
    return `the model is too large for the fused path (${macs} multiply-adds per example)`;
  return null;
}

function multiplyAdds(widths: readonly number[]): number {
  let macs = 0;
  for (let l = 0; l + 1 < widths.length; l++) macs += widths[l] * widths[l + 1];
  return macs;
}

/** Why the fused path cannot train this run on its loaded data, or null when it can. */
export function fusedUnsupported(config: RunConfig, data: DenseData | undefined): string | null {
  const blocker = fusedCandidate(config);
  if (blocker !== null) return blocker;
  if (!data || config.model.kind !== 'mlp') return 'the fused path needs a 2-D or tabular task';
  const macs = multiplyAdds([data.inputs, ...config.model.hidden, data.outputs]);
  if (macs > FUSED_MAX_MACS)
    return `the model is too large for the fused path (${macs} multiply-adds per example)`;
  return null;
}

/** The run's parameters in order, as the fused path expects them: dense0/w, dense0/b, …, head/w, head/b. */
function expectedNames(hidden: number): string[] {
  const layers = [...Array.from({ length: hidden }, (_, i) => `dense${i}`), 'head'];
  return layers.flatMap((l) => [`${l}/w`, `${l}/b`]);
}

export interface ParamInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: Role;
}

export class FusedPath {
  readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly updates: Float32Array;
  private readonly paramViews: LayerViews;
  private readonly gradViews: LayerViews;
  private readonly net: DenseNet;
  private readonly segments: Segment[];
  private optimizer: FusedOptimizer;

  constructor(
    config: RunConfig,
    private readonly data: DenseData,
    infos: readonly ParamInfo[],
  ) {
    if (config.model.kind !== 'mlp') throw new Error('the fused path trains MLPs only');
    const widths = [data.inputs, ...config.model.hidden, data.outputs];
    const names = expectedNames(config.model.hidden.length);
    if (infos.length !== names.length || infos.some((p, i) => p.name !== names[i])) {
      throw new Error(`the fused path expects parameters ${names.join(', ')}`);
    }
    let offset = 0;
    this.segments = infos.map((p) => {
      const size = p.shape.reduce((a, b) => a * b, 1);
      const s = { name: p.name, offset, size, shape: p.shape, role: p.role };
      offset += size;
      return s;
    });
    const n = paramCount(widths);
    if (offset !== n)
      throw new Error('the fused path: parameter sizes do not match the layer widths');
    this.params = new Float32Array(n);
    this.grads = new Float32Array(n);
    this.updates = new Float32Array(n);
    this.paramViews = layerViews(this.params, widths);
    this.gradViews = layerViews(this.grads, widths);
    this.net = new DenseNet({ widths, activation: config.model.activation, loss: data.loss });
    this.optimizer = createFusedOptimizer(config.optimizer, this.segments);
  }

  /** Takes the run's parameter values (by name, in order) and its optimizer state. */
  importState(values: readonly Float32Array[], optimizer: FrozenTree): void {
    values.forEach((v, i) => this.params.set(v, this.segments[i].offset));
    this.optimizer.importTree(optimizer);
  }

  /** The values of each parameter, in order (views into the flat vector: copy to keep). */
  paramValues(): Float32Array[] {
    return this.segments.map((s) => this.params.subarray(s.offset, s.offset + s.size));
  }

  exportOptimizer(): FrozenTree {
    return this.optimizer.exportTree();
  }

  /** One update on the rows `rows` at rate `lr`: returns the batch loss and the global gradient norm. */
  step(rows: Int32Array, lr: number): [number, number] {
    const loss = this.net.lossAndGrads(
      this.paramViews,
      this.gradViews,
      this.data.train.x,
      this.data.train.y,
      rows,
    );
    const g = this.grads;
    let sq = 0;
    for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
    this.optimizer.update(this.params, g, lr, this.updates);
    const p = this.params;
    const u = this.updates;
    for (let i = 0; i < p.length; i++) p[i] += u[i];
    return [loss, Math.sqrt(sq)];
  }

  /**
   * engine/diagnostics/layer-stats.ts of the last step: ‖g‖, ‖Δw‖/(‖w‖ + 1e-12) with w before the
   * update, and the trust ratios.
   */
  layerStats(): LayerStats {
    const p = this.segments.length;
    const gradNorm = new Float32Array(p);
    const updateRatio = new Float32Array(p);
    const trustRatio = new Float32Array(p).fill(Number.NaN);
    const ratios = this.optimizer.trustRatios();
    this.segments.forEach((s, i) => {
      let gs = 0;
      let us = 0;
      let ws = 0;
      for (let j = s.offset; j < s.offset + s.size; j++) {
        gs += this.grads[j] * this.grads[j];
        us += this.updates[j] * this.updates[j];
        const before = this.params[j] - this.updates[j];
        ws += before * before;
      }
      gradNorm[i] = Math.sqrt(gs);
      updateRatio[i] = Math.sqrt(us) / (Math.sqrt(ws) + 1e-12);
      if (s.name in ratios) trustRatio[i] = ratios[s.name];
    });
    return { names: this.segments.map((s) => s.name), gradNorm, updateRatio, trustRatio };
  }

  /** engine/tasks EVAL_METRICS: train loss, test loss, train accuracy, test accuracy. */
  evaluate(): [number, number, number, number] {
    const { train, test } = this.data;
    const [trainLoss, trainAcc] = this.net.evaluate(this.paramViews, train.x, train.y, train.count);
    const [testLoss, testAcc] = this.net.evaluate(this.paramViews, test.x, test.y, test.count);
    return [trainLoss, testLoss, trainAcc, testAcc];
  }
}
