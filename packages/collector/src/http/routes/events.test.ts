// Protects GET /v1/events: only the workspace's secret key reads it, filters and cursor pages return each stored event exactly once, newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers, type TestDatabase } from '../../testing/databases.ts';
import { createHarness, type Harness, type TestWorkspace } from '../../testing/harness.ts';

describe.each(testDrivers())('GET /v1/events on $name', (driver) => {
  let database: TestDatabase;
  let h: Harness;
  let ws: TestWorkspace;
  const ids: string[] = [];
  beforeAll(async () => {
    database = await driver.open();
    h = createHarness(database);
    ws = await h.workspace();
    // 25 events over three requests: pages by a1, tracks by u1 and a2.
    for (let r = 0; r < 3; r++) {
      const batch = Array.from({ length: r === 2 ? 5 : 10 }, (_, i) => {
        const n = r * 10 + i;
        const messageId = `ev-${String(n).padStart(2, '0')}`;
        ids.push(messageId);
        return n % 2 === 0
          ? { type: 'page', anonymousId: 'a1', messageId }
          : { type: 'track', event: n % 3 === 0 ? 'Order Completed' : 'Clicked', userId: 'u1', anonymousId: 'a2', messageId };
      });
      await h.post('/v1/batch', { batch }, { key: ws.writeKey });
    }
  });
  afterAll(() => database.dispose());

  const get = (query: string, key = ws.secretKey) =>
    h.app.request(`/v1/events?${query}`, { headers: { authorization: `Bearer ${key}` } });

  it('pages through every event once, newest stored first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await h.events(ws, `limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((e) => e.messageId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(ids));
    // The last request's events come first.
    expect(seen.slice(0, 5).sort()).toEqual(ids.slice(20).sort());
  });

  it('filters by type, event, anonymousId, userId and since', async () => {
    const pages = (await h.events(ws, 'type=page&limit=100')).data;
    expect(pages.length).toBe(13);
    expect(pages.every((e) => e.type === 'page')).toBe(true);
    const orders = (await h.events(ws, 'event=Order%20Completed&limit=100')).data;
    expect(orders.map((e) => e.messageId).sort()).toEqual(['ev-03', 'ev-09', 'ev-15', 'ev-21']);
    expect((await h.events(ws, 'anonymousId=a2&limit=100')).data).toHaveLength(12);
    expect((await h.events(ws, 'userId=u1&type=track&limit=100')).data).toHaveLength(12);
    expect((await h.events(ws, 'userId=nobody')).data).toHaveLength(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await h.events(ws, `since=${encodeURIComponent(future)}`)).data).toHaveLength(0);
    const past = new Date(Date.now() - 600_000).toISOString();
    expect((await h.events(ws, `since=${encodeURIComponent(past)}&limit=100`)).data).toHaveLength(25);
  });

  it('needs the secret key of this workspace', async () => {
    const missing = await h.app.request('/v1/events');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_key' } });
    const write = await get('', ws.writeKey);
    expect(write.status).toBe(401);
    expect(await write.json()).toMatchObject({ error: { code: 'wrong_key_kind' } });
    expect((await get('', 'vs_unknown')).status).toBe(401);
    const other = await h.workspace();
    expect((await h.events(other)).data).toHaveLength(0);
  });

  it('answers 400 naming the bad parameter', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['type=click', 'type'],
      ['since=yesterday', 'since'],
      ['cursor=abc', 'cursor'],
    ]) {
      const res = await get(query!);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_query', field } });
    }
  });
});
