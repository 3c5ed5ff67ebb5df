import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from './config';
import type { RunConfig } from './config';
import { fusedCandidate } from './fast-mlp/fused-path';
import {
  chooseFastest,
  describeProbe,
  formatMs,
  timeWorkload,
  workloadFor,
  type ProbeHint,
  type ProbeMeasurement,
} from './backends/probe';

export type { ProbeHint, ProbeMeasurement } from './backends/probe';

export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Which backend a run trains on, and why, in words for the UI. */
export interface BackendReport {
  readonly name: BackendName;
  readonly reason: string;
  /** GPU adapter, where WebGPU was asked: vendor and architecture, or why there is none. */
  readonly adapter?: string;
  readonly software?: boolean;
  /** What the `auto` probe measured, where it ran. */
  readonly probe?: readonly ProbeMeasurement[];
  /**
   * `auto` on a small dense model: train on the fused typed-array path (engine/fast-mlp, pass
   * `fused: true` to `createRun`); the TF.js backend (cpu) only draws the views.
   */
  readonly fused?: boolean;
}

/** The order a forced choice falls back in, and the tie-break of the probe: WebGPU, WebGL, WASM, the plain-JS CPU backend. */
export const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

interface AdapterProbe {
  readonly ok: boolean;
  readonly description: string;
  readonly software: boolean;
}

