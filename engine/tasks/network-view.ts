import * as tf from '@tensorflow/tfjs-core';
import { orderedFeatures, toFeatures } from '../data/features';
import { gridCentres } from '../data/grid';
import type { Toy2DFeature } from '../data/schema';
import type { LayerContext } from '../layers/context';
import { denseApply } from '../layers/dense';
import type { MlpConfig } from '../models/schema';
import { scope } from '../params';
import type { NamedTensors } from '../tree';
import type { NetworkView } from './views';

/** Grid side of each neuron's thumbnail. */
const SIDE = 16;

/**
 * The network view of an MLP on 2-D data: every neuron's activation over the plane, and the
 * kernels between layers. Plain MLPs only (no norm, no weight standardization): null otherwise.
 */
export async function networkView(
  params: NamedTensors,
  model: MlpConfig,
  features: readonly Toy2DFeature[] | undefined,
  ctx: LayerContext,
): Promise<NetworkView | null> {
  if ((model.norm ?? 'none') !== 'none' || model.weightStandardization) return null;
  const layers = tf.tidy(() => {
    const x = toFeatures(tf.tensor2d(gridCentres(SIDE), [SIDE * SIDE, 2]), features);
    const out: tf.Tensor2D[] = [x];
    let h = x;
    for (let i = 0; i < model.hidden.length; i++) {
      h = denseApply(scope(params, `dense${i}`), h, model.activation, ctx, `dense${i}`);
      out.push(h);
    }
    out.push(denseApply(scope(params, 'head'), h, 'linear', ctx, 'head', 'head'));
    return out.map((t) => tf.transpose(t));
  });
  const names = [...model.hidden.map((_, i) => `dense${i}/w`), 'head/w'];
  const activations = await Promise.all(
    layers.map(async (t) => {
      const values = (await t.data()) as Float32Array;
      const rows = t.shape[0];
      t.dispose();
      return Array.from({ length: rows }, (_, n) =>
        values.slice(n * SIDE * SIDE, (n + 1) * SIDE * SIDE),
      );
    }),
  );
  const weights = await Promise.all(
    names.map(async (n) => (await params[n].data()) as Float32Array),
  );
  return {
    kind: 'network',
    inputs: orderedFeatures(features),
    widths: [...model.hidden, activations[activations.length - 1].length],
    side: SIDE,
    activations,
    weights,
  };
}
