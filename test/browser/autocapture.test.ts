// Invariant: the tracker captures page views (load, SPA navigation, back/forward cache) without
// double counting, clicks and marked forms without delaying navigation or reading typed values,
// engagement when a page is left, and custom events such as a purchase, all intact.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { events, pages, quiet, trackerPage, waitFor } from './support/browser';
import { withBrowserAndCollector } from './support/setup';
import { type Harness, type Message } from './support/harness';

let browser: Browser;
let h: Harness;
withBrowserAndCollector((b, harness) => ([browser, h] = [b, harness]), { bfcache: true });

/** Messages of one browser context: the tests share the harness. */
const mine = (m: Message[], anonymousId: string): Message[] => m.filter((x) => x.anonymousId == anonymousId);
const anonId = (page: Page): Promise<string> => page.evaluate(() => localStorage.getItem('vista_i')!);

/** Opens `html` in a fresh context once the tracker runs; returns the page and the anonymous id. */
async function open(html: string, attrs: Record<string, string | boolean> = {}): Promise<[Page, string]> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(h.page(trackerPage(html, attrs)));
  await page.waitForFunction(() => window.vista?.l);
  return [page, await anonId(page)];
}

describe('page views', () => {
  test('SPA navigation: pushState, replaceState, popstate, no double counting', async () => {
    const [page, id] = await open('<p>spa</p>');
    await page.evaluate(() => {
      history.pushState({}, '', '/app/one?tab=2&utm_source=ads');
      history.pushState({}, '', '/app/one'); // same path: not a new view
      history.replaceState({}, '', '/app/one?filter=x'); // same path: not a new view
      history.pushState({}, '', '/app/two');
      history.replaceState({}, '', '/app/three'); // another path: a view
    });
    await page.goBack(); // popstate: back to /app/one
    const m = await waitFor(h, (m) => pages(mine(m, id)).length >= 5);
    await quiet(300);
    const paths = pages(mine(await h.received(), id)).map((p) => p.context.page!.path);
    expect(paths.slice(1)).toEqual(['/app/one', '/app/two', '/app/three', '/app/one']);
    const one = pages(mine(m, id))[1]!;
    // Non-campaign query parameters never leave the page; the referrer is the previous page.
    expect(one.context.page!.url).toBe(h.origin + '/app/one?utm_source=ads');
    expect(one.context.page!.referrer).toBe(pages(mine(m, id))[0]!.context.page!.url);
    await page.context().close();
  });

  test('hash changes are page views only when enabled', async () => {
    const [page, id] = await open('<a id=h href="#/cart">cart</a>', { hash: true });
    await page.click('#h');
    await page.evaluate(() => (location.hash = '#/checkout'));
    const m = await waitFor(h, (m) => pages(mine(m, id)).length >= 3);
    expect(pages(mine(m, id)).map((p) => new URL(p.context.page!.url as string).hash)).toEqual(['', '#/cart', '#/checkout']);
    const [page2, id2] = await open('<p>no hash</p>');
    await page2.evaluate(() => (location.hash = '#/x'));
    await quiet(400);
    expect(pages(mine(await h.received(), id2))).toHaveLength(1);
    await page.context().close();
    await page2.context().close();
  });

  test('a page restored from the back/forward cache is viewed again', async () => {
    const [page, id] = await open('<a id=away href="/elsewhere">away</a>');
    await waitFor(h, (m) => pages(mine(m, id)).length == 1);
    await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
    await page.click('#away');
    await page.waitForURL(/elsewhere/);
    await page.goBack({ waitUntil: 'commit' }); // a restore fires no load event
    await page.waitForFunction(() => location.pathname.startsWith('/p/'));
    // The page's state survived: it came back from the back/forward cache, not by a new load.
    expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
    const m = await waitFor(h, (m) => pages(mine(m, id)).length >= 2);
    await quiet(300);
    expect(pages(mine(await h.received(), id))).toHaveLength(2);
    await page.context().close();
  });
});

