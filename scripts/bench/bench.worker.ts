/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import {
  createRun,
  kernelsFor,
  makeCharCorpus,
  MNIST_ASSET,
  parseMnist,
  selectBackend,
  type BackendChoice,
} from '../../engine/index';
import { convnetLoop, type ConvNetLoop, type ConvNetProgress } from './convnet';
import { plainLoop } from './plain';
import { workloadConfig, type WorkloadId } from './workloads';
import { APP_EVAL_BUDGET } from '../../workers/protocol';

/**
 * One worker per (backend, workload): trains the engine's run and the hand-written loop of the
 * same model in turn, on the same backend, and reports samples per second of each; on request
 * (the MNIST workloads on WASM) ConvNetJS's loop of the same model takes its turn beside them.
 */

async function loadAsset(path: string): Promise<ArrayBuffer> {
  const response = await fetch(new URL(/* @vite-ignore */ `../${path}`, import.meta.url));
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** A TF.js backend, or `fused`: the engine on its typed-array path (engine/fast-mlp), TF.js on cpu. */
export type BenchBackend = Exclude<BackendChoice, 'auto'> | 'fused';

export interface MeasureRequest {
  readonly backend: BenchBackend;
  readonly workload: WorkloadId;
  /** Timed chunks per round and implementation. */
  readonly chunks: number;
  /** Rounds: engine, plain, engine, plain, ... so drift hits both alike. */
  readonly rounds: number;
  /** Target seconds of one chunk: sets the steps per chunk from a warm-up. */
  readonly chunkSeconds: number;
  /** Times ConvNetJS's loop of the same model too (scripts/bench/convnet.ts: mnist-mlp, mnist-cnn). */
  readonly convnetjs?: boolean;
}

/** ConvNetJS, timed in the same rounds and chunks as the engine, and how far it trained. */
export interface ConvNetMeasure extends ConvNetProgress {
  readonly samplesPerSecond: number;
  /**
   * The engine's app-style samples/s over ConvNetJS's, on the request's backend: the same work,
   * both evaluating within the app's budget (a tenth of the training time).
   */
  readonly engineVersusConvnetjs: number;
  /** The engine's steps-only samples/s over ConvNetJS's training steps alone. */
  readonly engineVersusConvnetjsTraining: number;
}

export interface MeasureResult {
  readonly backend: string;
  readonly reason: string;
  readonly workload: WorkloadId;
  readonly stepsPerChunk: number;
  /** The engine's steps only: after its first chunk it does not evaluate; nor does the plain loop. */
  readonly engineSamplesPerSecond: number;
  readonly plainSamplesPerSecond: number;
  readonly ratio: number;
  /** The engine as the app trains: a chunk every `metricsEvery` steps, evaluated within the app's budget. */
  readonly appSamplesPerSecond: number;
  /** Milliseconds of the first engine chunk of one step, compilation and upload included. */
  readonly firstStepMs: number;
  /** Null unless the request asked for it. */
  readonly convnetjs: ConvNetMeasure | null;
}

const SLOW_FIRST_STEP_MS = 5000;

interface Trainer {
  train(k: number): Promise<unknown>;
  dispose(): void;
}

async function timed(trainer: Trainer, k: number, chunks: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < chunks; i++) await trainer.train(k);
  return (performance.now() - t0) / 1000;
}

export interface KernelProfile {
  readonly kernels: number;
  /** Milliseconds and calls per kernel name, slowest first. */
  readonly byKernel: readonly {
    readonly name: string;
    readonly ms: number;
    readonly calls: number;
  }[];
  readonly wallMs: number;
}

/** tf.profile of one chunk of k steps: where the engine and the plain loop spend their kernels. */
async function profileChunk(trainer: Trainer, k: number): Promise<KernelProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await trainer.train(k);
    return [] as tf.Tensor[];
  });
  const wallMs = performance.now() - t0;
  const by = new Map<string, { ms: number; calls: number }>();
  for (const kernel of info.kernels) {
    const entry = by.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    entry.calls += 1;
    by.set(kernel.name, entry);
  }
  const byKernel = [...by].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
  return { kernels: info.kernels.length, byKernel, wallMs };
}

