// Protects identity through the API: the worked examples E1-E5 of identity.md hold whatever the arrival order, absorbed ids resolve to survivors, and one workspace never sees another's profiles.
import { describe, expect, it } from 'vitest';
import { testDrivers } from '../../testing/databases.ts';
import { withHarness, type Harness, type TestWorkspace } from '../../testing/harness.ts';

const T = (n: number) => new Date(Date.UTC(2026, 2, 1, 9, n)).toISOString();
type Msg = Record<string, unknown>;

describe.each(testDrivers())('profiles on $name', (driver) => {
  let h: Harness;
  withHarness(driver, (harness) => (h = harness));

  const send = async (ws: TestWorkspace, batch: Msg[]) => {
    const res = await h.post('/v1/batch', { batch }, { key: ws.writeKey });
    expect(res.status).toBe(200);
    return (await res.json()) as { stored: number; warnings: Array<{ messageId: string; code: string }>; errors: unknown[] };
  };
  const get = async (ws: TestWorkspace, path: string) => {
    const res = await h.app.request(path, { headers: { authorization: `Bearer ${ws.secretKey}` } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const resolve = async (ws: TestWorkspace, query: string) => (await get(ws, `/v1/profiles/resolve?${query}`)).body;

  /** Sends the messages one per request in the given order. */
  const sendInOrder = async (ws: TestWorkspace, messages: Msg[], order: number[]) => {
    const warnings: string[] = [];
    for (const i of order) warnings.push(...(await send(ws, [messages[i]!])).warnings.map((w) => w.code));
    return warnings;
  };
  const orders = (n: number) => (n === 2 ? [[0, 1], [1, 0]] : n === 3 ? [[0, 1, 2], [2, 1, 0], [1, 2, 0]] : [[...Array(n).keys()]]);

  it('E1 browser to account, in every order', async () => {
    const msgs = [
      { type: 'page', messageId: 'e1', anonymousId: 'X', timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'X', userId: 'c7', traits: { name: 'Lia' }, timestamp: T(2) },
      { type: 'track', messageId: 'e3', userId: 'c7', event: 'Signed Up', timestamp: T(3) },
    ];
    for (const order of orders(3)) {
      const ws = await h.workspace();
      await sendInOrder(ws, msgs, order);
      const p = await resolve(ws, 'anonymousId=X');
      expect(p.identifiers).toEqual({ userIds: ['c7'], anonymousIds: ['X'], emails: [] });
      expect(p.traits).toEqual({ name: 'Lia' });
      expect(p.firstSeen).toBe(T(1));
      expect((await resolve(ws, 'userId=c7')).id).toBe(p.id);
      const events = (await get(ws, `/v1/profiles/${p.id}/events`)).body;
      expect(events.data.map((e: Msg) => e.messageId)).toEqual(['e1', 'e2', 'e3']);
    }
  });

  it('E2 a landing-page lead becomes a customer through the email', async () => {
    const ws = await h.workspace();
    await send(ws, [
      { type: 'identify', messageId: 'e2', anonymousId: 'Y', userId: 'c7', traits: { email: 'lia@mail.it' }, timestamp: T(5) },
      { type: 'identify', messageId: 'e1', anonymousId: 'X', traits: { email: 'Lia@Mail.it' }, timestamp: T(1) },
    ]);
    const p = await resolve(ws, 'email=LIA@mail.it');
    expect(p.identifiers).toEqual({ userIds: ['c7'], anonymousIds: ['X', 'Y'], emails: ['lia@mail.it'] });
    // Known, no order, but last seen in March: more than the 180-day lapse window ago.
    expect(p.lifecycle).toBe('lapsed');
  });

  it('E3 a shared browser without reset: the first link in time wins, in every order', async () => {
    const msgs = [
      { type: 'identify', messageId: 'e1', anonymousId: 'X', userId: 'c7', timestamp: T(1) },
      { type: 'identify', messageId: 'e2', anonymousId: 'X', userId: 'c9', timestamp: T(2) },
      { type: 'page', messageId: 'e3', anonymousId: 'X', timestamp: T(3) },
    ];
    for (const order of orders(3)) {
      const ws = await h.workspace();
      const warnings = await sendInOrder(ws, msgs, order);
      const c7 = await resolve(ws, 'userId=c7');
      const c9 = await resolve(ws, 'userId=c9');
      expect(c7.identifiers.anonymousIds).toEqual(['X']);
      expect(c9.identifiers).toEqual({ userIds: ['c9'], anonymousIds: [], emails: [] });
      expect((await get(ws, `/v1/profiles/${c7.id}/events`)).body.data.map((e: Msg) => e.messageId)).toEqual(['e1', 'e3']);
      expect((await get(ws, `/v1/profiles/${c9.id}/events`)).body.data.map((e: Msg) => e.messageId)).toEqual(['e2']);
      expect(c7.merges).toContainEqual(expect.objectContaining({ identifiers: ['X', 'c9'], outcome: 'merge_conflict' }));
      // e2 arriving after e1 is refused at once; arriving before, it is refused when e1 arrives.
      if (order.indexOf(1) > order.indexOf(0)) expect(warnings).toContain('merge_conflict');
    }
  });

  it('a link repeated by later messages is stored once and warns exactly when its first occurrence is refused', async () => {
    const ws = await h.workspace();
    await send(ws, [
      { type: 'identify', messageId: 'r1', anonymousId: 'X', userId: 'c7', timestamp: T(1) },
      { type: 'identify', messageId: 'r2', anonymousId: 'X', userId: 'c9', timestamp: T(2) },
    ]);
    // Every later message of the shared browser repeats both pairs: X-c7 merged, X-c9 refused.
    const later = await send(ws, [
      { type: 'page', messageId: 'r3', anonymousId: 'X', userId: 'c7', timestamp: T(3) },
      { type: 'page', messageId: 'r4', anonymousId: 'X', userId: 'c9', timestamp: T(4) },
      { type: 'page', messageId: 'r5', anonymousId: 'X', userId: 'c9', timestamp: T(5) },
    ]);
    expect(later.warnings).toEqual([{ index: 1, messageId: 'r4', code: 'merge_conflict' }, { index: 2, messageId: 'r5', code: 'merge_conflict' }].map((w) => expect.objectContaining(w)));
    const c7 = await resolve(ws, 'userId=c7');
    expect((await get(ws, `/v1/profiles/${c7.id}/events`)).body.data.map((e: Msg) => e.messageId)).toEqual(['r1', 'r3']);
    expect(c7.merges.filter((m: Msg) => m.outcome === 'merge_conflict')).toHaveLength(1);
    // An earlier repeat (a late message) becomes the pair's first link and turns the refusal around.
    await send(ws, [{ type: 'page', messageId: 'r0', anonymousId: 'X', userId: 'c9', timestamp: T(0) }]);
    const c9 = await resolve(ws, 'userId=c9');
    expect(c9.identifiers.anonymousIds).toEqual(['X']);
    expect((await get(ws, `/v1/profiles/${c9.id}/events`)).body.data.map((e: Msg) => e.messageId)).toEqual(['r0', 'r2', 'r4', 'r5']);
  });

  it('a profile becomes known when one of its stored identifiers is first used as a userId, with no merge', async () => {
    const ws = await h.workspace();
    const now = Date.now();
    const at = (s: number) => new Date(now - 60_000 + s * 1000).toISOString();
    // An alias names u1 without making it known (R9); the page belongs to the same person.
    await send(ws, [{ type: 'alias', messageId: 'k1', previousId: 'p1', userId: 'u1', timestamp: at(0) }]);
    await send(ws, [{ type: 'page', messageId: 'k2', anonymousId: 'p1', timestamp: at(1) }]);
    const before = await resolve(ws, 'userId=u1');
    expect(before.lifecycle).toBe('visitor');
    // Nothing regroups here: the profile's summary must be recounted on the append path.
    await send(ws, [{ type: 'track', messageId: 'k3', userId: 'u1', event: 'Signed In', timestamp: at(2) }]);
    const after = await resolve(ws, 'userId=u1');
    expect(after.id).toBe(before.id);
    expect(after.lifecycle).toBe('lead');
    expect(after.stats.events).toBe(2);
  });

  it('E4 traits by time, not arrival', async () => {
    const ws = await h.workspace();
    await send(ws, [{ type: 'identify', messageId: 'e2', userId: 'c7', traits: { tier: 'gold' }, timestamp: T(2) }]);
    await send(ws, [{ type: 'identify', messageId: 'e1', userId: 'c7', traits: { tier: 'silver' }, timestamp: T(1) }]);
    expect((await resolve(ws, 'userId=c7')).traits).toEqual({ tier: 'gold' });
  });

  it('E5 a blocked id joins nobody and is reported', async () => {
    const ws = await h.workspace();
    const first = await send(ws, [{ type: 'identify', messageId: 'e1', anonymousId: 'X', userId: 'undefined', timestamp: T(1) }]);
    expect(first.warnings).toEqual([expect.objectContaining({ messageId: 'e1', code: 'blocked_identifier' })]);
    await send(ws, [{ type: 'identify', messageId: 'e2', anonymousId: 'Z', userId: ' "undefined" ', timestamp: T(2) }]);
    const x = await resolve(ws, 'anonymousId=X');
    expect(x.identifiers).toEqual({ userIds: [], anonymousIds: ['X'], emails: [] });
    expect((await resolve(ws, 'anonymousId=Z')).id).not.toBe(x.id);
    expect((await get(ws, '/v1/profiles/resolve?userId=undefined')).status).toBe(404);
    const rejected = await send(ws, [{ type: 'track', messageId: 'e3', userId: 'null', event: 'E' }]);
    expect(rejected.errors).toEqual([expect.objectContaining({ code: 'no_valid_identifier', messageId: 'e3' })]);
  });

  it('resolves an absorbed profile id to its survivor and keeps the merge visible', async () => {
    const ws = await h.workspace();
    await send(ws, [{ type: 'page', messageId: 'm2', anonymousId: 'B', timestamp: T(2) }]);
    const before = await resolve(ws, 'anonymousId=B');
    await send(ws, [
      { type: 'page', messageId: 'm1', anonymousId: 'A', timestamp: T(1) },
      { type: 'identify', messageId: 'm3', anonymousId: 'A', userId: 'u1', timestamp: T(3) },
      { type: 'identify', messageId: 'm4', anonymousId: 'B', userId: 'u1', timestamp: T(4) },
    ]);
    const survivor = await resolve(ws, 'userId=u1');
    expect(survivor.id).not.toBe(before.id);
    const absorbed = await get(ws, `/v1/profiles/${before.id}`);
    expect(absorbed.status).toBe(200);
    expect(absorbed.body).toMatchObject({ id: survivor.id, absorbed: true, resolvedFrom: before.id });
    expect(survivor.merges.filter((m: Msg) => m.outcome === 'merged')).toHaveLength(2);
    expect(survivor.history).toContainEqual(expect.objectContaining({ kind: 'merge', profileId: survivor.id, otherProfileId: before.id }));
    expect(survivor.stats.events).toBe(4);
  });

  it('builds purchases, lifecycle and RFM from Order Completed', async () => {
    const ws = await h.workspace();
    const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    await send(ws, [
      { type: 'identify', messageId: 'o0', userId: 'buyer', traits: { email: 'b@x.it' }, timestamp: day(30) },
      { type: 'track', messageId: 'o1', userId: 'buyer', event: 'Order Completed', properties: { order_id: 'A', revenue: 40 }, timestamp: day(20) },
      { type: 'track', messageId: 'o2', userId: 'buyer', event: 'Order Completed', properties: { order_id: 'B', revenue: 60 }, timestamp: day(10) },
      { type: 'track', messageId: 'o3', userId: 'once', event: 'Order Completed', properties: { order_id: 'C', revenue: 5 }, timestamp: day(1) },
    ]);
    const buyer = await resolve(ws, 'userId=buyer');
    expect(buyer.purchases).toMatchObject({ orders: 2, revenue: 100, averageOrderValue: 50 });
    expect(buyer.lifecycle).toBe('repeat_customer');
    expect(buyer.rfm).toMatchObject({ frequency: 5, monetary: 5 });
    expect((await resolve(ws, 'userId=once')).lifecycle).toBe('new_customer');
  });

  it('answers 404 for unknown ids and needs this workspace’s secret key', async () => {
    const ws = await h.workspace();
    const other = await h.workspace();
    await send(ws, [{ type: 'page', messageId: 'p1', anonymousId: 'only-here', timestamp: T(1) }]);
    const p = await resolve(ws, 'anonymousId=only-here');
    expect((await get(other, `/v1/profiles/${p.id}`)).status).toBe(404);
    expect((await get(other, '/v1/profiles/resolve?anonymousId=only-here')).status).toBe(404);
    expect((await get(ws, '/v1/profiles/prof_nope')).status).toBe(404);
    expect((await get(ws, '/v1/profiles/resolve')).status).toBe(400);
    expect((await h.app.request(`/v1/profiles/${p.id}`, { headers: { authorization: `Bearer ${ws.writeKey}` } })).status).toBe(401);
  });
});
