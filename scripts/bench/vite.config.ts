import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Builds the benchmark page (engine against a hand-written TF.js loop, in a worker) into
 * dist-bench/, with the app's public/ files (the MNIST digits) beside it.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: './',
  publicDir: fileURLToPath(new URL('../../public', import.meta.url)),
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('../../dist-bench', import.meta.url)),
    emptyOutDir: true,
  },
  logLevel: 'warn',
});
