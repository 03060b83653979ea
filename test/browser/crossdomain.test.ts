// Invariant: a visitor following a link between the brand's domains keeps one anonymous id: the
// link carries it in _vid, the other site adopts it and removes it from the address bar.
import type { Browser } from 'playwright-core';
import { expect, test } from 'vitest';
import { pages, trackerPage, waitFor } from './support/browser';
import { withBrowserAndCollector } from './support/setup';
import { type Harness } from './support/harness';

let browser: Browser;
let h: Harness;
withBrowserAndCollector((b, harness) => ([browser, h] = [b, harness]));

test('cross-domain links carry the anonymous id to the other domain', async () => {
  // 127.0.0.1 and localhost on one port are two sites with separate cookies and storage.
  const b = new URL(h.page(trackerPage('<p>site b</p>', { domains: '127.0.0.1' })));
  const bOnLocalhost = h.altOrigin + b.pathname;
  const a = h.page(trackerPage(`<a id=go href="${bOnLocalhost}?utm_source=site-a#top">to site b</a>`, { domains: 'localhost,example.org' }));
  const page = await (await browser.newContext()).newPage();
  await page.goto(a);
  await page.waitForFunction(() => window.vista?.l);
  const id = await page.evaluate(() => localStorage.getItem('vista_i'));
  await page.click('#go');
  await page.waitForURL((u) => u.host.startsWith('localhost'));
  await page.waitForFunction(() => window.vista?.l);
  // Adopted, stored on site b, and gone from the address bar (the rest of the URL kept).
  expect(await page.evaluate(() => localStorage.getItem('vista_i'))).toBe(id);
  expect(page.url()).toBe(bOnLocalhost + '?utm_source=site-a#top');
  const m = await waitFor(h, (m) => pages(m).some((p) => (p.context.page!.url as string).startsWith(h.altOrigin)));
  const viewB = pages(m).find((p) => (p.context.page!.url as string).startsWith(h.altOrigin))!;
  expect(viewB.anonymousId).toBe(id);
  expect(viewB.context.page!.url).toBe(bOnLocalhost + '?utm_source=site-a');
  await page.context().close();
});

test('an id carried in a malformed _vid is not adopted, and still removed', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(h.page(trackerPage()) + '?_vid=x;domain=evil&keep=1');
  await page.waitForFunction(() => window.vista?.l);
  expect(await page.evaluate(() => localStorage.getItem('vista_i'))).toMatch(/^[0-9a-f-]{36}$/);
  expect(new URL(page.url()).search).toBe('?keep=1');
  await page.context().close();
});
