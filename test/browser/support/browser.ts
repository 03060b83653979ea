// Headless Chromium from the system (never downloaded), and helpers for tracker test pages.
import { chromium, type Browser } from 'playwright-core';
import type { Harness, Message } from './harness';

/** `bfcache`: keep Chromium's back/forward cache, which Playwright turns off by default. */
export const launch = ({ bfcache = false } = {}): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [],
  });

/** The stub of the paste-in snippet. */
export const STUB = '<script>window.vista=window.vista||function(){(vista.q=vista.q||[]).push(arguments)}</script>';

/**
 * A test page: the snippet (stub and script tag with `attrs` as data-* attributes; the tests run
 * in an automated browser, so data-allow-automation is set, and a short flush interval), then `body`.
 */
export function trackerPage(body = '', attrs: Record<string, string | boolean> = {}, head = ''): string {
  const all: Record<string, string | boolean> = { key: 'test-key', 'allow-automation': true, 'flush-interval': '100', ...attrs };
  const data = Object.entries(all)
    .filter(([, v]) => v !== false)
    .map(([k, v]) => (v === true ? ` data-${k}` : ` data-${k}="${v}"`))
    .join('');
  return `<!doctype html><html><head><title>Test page</title>${head}${STUB}<script async src="/v.js"${data}></script></head><body>${body}</body></html>`;
}

/** Waits until the messages received satisfy `ok`; returns them. */
export async function waitFor(h: Harness, ok: (m: Message[]) => unknown, timeout = 8000): Promise<Message[]> {
  const end = Date.now() + timeout;
  for (;;) {
    const m = await h.received();
    if (ok(m)) return m;
    if (Date.now() > end) throw new Error('timed out; received: ' + JSON.stringify(m.map((x) => x.event ?? x.type)));
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits `ms`, for tests that check nothing arrives. */
export const quiet = (ms = 600): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const events = (m: Message[], name: string): Message[] => m.filter((x) => x.event == name);
export const pages = (m: Message[]): Message[] => m.filter((x) => x.type == 'page');
