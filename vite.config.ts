import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // Relative base: the build is plain static files that work under any sub-path.
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { main: 'index.html' },
    },
  },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['engine/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['engine/test-setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
