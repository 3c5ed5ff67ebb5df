import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from './config';

export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Which backend a run trains on, and why, in words for the UI. */
export interface BackendReport {
  readonly name: BackendName;
  readonly reason: string;
  /** GPU adapter, where WebGPU was asked: vendor and architecture, or why there is none. */
  readonly adapter?: string;
  readonly software?: boolean;
}

/** The order tried for `auto`: WebGPU first, then WebGL, WASM and the plain-JS CPU backend. */
export const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

interface AdapterProbe {
  readonly ok: boolean;
  readonly description: string;
  readonly software: boolean;
}

async function probeWebGpuAdapter(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, description: 'this browser exposes no WebGPU (navigator.gpu is missing)', software: false };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, description: 'no WebGPU adapter is available', software: false };
    const info = adapter.info;
    const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    const software = /swiftshader|llvmpipe|software|cpu/i.test(description);
    return { ok: true, description, software };
  } catch (err) {
    return { ok: false, description: `requesting a WebGPU adapter failed: ${String(err)}`, software: false };
  }
}

/** Registers a backend's kernels by loading its package on demand, so unused backends cost nothing. */
async function register(name: BackendName): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'wasm':
      await (await import('./backends/wasm')).registerWasm();
      return;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
  }
}

async function tryBackend(name: BackendName, kernels: readonly string[]): Promise<string | null> {
  try {
    await register(name);
    const missing = kernels.filter((k) => !tf.getKernel(k, name));
    if (missing.length > 0) return `${name} cannot train this model (it has no ${missing.join(', ')} kernel)`;
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} did not initialise`;
    await tf.ready();
    return null;
  } catch (err) {
    return `${name} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Kernels a model's backward pass needs beyond the everyday ones; a backend without one of them is
 * skipped. WASM has them all once `registerWasm` has added the convolution gradients
 * (backends/wasm-conv-grads.ts), so convolutional models train there too.
 */
export function kernelsFor(model: { readonly kind: string }): readonly string[] {
  switch (model.kind) {
    case 'cnn':
    case 'cct':
      return ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad'];
    default:
      return [];
  }
}

/**
 * Sets the TF.js backend. A forced choice is tried alone and falls back only if it fails;
 * `auto` takes the first of `FALLBACK_ORDER` that works, WebGPU only with an adapter.
 */
export async function selectBackend(choice: BackendChoice, kernels: readonly string[] = []): Promise<BackendReport> {
  const failures: string[] = [];
  const order = choice === 'auto' ? FALLBACK_ORDER : [choice, ...FALLBACK_ORDER.filter((b) => b !== choice)];
  let adapter: AdapterProbe | undefined;
  for (const name of order) {
    if (name === 'webgpu') {
      adapter = await probeWebGpuAdapter();
      if (!adapter.ok) {
        failures.push(adapter.description);
        continue;
      }
    }
    if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
      failures.push('WebGL needs OffscreenCanvas, which is missing here');
      continue;
    }
    const failure = await tryBackend(name, kernels);
    if (failure) {
      failures.push(failure);
      continue;
    }
    const first = name === order[0];
    const why =
      choice === 'auto'
        ? first
          ? name === 'webgpu'
            ? `WebGPU is tried first and an adapter is available${adapter?.software ? ' (a software one)' : ''}`
            : `the first backend that worked`
          : `automatic fallback: ${failures.join('; ')}`
        : first
          ? 'chosen by you'
          : `you chose ${choice}, but ${failures.join('; ')}`;
    return {
      name,
      reason: why,
      ...(name === 'webgpu' && adapter ? { adapter: adapter.description, software: adapter.software } : {}),
    };
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}`);
}
