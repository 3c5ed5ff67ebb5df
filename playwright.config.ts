import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

// Another port can be given when 4173 is taken (e.g. by a second checkout's tests).
const PORT = Number(process.env.PLAYGROUND_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH as string, args: CHROMIUM_ARGS as string[] },
    viewport: { width: 1400, height: 900 },
    trace: 'off',
  },
  // The test build (dist-test/, `npm run build:test`): the app with its test hook and faults.
  webServer: {
    command: `npx vite preview --mode test --port ${PORT} --strictPort --host localhost`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
