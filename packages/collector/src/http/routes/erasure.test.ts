// Protects erasure and unlink (R13, R19, R20): a dry run changes nothing, erasure removes every identifier, message and trait over all merges, suppressed ids cannot re-create the person, and unlink detaches an identifier with its events.
import { describe, expect, it } from 'vitest';
import { testDrivers } from '../../testing/databases.ts';
import { withHarness, type Harness, type TestWorkspace } from '../../testing/harness.ts';

const T = (n: number) => new Date(Date.UTC(2026, 10, 1, 9, n)).toISOString();

describe.each(testDrivers())('erasure and unlink on $name', (driver) => {
  let h: Harness;
  withHarness(driver, (harness) => (h = harness));

  const call = async (ws: TestWorkspace, method: string, path: string, body?: unknown) => {
    const res = await h.app.request(path, {
      method,
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const send = async (ws: TestWorkspace, batch: unknown[]) =>
    (await (await h.post('/v1/batch', { batch }, { key: ws.writeKey })).json()) as { stored: number; warnings: Array<{ code: string; messageId: string }>; errors: Array<{ code: string }> };

  async function person(ws: TestWorkspace) {
    await send(ws, [
      { type: 'page', messageId: 'p1', anonymousId: 'A', timestamp: T(1) },
      { type: 'identify', messageId: 'p2', anonymousId: 'B', userId: 'lia', traits: { email: 'lia@mail.it', name: 'Lia' }, timestamp: T(2) },
      { type: 'identify', messageId: 'p3', anonymousId: 'A', userId: 'lia', timestamp: T(3) },
      { type: 'track', messageId: 'p4', userId: 'lia', event: 'Order Completed', properties: { order_id: 'o1', revenue: 10 }, timestamp: T(4) },
      { type: 'alias', messageId: 'p5', userId: 'lia', previousId: 'old-lia', timestamp: T(5) },
      { type: 'page', messageId: 'q1', anonymousId: 'other', timestamp: T(6) },
    ]);
    return (await call(ws, 'GET', '/v1/profiles/resolve?userId=lia')).body;
  }

  it('a dry run lists what would go and changes nothing', async () => {
    const ws = await h.workspace();
    const p = await person(ws);
    const dry = await call(ws, 'DELETE', `/v1/profiles/${p.id}?dryRun=true`);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, erased: false, profileId: p.id, identifiers: ['A', 'B', 'lia', 'lia@mail.it', 'old-lia'], messages: 5, messageIds: ['p1', 'p2', 'p3', 'p4', 'p5'] });
    expect(dry.body.absorbedProfileIds.length).toBe(4);
    expect((await call(ws, 'GET', `/v1/profiles/${p.id}`)).body.traits).toEqual({ email: 'lia@mail.it', name: 'Lia' });
  });

  it('erases the profile over all merges and keeps its ids suppressed until lifted', async () => {
    const ws = await h.workspace();
    const p = await person(ws);
    const absorbedId = (await call(ws, 'DELETE', `/v1/profiles/${p.id}?dryRun=true`)).body.absorbedProfileIds[0];
    const erased = await call(ws, 'DELETE', `/v1/profiles/${p.id}`);
    expect(erased.body).toMatchObject({ erased: true, messages: 5 });
    for (const path of [`/v1/profiles/${p.id}`, `/v1/profiles/${absorbedId}`, '/v1/profiles/resolve?email=lia@mail.it', '/v1/profiles/resolve?anonymousId=A']) {
      expect((await call(ws, 'GET', path)).status, path).toBe(404);
    }
    const listed = (await call(ws, 'GET', '/v1/events?limit=100')).body.data.map((e: { messageId: string }) => e.messageId);
    expect(listed).toEqual(['q1']);
    expect((await call(ws, 'GET', '/v1/profiles/resolve?anonymousId=other')).status).toBe(200);

    // R4: a retry of an erased message stays a duplicate; R20: suppressed ids are dropped or stripped.
    const again = await send(ws, [
      { type: 'page', messageId: 'p1', anonymousId: 'A', timestamp: T(1) },
      { type: 'track', messageId: 'n1', userId: 'lia', event: 'Back', timestamp: T(7) },
      { type: 'page', messageId: 'n2', anonymousId: 'B', timestamp: T(8) },
      { type: 'identify', messageId: 'n3', anonymousId: 'fresh', traits: { email: 'LIA@mail.it' }, timestamp: T(9) },
    ]);
    expect(again.stored).toBe(1);
    expect(again.warnings.map((w) => `${w.messageId}:${w.code}`)).toEqual(['p1:suppressed', 'n1:suppressed', 'n2:suppressed', 'n3:suppressed']);
    expect(again.errors).toEqual([
      expect.objectContaining({ index: 0, code: 'no_valid_identifier' }),
      expect.objectContaining({ index: 2, code: 'no_valid_identifier' }),
    ]);
    const fresh = (await call(ws, 'GET', '/v1/profiles/resolve?anonymousId=fresh')).body;
    expect(fresh.identifiers.emails).toEqual([]);
    expect((await call(ws, 'GET', '/v1/suppressions')).body.data.map((s: { value: string }) => s.value).sort()).toEqual(['A', 'B', 'lia', 'lia@mail.it', 'old-lia']);

    expect((await call(ws, 'DELETE', '/v1/suppressions/lia')).body).toEqual({ value: 'lia', suppressed: false });
    expect((await call(ws, 'DELETE', '/v1/suppressions/lia')).status).toBe(404);
    expect((await send(ws, [{ type: 'track', messageId: 'n4', userId: 'lia', event: 'Back', timestamp: T(10) }])).stored).toBe(1);
    expect((await call(ws, 'GET', '/v1/profiles/resolve?userId=lia')).body.stats.events).toBe(1);
  });

  it('unlink detaches an identifier and its events, for good', async () => {
    const ws = await h.workspace();
    const p = await person(ws);
    const res = await call(ws, 'POST', `/v1/profiles/${p.id}/unlink`, { identifier: 'B' });
    expect(res.body).toMatchObject({ identifier: 'B' });
    expect(res.status).toBe(200);
    expect(res.body.previousProfileId).toBe(p.id);
    const b = (await call(ws, 'GET', '/v1/profiles/resolve?anonymousId=B')).body;
    expect(b.identifiers).toEqual({ userIds: [], anonymousIds: ['B'], emails: [] });
    const lia = (await call(ws, 'GET', '/v1/profiles/resolve?userId=lia')).body;
    // B's identify carried the email and the name: with B detached, its link to lia@mail.it goes too.
    expect(lia.identifiers.anonymousIds).toEqual(['A', 'old-lia']);
    expect((await call(ws, 'GET', `/v1/profiles/${b.id}/events`)).body.data.map((e: { messageId: string }) => e.messageId)).toEqual([]);
    // A later message linking B to lia again is not applied (R13 takes precedence).
    await send(ws, [{ type: 'identify', messageId: 'u1', anonymousId: 'B', userId: 'lia', timestamp: T(20) }]);
    expect((await call(ws, 'GET', '/v1/profiles/resolve?anonymousId=B')).body.id).toBe(b.id);
    expect((await call(ws, 'POST', `/v1/profiles/${lia.id}/unlink`, { identifier: 'nope' })).status).toBe(404);
    expect((await call(ws, 'POST', `/v1/profiles/${lia.id}/unlink`, {})).status).toBe(400);
  });
});
