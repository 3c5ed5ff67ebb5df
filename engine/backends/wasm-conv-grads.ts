import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  MaxPoolGrad,
  Reverse,
  Slice,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { call, ours, replace, stockKernel, WASM } from './wasm-kernel-util';

/**
 * Convolution gradients for the TF.js WASM backend, which ships Conv2D (XNNPACK) but no
 * Conv2DBackpropFilter, so a convolution could run forward there but not train.
 *
 * Both gradients are written as forward convolutions, so they run on the backend's XNNPACK Conv2D
 * instead of a scalar loop (x: [N,H,W,C], dy: [N,OH,OW,O], filter W: [kh,kw,C,O], strides s,
 * top/left padding pt, pl of the forward convolution, dilations 1):
 *
 * - filter: dW[a,b,c,o] = Σ_{n,i,j} x[n, s·i+a−pt, s·j+b−pl, c]·dy[n,i,j,o]. Reading c as the batch
 *   and n as the channel, that is conv2d(xᵀ, dyᵀ) with xᵀ = x^[3,1,2,0] ([C,H,W,N]) as the input,
 *   dyᵀ = dy^[1,2,0,3] ([OH,OW,N,O]) as the filter, stride 1, dilation s and padding pt/pl on top/left;
 *   it yields [C,kh,kw,O] (cropped where the forward pass left rows unused), transposed to [kh,kw,C,O].
 * - input (stride 1): dx[n,h,w,c] = Σ_{a,b,o} dy[n, h+pt−a, w+pl−b, o]·W[a,b,c,o], a convolution of dy
 *   with the spatially flipped kernel, in and out channels swapped ([kh,kw,O,C]), padded kh−1−pt on
 *   top. Strided convolutions keep the backend's own Conv2DBackpropInput.
 *
 * MaxPoolGrad is replaced as well: the stock WASM kernel gives a window's gradient to every input
 * that ties for its maximum (a constant background region of an image, for example), so the
 * gradient's total grows with the number of ties. Here each window's gradient goes to its first
 * maximum in row-major order, as on the cpu and WebGL backends; a plain loop over the WASM heap.
 *
 * Only what the engine uses is supported: NHWC, dilations 1, 'same' / 'valid' / explicit padding,
 * any strides. Anything else throws an error that names the attribute.
 */

/** The stock kernels this file builds on, looked up once the WASM backend is registered. */
interface Deps {
  readonly conv2d: KernelFunc;
  readonly transpose: KernelFunc;
  readonly slice: KernelFunc;
  readonly reverse: KernelFunc;
  /** The backend's own Conv2DBackpropInput, kept for strided convolutions. */
  readonly backpropInput: KernelFunc | null;
}

function tensorIn(inputs: NamedTensorInfoMap, name: string, kernelName: string): TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`${kernelName} on WASM: input '${name}' is missing`);
  return t;
}

function shape4(t: TensorInfo, what: string): [number, number, number, number] {
  if (t.shape.length !== 4)
    throw new Error(
      `WASM convolution gradient: ${what} must be rank 4, got shape [${t.shape.join(', ')}]`,
    );
  return [t.shape[0], t.shape[1], t.shape[2], t.shape[3]];
}

function checkCommon(
  kernelName: string,
  attrs: { readonly dataFormat?: string; readonly dilations?: unknown },
): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(
      `${kernelName} on WASM supports dataFormat 'NHWC' only, got '${attrs.dataFormat}'`,
    );
  }
  const d = attrs.dilations;
  if (d !== undefined && !(d === 1 || (Array.isArray(d) && d.every((v) => v === 1)))) {
    throw new Error(`${kernelName} on WASM supports dilations 1 only, got ${JSON.stringify(d)}`);
  }
}