async function probeWebGpuAdapter(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu)
    return {
      ok: false,
      description: 'this browser exposes no WebGPU (navigator.gpu is missing)',
      software: false,
    };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter)
      return { ok: false, description: 'no WebGPU adapter is available', software: false };
    const info = adapter.info;
    const description =
      [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') ||
      'unnamed adapter';
    const software = /swiftshader|llvmpipe|software|cpu/i.test(description);
    return { ok: true, description, software };
  } catch (err) {
    return {
      ok: false,
      description: `requesting a WebGPU adapter failed: ${String(err)}`,
      software: false,
    };
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
  if (name === 'webgl' && !canTryWebGl())
    return 'WebGL needs OffscreenCanvas, which is missing here';
  try {
    await register(name);
    const missing = kernels.filter((k) => !tf.getKernel(k, name));
    if (missing.length > 0)
      return `${name} cannot train this model (it has no ${missing.join(', ')} kernel)`;
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

/** Backends `auto` times against each other (CPU on dense models only, see `selectAuto`). */
const PROBED: readonly BackendName[] = ['wasm', 'webgl', 'webgpu', 'cpu'];

/** A hint with the whole run config, so `auto` can tell whether the fused path takes it. */
function isRunConfig(hint: ProbeHint | undefined): hint is RunConfig {
  return hint !== undefined && 'optimizer' in hint && 'quant' in hint;
}

/**
 * Whether `auto` trains a run of this config on the fused path: where it can (`fusedCandidate`),
 * it is the fastest there is for these models. Measured by `npm run bench` (spiral MLP, batch 10,
 * one Chromium, 2 cores): the fused path is many times the samples/s of every TF.js backend.
 */
export function autoFuses(config: RunConfig): boolean {
  return config.backend === 'auto' && fusedCandidate(config) === null;
}

/** Past this much probing, the backends not yet timed are left out. */
const PROBE_TOTAL_MS = 1500;

/**
 * Drops a backend's instance (its WebGL context, WebGPU device or WASM memory) but keeps its
 * factory, so a later `setBackend` can start it again. The probe starts several; one is kept.
 */
export function releaseBackend(name: BackendName): void {
  const engine = tf.engine();
  const entry = engine.registryFactory[name];
  if (!entry || !(name in engine.registry) || tf.getBackend() === name) return;
  tf.removeBackend(name);
  tf.registerBackend(name, entry.factory, entry.priority);
}

interface WebGlBackendLike {
  readonly gpgpu: { readonly gl: WebGLRenderingContext | WebGL2RenderingContext };
}

/** The active WebGL backend's renderer, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))"; null if unknown. */
function webGlRenderer(): string | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend: object = tf.backend();
  if (!('gpgpu' in backend)) return null;
  const gl = (backend as WebGlBackendLike).gpgpu.gl;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof renderer === 'string' ? renderer : null;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|software|softpipe|basic render/i;

function canTryWebGl(): boolean {
  return typeof OffscreenCanvas !== 'undefined' || typeof document !== 'undefined';
}

/**
 * `auto`. A small dense model the fused path can train (`autoFuses`) takes it, with the cpu
 * backend for its views. A hardware WebGPU adapter is taken without probing: a real GPU is the
 * reason the app prefers WebGPU, timing every backend would compile each one's kernels at every
 * run start, and the architecture puts WebGPU first there. Otherwise (a software adapter such as
 * SwiftShader or llvmpipe, or no WebGPU at all) nothing is trusted: every backend that starts and
 * has the model's kernels runs a short forward and backward pass shaped after the model, and the
 * fastest per step wins. Software WebGPU is not started at all (measured here: the spiral MLP
 * trained at 7 steps/s on it and 197 on WASM, and a first step abandoned at the probe's limit kept
 * the GPU process compiling for 4-18 s); a WebGL renderer that names itself software is left out
 * (below). CPU is timed on dense models, where it can beat WASM (the spiral by about 1.2x); on
 * others WASM runs the same work with SIMD kernels (MNIST MLP 2450 vs 470 samples/s here).
 */
async function selectAuto(
  kernels: readonly string[],
  hint: ProbeHint | undefined,
): Promise<BackendReport> {
  const failures: string[] = [];
  const notes: string[] = [];
  if (isRunConfig(hint) && fusedCandidate(hint) === null) {
    const failure = await tryBackend('cpu', kernels);
    if (!failure) {
      return {
        name: 'cpu',
        fused: true,
        reason:
          'auto: fused typed-array loops train this small MLP, faster than any TF.js backend here (the TF.js cpu backend only draws the views)',
      };
    }
    failures.push(failure);
  }
  const adapter = await probeWebGpuAdapter();
  const adapterInfo = adapter.ok
    ? { adapter: adapter.description, software: adapter.software }
    : {};
  if (adapter.ok && !adapter.software) {
    const failure = await tryBackend('webgpu', kernels);
    if (!failure)
      return {
        name: 'webgpu',
        reason: `auto: a hardware WebGPU adapter (${adapter.description}) is taken without probing`,
        ...adapterInfo,
      };
    failures.push(failure);
  } else if (adapter.ok) {
    notes.push(`the WebGPU adapter is software (${adapter.description})`);
  } else {
    notes.push(adapter.description);
  }

  const started: BackendName[] = [];
  /** Started, but left out of the timing, with the reason. */
  const untimed: ProbeMeasurement[] = [];
  const work = workloadFor(hint);
  for (const name of PROBED) {
    // A software WebGPU adapter (SwiftShader) trained the spiral at 7 steps/s against WASM's 197
    // here, and an abandoned first step kept the GPU process compiling for seconds: not started.
    if (name === 'webgpu') continue;
    // The plain-JS CPU kernels beat WASM on small dense models only (the spiral by about 1.2x);
    // on convolutions and attention one of their steps would outlast the whole probe.
    if (name === 'cpu' && work.kind !== 'dense') continue;
    const failure = await tryBackend(name, kernels);
    if (failure) {
      failures.push(failure);
      continue;
    }
    started.push(name);
    // WebGL links its shaders on this thread, seconds per model on a software renderer (2.6-4.2 s
    // for the first step measured here), so the probe could not stay short; and such a renderer
    // runs on the same CPU cores as WASM, without WASM's SIMD kernels. Left out, with its name.
    const renderer = name === 'webgl' ? webGlRenderer() : null;
    if (renderer && SOFTWARE_RENDERER.test(renderer))
      untimed.push({ name, msPerStep: null, note: `renders in software (${renderer}), not timed` });
  }
  const info = (name: BackendName) => (name === 'webgpu' ? adapterInfo : {});
  const why = [...failures, ...notes].join('; ');

  if (started.length === 0) {
    const failure = await tryBackend('cpu', kernels);
    if (failure)
      throw new Error(`No TF.js backend could start: ${[...failures, failure].join('; ')}`);
    return { name: 'cpu', reason: `auto: the CPU backend, as nothing faster started (${why})` };
  }
  const only = started[0];
  if (started.length === 1 && only) {
    await tf.setBackend(only);
    return {
      name: only,
      reason: `auto: ${only}, the only faster-than-CPU backend that started (${why})`,
      ...info(only),
    };
  }

  const t0 = performance.now();
  const measured: ProbeMeasurement[] = [...untimed];
  for (const name of started) {
    if (untimed.some((m) => m.name === name)) continue;
    if (performance.now() - t0 > PROBE_TOTAL_MS) {
      measured.push({
        name,
        msPerStep: null,
        note: `not timed, the probe had used ${formatMs(PROBE_TOTAL_MS)}`,
      });
      continue;
    }
    try {
      await tf.setBackend(name);
      measured.push(await timeWorkload(name, work));
    } catch (err) {
      measured.push({
        name,
        msPerStep: null,
        note: `the probe failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  const winner = chooseFastest(measured, FALLBACK_ORDER) ?? only ?? 'cpu';
  await tf.setBackend(winner);
  for (const name of started) if (name !== winner) releaseBackend(name);
  notes.push(`probe ${formatMs(performance.now() - t0)}`);
  return {
    name: winner,
    reason: describeProbe(winner, measured, [...failures, ...notes]),
    probe: measured,
    ...info(winner),
  };
}

/**
 * Sets the TF.js backend. A forced choice is tried alone and falls back (in `FALLBACK_ORDER`) only
 * if it fails; `auto` measures when it cannot trust WebGPU (see `selectAuto`). `hint` shapes the
 * probe's workload after the model; a run config can be passed as it is.
 */
export async function selectBackend(
  choice: BackendChoice,
  kernels: readonly string[] = [],
  hint?: ProbeHint,
): Promise<BackendReport> {
  if (choice === 'auto') return selectAuto(kernels, hint);
  const failures: string[] = [];
  const order = [choice, ...FALLBACK_ORDER.filter((b) => b !== choice)];
  let adapter: AdapterProbe | undefined;
  for (const name of order) {
    if (name === 'webgpu') {
      adapter = await probeWebGpuAdapter();
      if (!adapter.ok) {
        failures.push(adapter.description);
        continue;
      }
    }
    const failure = await tryBackend(name, kernels);
    if (failure) {
      failures.push(failure);
      continue;
    }
    return {
      name,
      reason: name === choice ? 'chosen by you' : `you chose ${choice}, but ${failures.join('; ')}`,
      ...(name === 'webgpu' && adapter
        ? { adapter: adapter.description, software: adapter.software }
        : {}),
    };
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}`);
}
