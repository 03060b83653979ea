// Invariant: the snippet's stub keeps calls made before the script loads and replays them in order,
// a page load sends one page view with the full Segment context, and no call can throw.
import type { Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { events, pages, STUB, trackerPage, waitFor } from './support/browser';
import { withBrowserAndCollector } from './support/setup';
import { startHarness, type Harness } from './support/harness';

let browser: Browser;
let h: Harness;
withBrowserAndCollector((b, harness) => ([browser, h] = [b, harness]));

describe('loading', () => {
  test('a page load sends one page view with the Segment context', async () => {
    const page = await browser.newPage();
    const url = h.page(trackerPage('<p>hello</p>'));
    await page.goto(url + '?utm_source=news&utm_medium=email&utm_campaign=spring&email=a@b.c&gclid=G1#top', {
      referer: 'https://search.example/?q=secret',
    });
    const m = await waitFor(h, (m) => pages(m).some((p) => (p.context.page?.url as string)?.startsWith(url)));
    const views = pages(m).filter((p) => (p.context.page?.url as string).startsWith(url));
    expect(views).toHaveLength(1);
    const v = views[0]!;
    expect(v.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.anonymousId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(v.timestamp)).toBeGreaterThan(0);
    expect(Date.parse(v.sentAt)).toBeGreaterThanOrEqual(Date.parse(v.timestamp));
    // Only campaign parameters survive; the fragment is dropped.
    const clean = url + '?utm_source=news&utm_medium=email&utm_campaign=spring&gclid=G1';
    expect(v.context.page).toEqual({ path: new URL(url).pathname, referrer: 'https://search.example/', search: new URL(clean).search, title: 'Test page', url: clean });
    expect(v.properties).toMatchObject({ url: clean, title: 'Test page' });
    expect(v.context.campaign).toEqual({ source: 'news', medium: 'email', name: 'spring', gclid: 'G1' });
    expect(v.context).toMatchObject({ locale: expect.any(String), timezone: expect.any(String), userAgent: expect.stringContaining('Chrome'), sessionId: expect.any(Number) });
    expect(v.context.screen).toMatchObject({ width: expect.any(Number), height: expect.any(Number), density: expect.any(Number), innerWidth: expect.any(Number) });
    expect(v.context.userAgentData).toMatchObject({ brands: expect.any(Array), platform: expect.any(String) });
    expect(h.keys()).toContain('test-key');
    await page.close();
  });

  test('calls made before the script loads are replayed in order, and none throws', async () => {
    const page = await browser.newPage();
    // No data-key: the key comes from a queued init call, after other calls.
    const html =
      '<!doctype html><title>stub</title>' +
      STUB +
      `<script>
        vista('track', 'First');
        vista('identify', 'user-1', { plan: 'pro' });
        vista('track', 'Second', { n: 2 });
        vista('nonsense', 1, 2);
        vista();
        vista('init', { writeKey: 'init-key', allowAutomation: true, flushInterval: 100 });
        document.write('<script async src="/v.js"><\\/script>');
      </script>`;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(h.page(html));
    const m = await waitFor(h, (m) => events(m, 'Second').length);
    const first = events(m, 'First')[0]!;
    const second = events(m, 'Second')[0]!;
    const identify = m.find((x) => x.type == 'identify' && x.userId == 'user-1')!;
    expect(identify.traits).toEqual({ plan: 'pro' });
    expect(first.userId ?? null).toBeNull();
    expect(second.userId).toBe('user-1');
    expect(first.anonymousId).toBe(second.anonymousId);
    const order = m.map((x) => x.messageId);
    expect(order.indexOf(first.messageId)).toBeLessThan(order.indexOf(identify.messageId));
    expect(order.indexOf(identify.messageId)).toBeLessThan(order.indexOf(second.messageId));
    expect(h.keys()).toContain('init-key');
    // After load too, nonsense is ignored.
    await page.evaluate(() => {
      const v = window.vista as unknown as (...a: unknown[]) => void;
      v('track');
      v({} as unknown);
      v('page', 5, 'x');
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('without crypto.randomUUID (pages not served over https), ids are still random UUIDs', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => delete (Crypto.prototype as { randomUUID?: unknown }).randomUUID);
    const page = await context.newPage();
    await page.goto(h.page(trackerPage()) + '?utm_content=nouuid');
    await page.evaluate(() => window.vista!('track', 'No UUID API', { marker: 'nouuid' }));
    const m = await waitFor(h, (m) => events(m, 'No UUID API').length);
    const e = events(m, 'No UUID API')[0]!;
    expect(e.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e.anonymousId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e.messageId).not.toBe(e.anonymousId);
    await context.close();
  });

  test('events go to the origin that served the script, at a configurable ingest path', async () => {
    const collector = await startHarness({ ingestPath: '/c/e' });
    try {
      // The page is on one site (localhost), the script and the collector on another (127.0.0.1).
      const html = `<!doctype html><title>t</title>${STUB}<script async src="${collector.origin}/v.js" data-key="k2" data-ingest-path="/c/e" data-allow-automation data-flush-interval="100"></script>`;
      const page = await browser.newPage();
      await page.goto(collector.altOrigin + new URL(collector.page(html)).pathname);
      const m = await waitFor(collector, (m) => pages(m).length);
      expect(pages(m)[0]!.context.page!.url).toMatch(/^http:\/\/localhost:/);
      expect(collector.keys()).toEqual(['k2']);
      await page.close();
    } finally {
      await collector.close();
    }
  });

  test('an automated browser is not tracked unless allowed', async () => {
    const page = await browser.newPage();
    await page.goto(h.page(trackerPage('', { 'allow-automation': false, key: 'robot-key' })));
    await page.evaluate(() => window.vista!('track', 'Robot'));
    await new Promise((r) => setTimeout(r, 500));
    expect(events(await h.received(), 'Robot')).toEqual([]);
    expect(h.keys()).not.toContain('robot-key');
    await page.close();
  });
});