describe('clicks', () => {
  test('links, outbound and downloads, buttons, data-vista-event with props; navigation untouched', async () => {
    const [page, id] = await open(
      `<a id=out href="https://shop.example/x?secret=1&utm_campaign=c">Visit  the shop</a>
       <a id=pdf href="/files/report.pdf">Report</a>
       <a id=dl href="/get?id=3" download>Get</a>
       <button id=buy>  Buy now  </button>
       <div id=promo data-vista-event="Promotion Clicked" data-vista-prop-promotion_id="spring" data-vista-prop-position="top"><span id=inner>${'x'.repeat(150)}</span></div>
       <script>
         window.prevented = [];
         document.addEventListener('click', (e) => { prevented.push(e.defaultPrevented); e.preventDefault(); });
       </script>`,
    );
    for (const s of ['#out', '#pdf', '#dl', '#buy', '#inner']) await page.click(s);
    const m = mine(await waitFor(h, (m) => events(mine(m, id), 'Promotion Clicked').length), id);
    const links = events(m, 'Link Clicked');
    expect(links.map((l) => l.properties)).toEqual([
      { tag: 'a', text: 'Visit  the shop', id: 'out', href: 'https://shop.example/x?utm_campaign=c', outbound: true, download: false },
      { tag: 'a', text: 'Report', id: 'pdf', href: h.origin + '/files/report.pdf', outbound: false, download: true },
      { tag: 'a', text: 'Get', id: 'dl', href: h.origin + '/get', outbound: false, download: true },
    ]);
    expect(events(m, 'Button Clicked')[0]!.properties).toEqual({ tag: 'button', text: 'Buy now', id: 'buy' });
    const promo = events(m, 'Promotion Clicked')[0]!.properties!;
    expect(promo).toMatchObject({ tag: 'div', id: 'promo', promotion_id: 'spring', position: 'top' });
    expect((promo.text as string).length).toBe(100);
    // The tracker never prevented a default action (the page's own listener did, afterwards).
    expect(await page.evaluate(() => (window as unknown as { prevented: boolean[] }).prevented)).toEqual([false, false, false, false, false]);
    await page.context().close();
  });

  test('a click on a link navigates, and its event still arrives', async () => {
    const [page, id] = await open('<a id=next href="/next-page">Next</a>', { 'flush-interval': '60000' });
    await page.click('#next');
    await page.waitForURL(/next-page/);
    // Sent on leaving the page (flushInterval is a minute): the page view and the click.
    const m = await waitFor(h, (m) => events(mine(m, id), 'Link Clicked').length);
    expect(events(mine(m, id), 'Link Clicked')[0]!.properties!.href).toBe(h.origin + '/next-page');
    expect(pages(mine(m, id))).toHaveLength(1);
    await page.context().close();
  });
});

