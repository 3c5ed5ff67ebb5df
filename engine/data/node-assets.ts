import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEnv } from '../tasks/task';

/**
 * Node-side assets (tests, scripts): reads `public/<path>`, building the dataset binaries with
 * scripts/build-data.mjs first if they are missing. Never imported by the app or the worker.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadNodeAsset(path: string): Promise<ArrayBuffer> {
  const file = join(ROOT, 'public', path);
  if (!existsSync(file))
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-data.mjs')], { stdio: 'inherit' });
  const bytes = await readFile(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export const NODE_ENV: RunEnv = { loadAsset: loadNodeAsset };
