// Makes sure the system Chromium the browser tests drive is installed. As root it installs
// Debian's package; otherwise it says what to install. Never downloads a browser build.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium.mjs';

if (existsSync(CHROMIUM_PATH)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || CHROMIUM_PATH !== '/usr/bin/chromium') {
  console.error(
    `Chromium was not found at ${CHROMIUM_PATH}. The browser tests need it.\n` +
      `Install it with your system's package manager, e.g. on Debian/Ubuntu:\n` +
      `  sudo apt-get update && sudo apt-get install -y chromium\n` +
      `or point CHROMIUM_PATH at an existing Chromium or Chrome binary.`,
  );
  process.exit(1);
}
console.log('Installing Debian chromium for the browser tests (apt-get)...');
execSync('apt-get update', { stdio: 'inherit' });
execSync('apt-get install -y --no-install-recommends chromium fonts-dejavu-core', {
  stdio: 'inherit',
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});
if (!existsSync(CHROMIUM_PATH)) {
  console.error('apt-get finished but /usr/bin/chromium is still missing.');
  process.exit(1);
}
