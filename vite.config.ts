import { defineConfig } from 'vitest/config';
import { build, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * dist/embed.js: the `<training-playground>` element, built alone (no Svelte, no TF.js) into one
 * file with a stable name at the root, so docs pages can load it from any origin. In development
 * `/embed.js` serves the TypeScript source.
 */
function embedElement(): Plugin {
  let root = process.cwd();
  return {
    name: 'training-playground:embed-element',
    configResolved(config) {
      root = config.root;
    },
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url?.split('?')[0] === '/embed.js') req.url = '/app/embed/element.ts';
        next();
      });
    },
    async generateBundle() {
      const result = await build({
        configFile: false,
        root,
        logLevel: 'warn',
        build: {
          write: false,
          target: 'es2022',
          copyPublicDir: false,
          lib: { entry: 'app/embed/element.ts', formats: ['es'], fileName: () => 'embed.js' },
          // Lib builds keep ES output readable; this one file is loaded by docs readers, so squeeze it.
          rollupOptions: { output: { minify: true } },
        },
      });
      const outputs = Array.isArray(result) ? result : [result];
      for (const out of outputs) {
        if (!('output' in out)) continue;
        for (const file of out.output) {
          if (file.type === 'chunk' && file.isEntry)
            this.emitFile({ type: 'asset', fileName: 'embed.js', source: file.code });
        }
      }
    },
  };
}

/**
 * `vite build` makes the shipped app in dist/. `vite build --mode test` makes the same app with the
 * browser tests' hook and fault injection (`import.meta.env.MODE === 'test'` in app/App.svelte,
 * app/state/run-handle.svelte.ts and workers/trainer.worker.ts) in dist-test/, which Playwright and
 * the bench serve (`vite preview --mode test`). Vitest runs in mode `test` too.
 */
export default defineConfig(({ mode }) => ({
  // Relative base: the build is plain static files that work under any sub-path.
  base: './',
  plugins: [
    svelte(),
    embedElement(),
    VitePWA({
      // The app asks before swapping in a new version (app/components/UpdatePrompt.svelte registers).
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Training Playground',
        short_name: 'Playground',
        description:
          'Train small neural networks in your browser and watch what a training technique does.',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#183d4e',
        background_color: '#f7f9fa',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // The app shell, the widget (embed.html, embed.js), worker chunks, WASM and every dataset.
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest,bin}'],
        // assets/*.html: copies of the pages that workers/trainer.worker.ts's `new URL(`../${path}`)` glob pulls in.
        globIgnores: ['screenshot.png', 'assets/*.html'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // The widget's address carries its settings in the query: serve the cached page for any.
        ignoreURLParametersMatching: [/./],
        // Every page is precached by name; a fallback would answer embed.html with index.html.
        navigateFallback: null,
        // A new version waits for the user (UpdatePrompt.svelte sends SKIP_WAITING on Reload): no
        // skipWaiting here. clientsClaim only lets the very first install control the page it was
        // loaded with (same files); an update activates only after the user's Reload.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: mode === 'test' ? 'dist-test' : 'dist',
    rollupOptions: {
      input: { main: 'index.html', embed: 'embed.html' },
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
}));
