/**
 * The parts of convnetjs 0.3.0 (npm; it ships no types) that the bench's ConvNetJS contender
 * (scripts/bench/convnet.ts) uses: volumes, a net built from layer definitions, its forward and
 * backward passes, and its parameters with their accumulated gradients.
 */
declare module 'convnetjs' {
  /** A sx×sy×depth volume of values `w` and gradients `dw` (Float64Array where typed arrays exist). */
  export interface Vol {
    readonly sx: number;
    readonly sy: number;
    readonly depth: number;
    w: Float64Array;
    dw: Float64Array;
  }

  export type Activation = 'relu' | 'sigmoid' | 'tanh';

  export type LayerDef =
    | { type: 'input'; out_sx: number; out_sy: number; out_depth: number }
    | { type: 'fc'; num_neurons: number; activation?: Activation }
    | {
        type: 'conv';
        sx: number;
        filters: number;
        stride?: number;
        pad?: number;
        activation?: Activation;
      }
    | { type: 'pool'; sx: number; stride?: number; pad?: number }
    | { type: 'softmax'; num_classes: number };

  /** One parameter array and its gradient, accumulated by `backward` until someone zeroes it. */
  export interface ParamsAndGrads {
    readonly params: Float64Array;
    readonly grads: Float64Array;
    readonly l1_decay_mul?: number;
    readonly l2_decay_mul?: number;
  }

  export interface Net {
    makeLayers(defs: LayerDef[]): void;
    /** The output volume (class probabilities after a softmax layer). */
    forward(v: Vol, isTraining?: boolean): Vol;
    /** Backpropagates the loss of class `y` from the last forward; returns that loss. */
    backward(y: number): number;
    getParamsAndGrads(): ParamsAndGrads[];
    getPrediction(): number;
  }

  const convnetjs: {
    /** A volume of zeros when `c` is 0, random values when it is undefined. */
    Vol: new (sx: number, sy: number, depth: number, c?: number) => Vol;
    Net: new () => Net;
  };
  export default convnetjs;
}
