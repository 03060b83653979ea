// Protects GET /v1/profiles: each filter (lifecycle, trait, last seen, purchases, channel, source, free text) keeps exactly the matching profiles, both sorts page through every profile once, and CSV/NDJSON export them all.
import { describe, expect, it } from 'vitest';
import { testDrivers } from '../../testing/databases.ts';
import { withHarness, type Harness, type TestWorkspace } from '../../testing/harness.ts';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
type Row = { id: string; lifecycle: string; revenue: number; traits: Record<string, unknown>; lastSeen: string | null };

describe.each(testDrivers())('profile list on $name', (driver) => {
  let h: Harness;
  withHarness(driver, (harness) => (h = harness));

  /** Six people: a visitor, a lead, a new customer, a repeat customer, one at risk, a lapsed lead. */
  async function world(): Promise<TestWorkspace> {
    const ws = await h.workspace();
    const page = (id: string, anon: string, days: number, url: string) => ({ type: 'page', messageId: id, anonymousId: anon, timestamp: daysAgo(days), properties: { url } });
    const order = (id: string, user: string, days: number, revenue: number) => ({ type: 'track', messageId: id, userId: user, event: 'Order Completed', timestamp: daysAgo(days), properties: { order_id: id, revenue } });
    const batch = [
      page('v1', 'visitor-anon', 1, 'https://shop.example/?utm_source=google&utm_medium=cpc'),
      { type: 'identify', messageId: 'l1', anonymousId: 'lead-anon', userId: 'lead', timestamp: daysAgo(2), traits: { email: 'lead@mail.it', plan: 'pro' } },
      page('l2', 'lead-anon', 2, 'https://shop.example/?utm_source=newsletter&utm_medium=email'),
      order('n1', 'newbie', 3, 20),
      order('r1', 'repeat', 12, 50),
      order('r2', 'repeat', 2, 70),
      // Ten days between orders, fifty since the last: more than twice the usual gap.
      order('k1', 'risky', 60, 30),
      order('k2', 'risky', 50, 30),
      { type: 'identify', messageId: 'r3', userId: 'repeat', timestamp: daysAgo(20), traits: { plan: 'basic' } },
      { type: 'identify', messageId: 'x1', userId: 'gone', timestamp: daysAgo(400), traits: { plan: 'pro' } },
    ];
    expect((await h.post('/v1/batch', { batch }, { key: ws.writeKey })).status).toBe(200);
    return ws;
  }

  const list = async (ws: TestWorkspace, query: string, accept = 'application/json') => {
    const res = await h.app.request(`/v1/profiles?${query}`, { headers: { authorization: `Bearer ${ws.secretKey}`, accept } });
    return res;
  };
  const ids = async (ws: TestWorkspace, query: string) => {
    const body = (await (await list(ws, query)).json()) as { data: Row[] };
    return body.data;
  };
  const userOf = async (ws: TestWorkspace, id: string) =>
    ((await (await h.app.request(`/v1/profiles/${id}`, { headers: { authorization: `Bearer ${ws.secretKey}` } })).json()) as { identifiers: { userIds: string[]; anonymousIds: string[] } }).identifiers;
  const people = async (ws: TestWorkspace, query: string) => {
    const rows = await ids(ws, query);
    const names = await Promise.all(rows.map(async (r) => {
      const i = await userOf(ws, r.id);
      return i.userIds[0] ?? i.anonymousIds[0]!;
    }));
    return names.sort();
  };

  it('filters by lifecycle, trait, purchases, last seen, channel, source and free text', async () => {
    const ws = await world();
    expect(await people(ws, '')).toEqual(['gone', 'lead', 'newbie', 'repeat', 'risky', 'visitor-anon']);
    expect(await people(ws, 'lifecycle=visitor')).toEqual(['visitor-anon']);
    expect(await people(ws, 'lifecycle=lead')).toEqual(['lead']);
    expect(await people(ws, 'lifecycle=new_customer')).toEqual(['newbie']);
    expect(await people(ws, 'lifecycle=repeat_customer')).toEqual(['repeat']);
    expect(await people(ws, 'lifecycle=at_risk')).toEqual(['risky']);
    expect(await people(ws, 'lifecycle=lapsed')).toEqual(['gone']);
    expect(await people(ws, 'trait.plan=pro')).toEqual(['gone', 'lead']);
    expect(await people(ws, 'hasPurchased=true')).toEqual(['newbie', 'repeat', 'risky']);
    expect(await people(ws, 'hasPurchased=false')).toEqual(['gone', 'lead', 'visitor-anon']);
    expect(await people(ws, `lastSeenFrom=${encodeURIComponent(daysAgo(10))}`)).toEqual(['lead', 'newbie', 'repeat', 'visitor-anon']);
    expect(await people(ws, `lastSeenTo=${encodeURIComponent(daysAgo(100))}`)).toEqual(['gone']);
    expect(await people(ws, 'channel=email')).toEqual(['lead']);
    expect(await people(ws, 'channel=paid_search')).toEqual(['visitor-anon']);
    expect(await people(ws, `source=${ws.sourceId}`)).toEqual(['gone', 'lead', 'newbie', 'repeat', 'risky', 'visitor-anon']);
    expect(await people(ws, 'source=src_other')).toEqual([]);
    expect(await people(ws, 'q=lead%40mail')).toEqual(['lead']);
    expect(await people(ws, 'q=%25')).toEqual([]);
  });

  it('sorts by value or last seen and pages through each profile once', async () => {
    const ws = await world();
    const byValue = await ids(ws, 'sort=value&limit=2');
    expect(byValue.map((r) => r.revenue)).toEqual([120, 60]);
    for (const sort of ['value', 'lastSeen']) {
      const seen: Row[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(ws, `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        const body = (await res.json()) as { data: Row[]; nextCursor: string | null };
        seen.push(...body.data);
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(6);
      expect(new Set(seen.map((r) => r.id)).size).toBe(6);
      if (sort === 'lastSeen') {
        const times = seen.map((r) => Date.parse(r.lastSeen!));
        expect(times).toEqual([...times].sort((a, b) => b - a));
      }
    }
    expect((await list(ws, 'lifecycle=sleeping')).status).toBe(400);
    expect((await list(ws, 'cursor=nonsense')).status).toBe(400);
  });

  it('exports every matching profile as CSV and as NDJSON', async () => {
    const ws = await world();
    const csv = await list(ws, 'hasPurchased=true&limit=1', 'text/csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('id,lifecycle,first_seen,last_seen,events,orders,revenue,email,name');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(['at_risk', 'new_customer', 'repeat_customer']);
    const ndjson = await list(ws, '', 'application/x-ndjson');
    const rows = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.lifecycle === 'lead')!.traits).toEqual({ email: 'lead@mail.it', plan: 'pro' });
  });
});
