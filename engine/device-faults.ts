import * as tf from '@tensorflow/tfjs-core';
import { FALLBACK_ORDER, type BackendName } from './backend';

/**
 * Faults of the device a run trains on: a lost WebGPU device or WebGL context, and running out of
 * its memory. TF.js does not report either itself: a lost device makes later reads fail or hang,
 * and an allocation that does not fit throws whatever the backend throws.
 */

/** What was lost, in words for the UI. */
export interface DeviceLoss {
  readonly backend: BackendName;
  /** The backend a run moves to: the next in `FALLBACK_ORDER`. */
  readonly next: BackendName;
  readonly message: string;
}

interface WebGpuBackendLike {
  readonly device: GPUDevice;
}

interface WebGlBackendLike {
  readonly gpgpu: { readonly gl: WebGLRenderingContext | WebGL2RenderingContext };
}

function webGpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend: object = tf.backend();
  return 'device' in backend ? (backend as WebGpuBackendLike).device : null;
}

function webGlContext(): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend: object = tf.backend();
  return 'gpgpu' in backend ? (backend as WebGlBackendLike).gpgpu.gl : null;
}

/** The backend after `name` in `FALLBACK_ORDER` (cpu is the last and has no device to lose). */
export function nextBackend(name: BackendName): BackendName {
  const i = FALLBACK_ORDER.indexOf(name);
  return FALLBACK_ORDER[Math.min(i + 1, FALLBACK_ORDER.length - 1)];
}

/**
 * Calls `onLost` once if the current backend's device (WebGPU) or context (WebGL) is lost.
 * Returns a function that stops watching; other backends have nothing to lose.
 */
export function watchDeviceLoss(onLost: (loss: DeviceLoss) => void): () => void {
  let watching = true;
  const report = (backend: BackendName, what: string) => {
    if (!watching) return;
    watching = false;
    onLost({ backend, next: nextBackend(backend), message: what });
  };
  const device = webGpuDevice();
  if (device) {
    void device.lost.then((info) =>
      report('webgpu', `The WebGPU device was lost${info.message ? ` (${info.message})` : ''}`),
    );
    return () => void (watching = false);
  }
  const gl = webGlContext();
  if (gl) {
    const canvas = gl.canvas;
    const listener = () => report('webgl', 'The WebGL context was lost');
    canvas.addEventListener('webglcontextlost', listener);
    return () => {
      watching = false;
      canvas.removeEventListener('webglcontextlost', listener);
    };
  }
  return () => void (watching = false);
}

/**
 * Loses the current backend's device for real, as a driver reset would: destroys the WebGPU device,
 * or loses the WebGL context through WEBGL_lose_context. For tests of recovery; false when the
 * backend has no device.
 */
export function loseDevice(): boolean {
  const device = webGpuDevice();
  if (device) {
    device.destroy();
    return true;
  }
  const lose = webGlContext()?.getExtension('WEBGL_lose_context');
  if (lose) {
    lose.loseContext();
    return true;
  }
  return false;
}

/** Messages of an allocation that did not fit, as each backend words it. */
const OUT_OF_MEMORY = [
  /out of memory/i,
  /\bOOM\b/,
  /allocation (failed|size)/i, // V8: "Array buffer allocation failed"
  /Cannot enlarge memory/i, // Emscripten (wasm)
  /Invalid typed array length/i, // cpu: a buffer larger than a typed array can be
  /greater than WebGL maximum/i, // webgl: "Requested texture size ... greater than WebGL maximum"
  /maxBufferSize|exceeds the max buffer size/i, // webgpu
];

export interface RunFault {
  readonly kind: 'oom' | 'internal';
  readonly message: string;
}

/** Names an error thrown while training: running out of memory gets a message that says what to do. */
export function classifyFault(err: unknown, backend: BackendName | null): RunFault {
  const raw = err instanceof Error ? err.message : String(err);
  if (!OUT_OF_MEMORY.some((re) => re.test(raw))) return { kind: 'internal', message: raw };
  const where =
    backend === 'webgpu' || backend === 'webgl'
      ? `GPU memory (${backend})`
      : `memory${backend ? ` (${backend})` : ''}`;
  return {
    kind: 'oom',
    message: `This run ran out of ${where} and stopped; other runs are not affected. Try a smaller model, batch size or sequence length. (${raw})`,
  };
}

/**
 * Allocates and reads a tensor far larger than any device can hold, on the current backend: what a
 * run that exhausts its memory meets. For tests of the failure path; always throws.
 */
export async function exhaustDeviceMemory(): Promise<never> {
  // 2^40 float32 values, 4 TiB: beyond WASM's 4 GiB heap, WebGPU's buffer limits, WebGL's textures,
  // a JS typed array and any machine's memory, so every backend refuses it before touching memory.
  const huge = tf.fill([2 ** 20, 2 ** 20], 1);
  try {
    await huge.data();
  } finally {
    huge.dispose();
  }
  throw new Error(
    `a tensor of ${huge.size * 4} bytes fit on ${tf.getBackend()}, so nothing ran out`,
  );
}
