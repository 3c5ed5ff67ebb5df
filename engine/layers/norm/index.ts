import type * as tf from '@tensorflow/tfjs-core';
import type { NormKind } from '../../models/schema';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import type { LayerContext } from '../context';
import { batchChannelNormApply, batchChannelNormInit } from './batch-channel-norm';
import { batchNormApply, batchNormInit } from './batch-norm';
import { groupNormApply, groupNormInit } from './group-norm';
import { layerNormApply, layerNormInit } from './layer-norm';
import { rmsNormApply, rmsNormInit } from './rms-norm';
import { defaultGroups } from './shape';

export { standardizeWeight } from './weight-standardization';
export { NORM_EPSILON, defaultGroups } from './shape';

/** The parameters of a norm layer of `kind` over `channels` (none for `'none'`). */
export function normInit(kind: NormKind, channels: number): ParamInits {
  switch (kind) {
    case 'none':
      return {};
    case 'batch':
      return batchNormInit(channels);
    case 'layer':
      return layerNormInit(channels);
    case 'rms':
      return rmsNormInit(channels);
    case 'group':
      return groupNormInit(channels);
    case 'batch-channel':
      return batchChannelNormInit({ channels, groups: defaultGroups(channels) });
  }
}

/**
 * Applies a norm layer of `kind` to channels-last `x` (`[N, C]` or `[N, H, W, C]`); `name`
 * keys its running statistics in `ctx.buffers`. Group counts follow `defaultGroups`.
 */
export function normApply(
  kind: NormKind,
  params: NamedTensors,
  x: tf.Tensor,
  ctx: LayerContext,
  name: string,
): tf.Tensor {
  const channels = x.shape[x.rank - 1];
  switch (kind) {
    case 'none':
      return x;
    case 'batch':
      return batchNormApply(params, x, ctx, name);
    case 'layer':
      return layerNormApply(params, x);
    case 'rms':
      return rmsNormApply(params, x);
    case 'group':
      return groupNormApply(params, x, defaultGroups(channels));
    case 'batch-channel':
      return batchChannelNormApply(params, x, ctx, name, defaultGroups(channels));
  }
}

/** Whether a norm keeps running statistics, so train and eval mode differ. */
export function hasRunningStats(kind: NormKind): boolean {
  return kind === 'batch' || kind === 'batch-channel';
}
