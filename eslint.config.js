import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Lint rules for the whole tree: ESLint's and typescript-eslint's recommended sets, the Svelte
 * plugin's, and `no-explicit-any` as an error (the project's "no any" rule).
 *
 * Type-aware linting (recommendedTypeChecked with the project service) is not on: measured on
 * the shared 2-core machine it took 3 min 32 s wall (51 s CPU) against 40 s to 70 s wall (17 s
 * CPU) for this config, and most of what it adds is no-unnecessary-type-assertion, which
 * `npm run check` (tsc) makes cheap to live with. Revisit when the tree or the machine changes.
 */
export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-*/',
      '.venv-torch/',
      'public/data/',
      'test-results/',
      'playwright-report/',
      'node_modules/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `const { id: _id, ...rest } = x` drops a field on purpose: the rest is what is used.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
    rules: {
      // It flags every `new Map`/`new Set`/`new URL` in a Svelte file, but the ones here are meant
      // to be plain: private caches read by no template, a worker's URL, or a Map rebuilt whole
      // inside `$derived` (the derivation is what is reactive). SvelteMap would track for nobody.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