function filterGradient(deps: Deps): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const backend = b as KernelBackend;
    const a = attrs as unknown as Conv2DBackpropFilterAttrs & { readonly dilations?: unknown };
    checkCommon(Conv2DBackpropFilter, a);
    const x = tensorIn(inputs, 'x', Conv2DBackpropFilter);
    const dy = tensorIn(inputs, 'dy', Conv2DBackpropFilter);
    const xShape = shape4(x, 'x');
    const dyShape = shape4(dy, 'dy');
    const info = backend_util.computeConv2DInfo(
      xShape,
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    if (
      info.outHeight !== dyShape[1] ||
      info.outWidth !== dyShape[2] ||
      info.outChannels !== dyShape[3] ||
      info.batchSize !== dyShape[0]
    ) {
      throw new Error(
        `Conv2DBackpropFilter on WASM: dy shape [${dyShape.join(', ')}] does not match the forward output [${info.outShape.join(', ')}]`,
      );
    }
    const {
      filterHeight: kh,
      filterWidth: kw,
      strideHeight: sh,
      strideWidth: sw,
      inHeight: H,
      inWidth: W,
      outHeight: OH,
      outWidth: OW,
    } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Padding that makes the output exactly kh×kw; negative where the forward pass never read the
    // last rows/columns, and then the convolution runs unpadded and the surplus is cropped.
    const bottom = kh + sh * (OH - 1) - H - top;
    const right = kw + sw * (OW - 1) - W - left;
    const temps: TensorInfo[] = [];
    try {
      const xT = call(deps.transpose, backend, { x }, { perm: [3, 1, 2, 0] });
      temps.push(xT);
      const dyT = call(deps.transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
      temps.push(dyT);
      let g = call(
        deps.conv2d,
        backend,
        { x: xT, filter: dyT },
        {
          strides: 1,
          dilations: [sh, sw],
          pad: [
            [0, 0],
            [top, Math.max(0, bottom)],
            [left, Math.max(0, right)],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      );
      temps.push(g);
      if (bottom < 0 || right < 0) {
        g = call(
          deps.slice,
          backend,
          { x: g },
          { begin: [0, 0, 0, 0], size: [info.inChannels, kh, kw, info.outChannels] },
        );
        temps.push(g);
      }
      return call(deps.transpose, backend, { x: g }, { perm: [1, 2, 0, 3] });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

function inputGradient(deps: Deps): KernelFunc {
  return (args) => {
    const { inputs, backend: b, attrs } = args;
    const backend = b as KernelBackend;
    const a = attrs as unknown as Conv2DBackpropInputAttrs & { readonly dilations?: unknown };
    checkCommon(Conv2DBackpropInput, a);
    const dy = tensorIn(inputs, 'dy', Conv2DBackpropInput);
    const filter = tensorIn(inputs, 'filter', Conv2DBackpropInput);
    const wShape = shape4(filter, 'filter');
    const info = backend_util.computeConv2DInfo(
      a.inputShape,
      wShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const {
      filterHeight: kh,
      filterWidth: kw,
      inHeight: H,
      inWidth: W,
      outHeight: OH,
      outWidth: OW,
    } = info;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = H - OH + kh - 1 - top;
    const right = W - OW + kw - 1 - left;
    if (
      info.strideHeight !== 1 ||
      info.strideWidth !== 1 ||
      top < 0 ||
      left < 0 ||
      bottom < 0 ||
      right < 0
    ) {
      if (deps.backpropInput) return deps.backpropInput(args);
      throw new Error(
        `Conv2DBackpropInput on WASM supports stride 1 only here, got strides ${JSON.stringify(a.strides)}`,
      );
    }
    const temps: TensorInfo[] = [];
    try {
      const flipped = call(deps.reverse, backend, { x: filter }, { dims: [0, 1] });
      temps.push(flipped);
      const swapped = call(deps.transpose, backend, { x: flipped }, { perm: [0, 1, 3, 2] });
      temps.push(swapped);
      return call(
        deps.conv2d,
        backend,
        { x: dy, filter: swapped },
        {
          strides: 1,
          dilations: 1,
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      );
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

function maxPoolGradient(): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const backend = b as BackendWasm;
    const a = attrs as unknown as MaxPoolGradAttrs & {
      readonly dilations?: unknown;
      readonly dataFormat?: string;
    };
    checkCommon(MaxPoolGrad, a);
    const dy = tensorIn(inputs, 'dy', MaxPoolGrad);
    const input = tensorIn(inputs, 'input', MaxPoolGrad);
    if (input.dtype !== 'float32' || dy.dtype !== 'float32')
      throw new Error(`MaxPoolGrad on WASM supports float32 only, got ${input.dtype}`);
    const info = backend_util.computePool2DInfo(
      shape4(input, 'input'),
      a.filterSize,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const {
      batchSize: N,
      inHeight: H,
      inWidth: W,
      inChannels: C,
      outHeight: OH,
      outWidth: OW,
      strideHeight: sh,
      strideWidth: sw,
    } = info;
    const kh = info.effectiveFilterHeight;
    const kw = info.effectiveFilterWidth;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const x = backend.readSync(input.dataId) as Float32Array;
    const g = backend.readSync(dy.dataId) as Float32Array;
    const out = backend.makeOutput([N, H, W, C], 'float32');
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    const best = new Float32Array(C);
    const where = new Int32Array(C);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < OH; i++) {
        const r0 = i * sh - top;
        const rMin = Math.max(0, r0);
        const rMax = Math.min(H, r0 + kh);
        for (let j = 0; j < OW; j++) {
          const c0 = j * sw - left;
          const cMin = Math.max(0, c0);
          const cMax = Math.min(W, c0 + kw);
          best.fill(Number.NEGATIVE_INFINITY);
          where.fill(-1);
          for (let r = rMin; r < rMax; r++) {
            for (let col = cMin; col < cMax; col++) {
              const base = ((n * H + r) * W + col) * C;
              for (let c = 0; c < C; c++) {
                const v = x[base + c];
                if (v > best[c]) {
                  best[c] = v;
                  where[c] = base + c;
                }
              }
            }
          }
          const gBase = ((n * OH + i) * OW + j) * C;
          for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += g[gBase + c];
        }
      }
    }
    return out;
  };
}

/** The WASM package's own Conv2DBackpropInput, from before this module replaced it. */
let stockBackpropInput: KernelFunc | null = null;

/**
 * Registers Conv2DBackpropFilter for WASM, replaces its Conv2DBackpropInput with the
 * forward-convolution form (which falls back to the stock kernel for strided convolutions) and its
 * MaxPoolGrad with one that routes each window's gradient to a single input.
 * Call after `@tensorflow/tfjs-backend-wasm` is imported; calling again does nothing.
 */
export function registerWasmConvGradients(): void {
  if (ours(Conv2DBackpropFilter) && ours(Conv2DBackpropInput) && ours(MaxPoolGrad)) return;
  const current = getKernel(Conv2DBackpropInput, WASM);
  if (current && !ours(Conv2DBackpropInput)) stockBackpropInput = current.kernelFunc;
  const deps: Deps = {
    conv2d: stockKernel(Conv2D, 'its convolution gradients'),
    transpose: stockKernel(Transpose, 'its convolution gradients'),
    slice: stockKernel(Slice, 'its convolution gradients'),
    reverse: stockKernel(Reverse, 'its convolution gradients'),
    backpropInput: stockBackpropInput,
  };
  replace(Conv2DBackpropFilter, filterGradient(deps));
  replace(Conv2DBackpropInput, inputGradient(deps));
  replace(MaxPoolGrad, maxPoolGradient());
}
