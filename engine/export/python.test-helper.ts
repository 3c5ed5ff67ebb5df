import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunConfig } from '../config';
import { NODE_ENV } from '../data/node-assets';
import { createRun } from '../run';
import { exportRunData } from './data';
import { exportPyTorch, exportWeights } from './pytorch';

const run = promisify(execFile);
/** Few evaluated examples: the tests compare training losses, and evaluation is the slow part. */
const TEST_ENV = { ...NODE_ENV, evalExamples: 32 };
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The project's Python (scripts/setup-python.sh), or null when it is not set up. */
export const VENV_PYTHON = join(ROOT, '.venv-torch', 'bin', 'python');
export const VENV_TORCHRUN = join(ROOT, '.venv-torch', 'bin', 'torchrun');
export const hasVenv = existsSync(VENV_PYTHON);

/**
 * Whether the Python tests run: with the venv; without it they skip loudly, except in CI
 * (CI set), where a missing venv fails them.
 */
export function pythonTestsEnabled(file: string): boolean {
  if (hasVenv) return true;
  if (process.env.CI)
    throw new Error(
      `${file}: ${VENV_PYTHON} is missing in CI; .ci/run must run scripts/setup-python.sh`,
    );
  console.warn(
    `\n!!! ${file}: SKIPPED — no ${VENV_PYTHON}. Run scripts/setup-python.sh to set up PyTorch. !!!\n`,
  );
  return false;
}

export interface PythonRun {
  readonly loss: number[];
  readonly gradNorm: number[];
  readonly output: string;
}

const folders: string[] = [];

/** Removes the folders `writeExport` made (call in `afterAll`). */
export async function removeExports(): Promise<void> {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Exports the config's script, data and (when given) weights into a fresh folder. */
export async function writeExport(
  config: RunConfig,
  weights?: Uint8Array,
): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'torch-export-'));
  folders.push(dir);
  const exported = exportPyTorch(config, { withWeights: weights !== undefined });
  const script = join(dir, 'run.py');
  await writeFile(script, exported.script);
  await writeFile(join(dir, exported.dataFile), await exportRunData(config, TEST_ENV));
  if (weights && exported.weightsFile) await writeFile(join(dir, exported.weightsFile), weights);
  return { dir, script };
}

/** Runs exported scripts one after another in one Python process, which imports torch once. */
const DRIVER = [
  'import json, runpy, sys',
  'for argv in json.loads(sys.argv[1]):',
  '    sys.argv = argv',
  '    runpy.run_path(argv[0], run_name="__main__")',
].join('\n');

/** Runs each exported script for `steps` steps in one Python process; their losses in order. */
export async function runScripts(scripts: readonly string[], steps: number): Promise<PythonRun[]> {
  const argvs = scripts.map((s) => [s, '--steps', String(steps), '--losses', `${s}.losses.json`]);
  const env = { ...process.env, OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' };
  const { stdout, stderr } = await run(VENV_PYTHON, ['-c', DRIVER, JSON.stringify(argvs)], {
    env,
    maxBuffer: 1 << 24,
  });
  return Promise.all(
    scripts.map(async (s) => ({
      ...(JSON.parse(await readFile(`${s}.losses.json`, 'utf8')) as {
        loss: number[];
        gradNorm: number[];
      }),
      output: stdout + stderr,
    })),
  );
}

/** Runs an exported script for `steps` steps (under torchrun with `processes` > 1). */
export async function runScript(script: string, steps: number, processes = 1): Promise<PythonRun> {
  const losses = `${script}.losses.json`;
  const args = ['--steps', String(steps), '--losses', losses];
  const env = { ...process.env, OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' };
  const { stdout, stderr } =
    processes > 1
      ? await run(
          VENV_TORCHRUN,
          ['--standalone', `--nproc_per_node=${processes}`, script, ...args],
          { env, maxBuffer: 1 << 24 },
        )
      : await run(VENV_PYTHON, [script, ...args], { env, maxBuffer: 1 << 24 });
  const out = JSON.parse(await readFile(losses, 'utf8')) as { loss: number[]; gradNorm: number[] };
  return { ...out, output: stdout + stderr };
}

/** The engine's losses over the first `steps` steps, and its weights before the first. */
export async function engineRun(
  config: RunConfig,
  steps: number,
): Promise<{ loss: number[]; weights: Uint8Array }> {
  const r = await createRun({ ...config, backend: 'cpu' }, TEST_ENV);
  try {
    const weights = exportWeights(await r.snapshot());
    const chunk = await r.train(steps);
    return { loss: Array.from(chunk.columns.loss), weights };
  } finally {
    r.dispose();
  }
}

/** max_i |a_i − b_i| / max(|b_i|, 1e-12). */
export function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`${a.length} vs ${b.length} losses`);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}
