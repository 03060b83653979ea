// Protects the newcomer's first minutes: `npm start`'s demo page, clicked in a real browser, lands its page views, contest sign-up, identify and purchase in GET /v1/events and in one profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTs, waitForOutput } from '../../packages/collector/src/testing/spawn.ts';
import { ensureBuilt } from '../../packages/tracker/src/ensure-built';
import { launch } from './support/browser';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vista-demo-'));
let child: ChildProcess;
let browser: Browser;
let base = '';
let secretKey = '';

beforeAll(async () => {
  ensureBuilt();
  child = spawnTs('packages/collector/src/runtime/node.ts', [], { VISTA_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  const [out, b] = await Promise.all([waitForOutput(child, /watch:.*\n/), launch()]);
  browser = b;
  base = `http://127.0.0.1:${/\(port (\d+)\)/.exec(out)![1]}`;
  secretKey = /secret key: (vs_\w+)/.exec(out)![1]!;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = async <T>(p: string): Promise<T> => (await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${secretKey}` } })).json() as Promise<T>;

describe('the demo page of npm start', () => {
  it('records a visit, a contest entry and a purchase as one person', async () => {
    // Headless Chromium says "HeadlessChrome", which isbot rightly flags and profiles leave out.
    const userAgent = (await browser.newPage().then((p) => p.evaluate(() => navigator.userAgent))).replace('HeadlessChrome', 'Chrome');
    const page = await browser.newPage({ userAgent });
    await page.goto(`${base}/demo/`);
    await page.fill('input[type=email]', 'Newcomer@Example.com');
    await page.click('form button');
    await page.click('a[href="/demo/shop"]');
    await page.click('#buy');
    await page.click('#refresh');
    await page.waitForFunction(() => document.getElementById('log')!.textContent!.includes('Order Completed'), null, { timeout: 10_000 });

    type Event = { type: string; event?: string; name?: string; traits?: { email?: string }; properties?: { form?: string; revenue?: number } };
    let events: Event[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.event === 'Order Completed'); i++) {
      events = (await api<{ data: Event[] }>('/v1/events?limit=100')).data;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.filter((e) => e.type === 'page').length).toBeGreaterThanOrEqual(2);
    expect(events.find((e) => e.type === 'identify')?.traits?.email).toBe('Newcomer@Example.com');
    expect(events.find((e) => e.event === 'Form Submitted')?.properties?.form).toBe('Contest Entry');
    expect(events.find((e) => e.event === 'Order Completed')?.properties?.revenue).toBe(24.9);

    const profile = await api<{ identifiers: { emails: string[] }; purchases: { orders: number; revenue: number }; stats: { pageViews: number } }>(
      '/v1/profiles/resolve?email=newcomer@example.com',
    );
    expect(profile.identifiers.emails).toEqual(['newcomer@example.com']);
    expect(profile.purchases).toMatchObject({ orders: 1, revenue: 24.9 });
    expect(profile.stats.pageViews).toBeGreaterThanOrEqual(2);
  });
});
