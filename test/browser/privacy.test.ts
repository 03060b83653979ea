// Invariant: privacy choices hold: with consent required nothing is stored or sent before a grant
// (waiting events go on grant, are dropped on denial), an opt-out outlives reloads, Global Privacy
// Control and Do Not Track stop tracking unless the site says otherwise, and cookieless mode
// stores nothing in the browser.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { events, pages, quiet, trackerPage, waitFor } from './support/browser';
import { withBrowserAndCollector } from './support/setup';
import { type Harness, type Message } from './support/harness';

let browser: Browser;
let h: Harness;
withBrowserAndCollector((b, harness) => ([browser, h] = [b, harness]));

/** Messages carrying `marker` in their properties: each test tags its events. */
const tagged = (m: Message[], marker: string): Message[] => m.filter((x) => x.properties?.marker == marker || (x.properties?.url as string)?.includes(marker));

async function open(context: BrowserContext, html: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(html);
  await page.waitForFunction(() => window.vista?.l);
  return page;
}

/** Everything the page keeps in the browser: cookies and localStorage keys. */
async function stored(page: Page): Promise<string[]> {
  const cookies = (await page.context().cookies()).map((c) => 'cookie:' + c.name);
  return cookies.concat(await page.evaluate(() => Object.keys(localStorage)));
}

describe('consent', () => {
  test('required: nothing stored or sent until granted; then the waiting events go', async () => {
    const context = await browser.newContext();
    const page = await open(context, h.page(trackerPage('', { 'require-consent': true })) + '?utm_content=granted1');
    await page.evaluate(() => window.vista!('track', 'Waiting', { marker: 'granted1' }));
    await quiet();
    expect(tagged(await h.received(), 'granted1')).toEqual([]);
    expect(await stored(page)).toEqual([]);
    await page.evaluate(() => window.vista!('consent', 'granted'));
    const m = await waitFor(h, (m) => events(tagged(m, 'granted1'), 'Waiting').length);
    const id = events(tagged(m, 'granted1'), 'Waiting')[0]!.anonymousId;
    await waitFor(h, (m) => pages(m).some((p) => p.anonymousId == id));
    expect(await stored(page)).toContain('cookie:vista_i');
    expect(await page.evaluate(() => localStorage.getItem('vista_i'))).toBe(id);
    await context.close();
  });

  test('required and denied: the waiting events are dropped, and all that follow', async () => {
    const context = await browser.newContext();
    const page = await open(context, h.page(trackerPage('', { 'require-consent': true })) + '?utm_content=denied1');
    await page.evaluate(() => {
      window.vista!('track', 'Waiting', { marker: 'denied1' });
      window.vista!('consent', 'denied');
      window.vista!('track', 'After', { marker: 'denied1' });
    });
    await page.evaluate(() => history.pushState({}, '', '/denied1-next'));
    await quiet();
    expect(tagged(await h.received(), 'denied1')).toEqual([]);
    expect(await stored(page)).toEqual([]);
    await context.close();
  });
});

describe('opt-out and signals', () => {
  test('an opt-out persists across reloads', async () => {
    const context = await browser.newContext();
    const url = h.page(trackerPage()) + '?utm_content=optout1';
    const page = await open(context, url);
    await waitFor(h, (m) => tagged(m, 'optout1').length);
    await page.evaluate(() => {
      window.vista!('optout');
      window.vista!('track', 'After', { marker: 'optout1' });
    });
    await page.reload();
    await page.waitForFunction(() => window.vista?.l);
    await page.evaluate(() => window.vista!('track', 'After Reload', { marker: 'optout1' }));
    await quiet();
    expect(tagged(await h.received(), 'optout1').map((x) => x.type)).toEqual(['page']);
    // Only the opt-out itself is remembered.
    expect((await stored(page)).sort()).toEqual(['cookie:vista_o', 'vista_o']);
    await context.close();
  });

  test('Global Privacy Control stops tracking, unless the site chooses not to honour it', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const page = await open(context, h.page(trackerPage()) + '?utm_content=gpc1');
    await page.evaluate(() => window.vista!('track', 'Signal', { marker: 'gpc1' }));
    await quiet();
    expect(tagged(await h.received(), 'gpc1')).toEqual([]);
    expect(await stored(page)).toEqual([]);
    const page2 = await open(context, h.page(trackerPage('', { 'privacy-signals': 'false' })) + '?utm_content=gpc2');
    await page2.evaluate(() => window.vista!('track', 'Signal', { marker: 'gpc2' }));
    await waitFor(h, (m) => events(tagged(m, 'gpc2'), 'Signal').length);
    await context.close();
  });

  test('Do Not Track stops tracking', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
    const page = await open(context, h.page(trackerPage()) + '?utm_content=dnt1');
    await page.evaluate(() => window.vista!('track', 'Signal', { marker: 'dnt1' }));
    await quiet();
    expect(tagged(await h.received(), 'dnt1')).toEqual([]);
    await context.close();
  });

  test('cookieless mode: events arrive, nothing is stored in the browser', async () => {
    const context = await browser.newContext();
    const page = await open(context, h.page(trackerPage('', { cookieless: true })) + '?utm_content=cookieless1');
    await page.evaluate(() => {
      window.vista!('identify', 'u-9');
      window.vista!('track', 'No Storage', { marker: 'cookieless1' });
    });
    const m = await waitFor(h, (m) => events(tagged(m, 'cookieless1'), 'No Storage').length);
    expect(events(tagged(m, 'cookieless1'), 'No Storage')[0]!.userId).toBe('u-9');
    await page.evaluate(() => history.pushState({}, '', '/cookieless-next'));
    await quiet(300);
    expect(await stored(page)).toEqual([]);
    await context.close();
  });
});
