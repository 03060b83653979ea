// One Chromium and one real collector per test file, started before its tests and closed after.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launch } from './browser';
import { startHarness, type Harness } from './harness';

export function withBrowserAndCollector(ready: (browser: Browser, h: Harness) => void, { bfcache = false } = {}): void {
  let browser: Browser | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    [browser, h] = await Promise.all([launch({ bfcache }), startHarness()]);
    ready(browser, h);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
}
