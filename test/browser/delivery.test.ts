// Invariant: no acknowledged-or-not event is lost: the last events of a closed page arrive, events
// sent while the collector is down are retried (with backoff in the page, and from localStorage on
// the next load), each arrives once, and a large backlog goes out in requests under 64 KB.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { events, quiet, trackerPage, waitFor } from './support/browser';
import { withBrowserAndCollector } from './support/setup';
import { type Harness, type Message } from './support/harness';

let browser: Browser;
let h: Harness;
withBrowserAndCollector((b, harness) => ([browser, h] = [b, harness]));

const mine = (m: Message[], id: string): Message[] => m.filter((x) => x.anonymousId == id);

async function open(context: BrowserContext, url: string): Promise<[Page, string]> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.vista?.l);
  return [page, await page.evaluate(() => localStorage.getItem('vista_i')!)];
}

describe('delivery', () => {
  test('closing the page: its last events still arrive', async () => {
    const context = await browser.newContext();
    const [page, id] = await open(context, h.page(trackerPage('', { 'flush-interval': '60000' })));
    await page.evaluate(() => window.vista!('track', 'Last Words', { n: 1 }));
    await page.close({ runBeforeUnload: true });
    const m = await waitFor(h, (m) => events(mine(m, id), 'Last Words').length);
    expect(mine(m, id).map((x) => x.event ?? x.type)).toEqual(['page', 'Last Words']);
    await context.close();
  });

  test('collector unreachable: events wait in localStorage and arrive on the next load, once each', async () => {
    const context = await browser.newContext();
    const url = h.page(trackerPage());
    h.setOffline(true);
    const [page, id] = await open(context, url);
    await page.evaluate(() => window.vista!('track', 'Offline Purchase', { order_id: 'x1' }));
    await page.waitForTimeout(800); // a failed attempt (connection reset), and the beacon lost too
    await page.close({ runBeforeUnload: true }); // the unload beacon is lost as well
    expect(events(mine(await h.received(), id), 'Offline Purchase')).toEqual([]);
    h.setOffline(false);
    await open(context, url);
    const m = await waitFor(h, (m) => events(mine(m, id), 'Offline Purchase').length && mine(m, id).filter((x) => x.type == 'page').length == 2);
    await quiet(500);
    const mineNow = mine(await h.received(), id);
    expect(events(mineNow, 'Offline Purchase')).toHaveLength(1);
    expect(mineNow.filter((x) => x.type == 'page')).toHaveLength(2);
    // Sent again with the same messageId: retries are safe.
    expect(events(m, 'Offline Purchase')[0]!.properties).toEqual({ order_id: 'x1' });
    await context.close();
  });

  test('collector answering 503: the page retries with backoff until it is back', async () => {
    const context = await browser.newContext();
    h.setOffline(true, 'unavailable');
    const [page, id] = await open(context, h.page(trackerPage()));
    await page.evaluate(() => window.vista!('track', 'Retried'));
    await page.waitForTimeout(700);
    expect(events(mine(await h.received(), id), 'Retried')).toEqual([]);
    h.setOffline(false);
    await waitFor(h, (m) => events(mine(m, id), 'Retried').length, 10000);
    await context.close();
  });

  test('a backlog larger than 64 KB leaves in several requests on unload, the rest on the next load', async () => {
    const context = await browser.newContext();
    const url = h.page(trackerPage('', { 'flush-interval': '60000', 'flush-at': '1000' }));
    const [page, id] = await open(context, url);
    await page.evaluate(() => {
      for (let i = 0; i < 40; i++) window.vista!('track', 'Bulk', { i, pad: 'é'.repeat(2500) }); // ~5 KB each in UTF-8
    });
    await page.close({ runBeforeUnload: true });
    await open(context, url);
    const m = await waitFor(h, (m) => events(mine(m, id), 'Bulk').length == 40, 15000);
    expect(new Set(events(mine(m, id), 'Bulk').map((x) => x.properties!.i))).toHaveLength(40);
    await context.close();
  });

  test('the anonymous id survives clearing either the cookie or localStorage', async () => {
    const context = await browser.newContext();
    const url = h.page(trackerPage());
    const [page, id] = await open(context, url);
    await context.clearCookies();
    await page.reload();
    await page.waitForFunction(() => window.vista?.l);
    expect((await context.cookies()).find((c) => c.name == 'vista_i')?.value).toBe(id);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => window.vista?.l);
    expect(await page.evaluate(() => localStorage.getItem('vista_i'))).toBe(id);
    await page.evaluate(() => window.vista!('track', 'Still Me'));
    await waitFor(h, (m) => events(mine(m, id), 'Still Me').length);
    await context.close();
  });
});