describe('forms and custom events', () => {
  test('a marked form sends its name and field names, never values; data-vista-identify identifies by email', async () => {
    const [page, id] = await open(
      `<form data-vista-form="Spring contest" action="/thanks">
         <input name=email type=email data-vista-identify>
         <input name=first_name>
         <input name=password type=password>
         <input type=checkbox name=newsletter value=yes checked>
         <button>Enter</button>
       </form>
       <form id=plain action="/thanks2"><input name=q><button id=plainbtn>Go</button></form>`,
    );
    await page.fill('[name=email]', '  Ana@Example.com ');
    await page.fill('[name=first_name]', 'Ana Secret');
    await page.fill('[name=password]', 'hunter2');
    await page.click('button');
    await page.waitForURL(/thanks/);
    const m = mine(await waitFor(h, (m) => events(mine(m, id), 'Form Submitted').length), id);
    const form = events(m, 'Form Submitted')[0]!;
    expect(form.properties).toEqual({ form: 'Spring contest', fields: ['email', 'first_name', 'password', 'newsletter'] });
    const identify = m.find((x) => x.type == 'identify')!;
    expect(identify.traits).toEqual({ email: 'Ana@Example.com' });
    // No typed value other than the identifying email left the page.
    const all = JSON.stringify(await h.received());
    expect(all).not.toContain('Ana Secret');
    expect(all).not.toContain('hunter2');
    await page.context().close();
  });

  test('a purchase: Order Completed arrives with its properties intact', async () => {
    const [page, id] = await open('<p>checkout</p>');
    const order = {
      order_id: 'o-1001',
      revenue: 59.9,
      currency: 'EUR',
      coupon: 'SPRING10',
      products: [
        { product_id: 'p1', sku: 'TS-1', name: 'T-shirt', price: 19.95, quantity: 2, category: 'apparel' },
        { product_id: 'p2', name: 'Mug “Vista”', price: 20, quantity: 1 },
      ],
    };
    await page.evaluate((o) => {
      window.vista!('identify', 'customer-7', { email: 'c7@example.com' });
      window.vista!('track', 'Order Completed', o);
    }, order);
    const m = mine(await waitFor(h, (m) => events(mine(m, id), 'Order Completed').length), id);
    const done = events(m, 'Order Completed')[0]!;
    expect(done.properties).toEqual(order);
    expect(done.userId).toBe('customer-7');
    await page.context().close();
  });

  test('identify, alias, group and reset', async () => {
    const [page, id] = await open('<p>account</p>');
    await page.evaluate(() => {
      window.vista!('identify', 'u-1', { plan: 'pro' });
      window.vista!('group', 'acme', { employees: 40 });
      window.vista!('alias', 'u-1-new');
      window.vista!('reset');
      window.vista!('track', 'After Reset');
    });
    const m = await waitFor(h, (m) => events(m, 'After Reset').some((x) => x.anonymousId != id) && mine(m, id).some((x) => x.type == 'alias'));
    const group = mine(m, id).find((x) => x.type == 'group')!;
    expect(group).toMatchObject({ groupId: 'acme', traits: { employees: 40 }, userId: 'u-1' });
    expect(mine(m, id).find((x) => x.type == 'alias')).toMatchObject({ userId: 'u-1-new', previousId: 'u-1' });
    const after = events(m, 'After Reset').find((x) => x.anonymousId != id)!;
    expect(after.anonymousId).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.userId ?? null).toBeNull();
    expect(await anonId(page)).toBe(after.anonymousId);
    await page.context().close();
  });

  test('engagement: time and scroll depth are sent when the page is left', async () => {
    const [page, id] = await open('<div style="height:3000px">long</div>');
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(10 + i, 10);
      await page.waitForTimeout(700);
    }
    await page.mouse.wheel(0, 1200);
    await page.waitForTimeout(300);
    await page.evaluate(() => history.pushState({}, '', '/next'));
    const m = mine(await waitFor(h, (m) => events(mine(m, id), 'Page Engagement').length), id);
    const e = events(m, 'Page Engagement')[0]!;
    expect(e.properties!.engaged_ms).toBeGreaterThanOrEqual(1000);
    expect(e.properties!.scroll_depth).toBeGreaterThan(30);
    // It belongs to the page that was left, and comes before the next page view.
    expect(e.context.page!.path).toMatch(/^\/p\//);
    expect(m.indexOf(e)).toBeLessThan(m.findIndex((x) => x.type == 'page' && x.context.page!.path == '/next'));
    await page.context().close();
  });
});

describe('campaign of the session', () => {
  test('a purchase pages after a newsletter click carries its campaign, landing page and referrer', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${h.page(trackerPage('<p>promo</p>'))}?utm_source=newsletter&utm_medium=email&utm_campaign=spring&email=lia@mail.it`, { referer: 'https://mail.example.com/inbox' });
    await page.waitForFunction(() => window.vista?.l);
    const id = await anonId(page);
    await page.evaluate(() => {
      history.pushState({}, '', '/checkout');
      window.vista!('track', 'Order Completed', { order_id: 'o-landing', revenue: 12 });
    });
    const m = await waitFor(h, (m) => events(mine(m, id), 'Order Completed').length == 1);
    const order = events(mine(m, id), 'Order Completed')[0]!;
    expect(order.context.campaign).toMatchObject({ source: 'newsletter', medium: 'email', name: 'spring' });
    const session = order.context.session as { landingPage: string; referrer: string };
    expect(session.landingPage).toContain('utm_source=newsletter');
    expect(session.landingPage).not.toContain('lia@mail.it');
    expect(session.referrer).toBe('https://mail.example.com/inbox');
    // The collector classified the purchase by that campaign.
    const stored = await (await fetch(`${h.origin}/v1/events?event=Order%20Completed`, { headers: { authorization: `Bearer ${h.secretKey}` } })).json() as { data: Array<{ messageId: string; enrichment: { channel: string } }> };
    expect(stored.data.find((e) => e.messageId == order.messageId)?.enrichment.channel).toBe('email');
  });
});