const api = {
  async choose(workload: WorkloadId): Promise<{ backend: string; reason: string }> {
    const config = workloadConfig(workload);
    const report = await selectBackend('auto', kernelsFor(config.model), config);
    return { backend: report.fused ? 'fused' : report.name, reason: report.reason };
  },

  async measure(req: MeasureRequest): Promise<MeasureResult> {
    const fused = req.backend === 'fused';
    const backend = fused ? 'cpu' : req.backend;
    const config = { ...workloadConfig(req.workload), backend };
    const report = await selectBackend(backend, kernelsFor(config.model));
    const vocab =
      config.data.kind === 'chars' ? makeCharCorpus(config.data, config.seed).vocab.length : 2;
    // Steps only (evaluated at its first chunk, then never: budget 0), as the plain loop trains;
    // and the same run as the app runs it, evaluating within the app's budget.
    const engine = await createRun(config, { loadAsset, fused, evalBudget: 0 });
    const app = await createRun(config, { loadAsset, fused, evalBudget: APP_EVAL_BUDGET });
    if (fused && !engine.trainingPath().fused) throw new Error(engine.trainingPath().reason);
    const plain = plainLoop(config, vocab);
    // The plain loop's steps only, against the engine's steps only.
    const plainSteps: Trainer = { train: (k) => plain.train(k, false), dispose: () => {} };
    let convnet: ConvNetLoop | null = null;
    try {
      if (req.convnetjs) {
        const mnist = parseMnist(await loadAsset(MNIST_ASSET));
        if (!mnist.ok) throw new Error(mnist.message);
        convnet = convnetLoop(config, mnist.value);
      }
      const t0 = performance.now();
      await engine.train(1);
      const firstStepMs = performance.now() - t0;
      await plain.train(1);
      // Plain JavaScript compiles as it runs: a step and a chunk of two warm it up (its evaluation
      // runs the same forward code, so the warm-up skips it: it costs as much as a chunk).
      await convnet?.train(1, false);
      await convnet?.train(2, false);
      // A backend that takes seconds a step (a CNN on software WebGPU) gets one short round only.
      const slow = firstStepMs > SLOW_FIRST_STEP_MS;
      // Warm-up: both compile their kernels and settle; the second chunk sets the chunk size.
      await app.train(1);
      if (!slow) {
        await engine.train(2);
        await plain.train(2);
        await app.train(2);
      }
      const perStep = (await timed(engine, 2, 1)) / 2;
      const k = Math.max(2, Math.min(50, Math.round(req.chunkSeconds / perStep)));
      if (!slow) await plain.train(k);
      const rounds = slow ? 1 : req.rounds;
      const chunks = slow ? 1 : req.chunks;
      let engineSeconds = 0;
      let plainSeconds = 0;
      let appSeconds = 0;
      let convnetSeconds = 0;
      const every = config.metricsEvery;
      const appChunks = Math.max(1, Math.round((k * chunks) / every));
      for (let r = 0; r < rounds; r++) {
        engineSeconds += await timed(engine, k, chunks);
        plainSeconds += await timed(plainSteps, k, chunks);
        if (convnet) convnetSeconds += await timed(convnet, k, chunks);
        appSeconds += await timed(app, every, appChunks);
      }
      const samples = k * chunks * rounds * config.batchSize;
      const engineRate = samples / engineSeconds;
      const plainRate = samples / plainSeconds;
      const convnetRate = samples / convnetSeconds;
      const appRate = (every * appChunks * rounds * config.batchSize) / appSeconds;
      const progress = convnet?.progress() ?? null;
      return {
        appSamplesPerSecond: appRate,
        backend: fused ? 'fused' : tf.getBackend(),
        reason: report.reason,
        workload: req.workload,
        stepsPerChunk: k,
        engineSamplesPerSecond: engineRate,
        plainSamplesPerSecond: plainRate,
        ratio: engineRate / plainRate,
        firstStepMs,
        convnetjs: progress && {
          ...progress,
          samplesPerSecond: convnetRate,
          // Both evaluating within the app's budget; then both training only.
          engineVersusConvnetjs: appRate / convnetRate,
          engineVersusConvnetjsTraining: engineRate / progress.trainingSamplesPerSecond,
        },
      };
    } finally {
      engine.dispose();
      app.dispose();
      plain.dispose();
      convnet?.dispose();
    }
  },

  async profile(
    backend: Exclude<BackendChoice, 'auto'>,
    workload: WorkloadId,
    k: number,
  ): Promise<{ engine: KernelProfile; plain: KernelProfile }> {
    const config = { ...workloadConfig(workload), backend };
    await selectBackend(backend, kernelsFor(config.model));
    const vocab =
      config.data.kind === 'chars' ? makeCharCorpus(config.data, config.seed).vocab.length : 2;
    const engine = await createRun(config, { loadAsset });
    const plain = plainLoop(config, vocab);
    try {
      await engine.train(k);
      await plain.train(k);
      return { engine: await profileChunk(engine, k), plain: await profileChunk(plain, k) };
    } finally {
      engine.dispose();
      plain.dispose();
    }
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
