import { Buffers, type LayerContext } from '../layers/context';
import type * as tf from '@tensorflow/tfjs-core';

/** A view of buffers that reads the run's values and ignores writes (train-mode views). */
class FrozenBuffers extends Buffers {
  constructor(private readonly source: Buffers) {
    super();
  }
  override get(name: string): tf.Tensor | undefined {
    return this.source.get(name);
  }
  override set(): void {}
  override names(): string[] {
    return this.source.names();
  }
  override dispose(): void {}
}

/** `ctx` in train mode (batch statistics) that leaves the running statistics untouched. */
export function trainModeReadOnly(ctx: LayerContext): LayerContext {
  return { ...ctx, training: true, buffers: new FrozenBuffers(ctx.buffers) };
}
