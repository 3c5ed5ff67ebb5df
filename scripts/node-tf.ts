/**
 * Starts TF.js in Node for the claims runner and its worker processes. TF.js's ESM build imports
 * extensionless paths ('./gradients'), which Node's ESM loader rejects (Vite and Vitest resolve
 * them). The resolve hook retries such paths with '.js' and '/index.js'; it is registered before
 * TF.js loads, hence the dynamic imports.
 */
import { createRequire, register } from 'node:module';
import { dirname, join, sep } from 'node:path';

const HOOK = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (!specifier.startsWith('.') || !/tfjs/.test(context.parentURL ?? '')) throw error;
    for (const suffix of ['.js', '/index.js']) { try { return await next(specifier + suffix, context); } catch {} }
    throw error;
  }
}`;

/** Registers the hook, loads TF.js and the engine, and selects `backend` (wasm or cpu). */
export async function startTf(backend: string): Promise<typeof import('@tensorflow/tfjs-core')> {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const tf = await import('@tensorflow/tfjs-core');
  await import('../engine/index');
  if (backend === 'wasm') {
    // In Node the WASM binaries are read from the package; the browser build points at hashed assets.
    const pkg = createRequire(import.meta.url).resolve(
      '@tensorflow/tfjs-backend-wasm/package.json',
    );
    wasm.setWasmPaths(join(dirname(pkg), 'dist') + sep);
    const { registerWasmKernels } = await import('../engine/backends/wasm-kernels');
    registerWasmKernels();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  return tf;
}
