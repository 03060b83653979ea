import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser tests drive a system Chromium, never a downloaded one. Without it (a fresh machine
// with only Node and npm) they are left out with a warning; CI sets VISTA_REQUIRE_BROWSER=1 so
// a missing browser fails instead of passing quietly.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = existsSync(chromium);
if (!browser) {
  const message = `No Chromium at ${chromium}: the browser tests in test/browser are not run (apt-get install -y chromium, or set CHROMIUM_PATH).`;
  if (process.env.VISTA_REQUIRE_BROWSER === '1') throw new Error(message);
  console.warn(`\n  ${message}\n`);
}

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(browser ? [] : ['test/browser/**'])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
