// Protects the ingest contract: every endpoint stores what it acknowledges, every bad input gets a 4xx naming the problem, valid items survive invalid neighbours, duplicates count once; on both drivers.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testDrivers } from '../../testing/databases.ts';
import { basicAuth, withHarness, type Harness } from '../../testing/harness.ts';

const UA_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
let seq = 0;
const id = (label: string) => `${label}-${Date.now().toString(36)}-${++seq}`;

describe.each(testDrivers())('ingest on $name', (driver) => {
  let h: Harness;
  withHarness(driver, (harness) => (h = harness));

  it('stores a batch of every message type and reads it back', async () => {
    const ws = await h.workspace();
    const batch = [
      { type: 'page', anonymousId: 'a1', messageId: id('p'), name: 'Home', properties: { url: 'https://shop.example/?utm_source=google&utm_medium=cpc&gclid=abc' } },
      { type: 'track', anonymousId: 'a1', messageId: id('t'), event: 'Order Completed', properties: { revenue: 30 } },
      { type: 'identify', anonymousId: 'a1', userId: 'c7', messageId: id('i'), traits: { email: 'lia@mail.it' } },
      { type: 'screen', userId: 'c7', messageId: id('s'), name: 'Cart' },
      { type: 'group', userId: 'c7', messageId: id('g'), groupId: 'acme', traits: { plan: 'pro' } },
      { type: 'alias', userId: 'c7', previousId: 'a1', messageId: id('a') },
    ];
    const res = await h.post('/v1/batch', { batch }, { key: ws.writeKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, stored: 6, errors: [], warnings: [] });
    const { data } = await h.events(ws);
    expect(data.map((e) => e.messageId).sort()).toEqual(batch.map((m) => m.messageId).sort());
    const page = data.find((e) => e.type === 'page')!;
    expect(page).toMatchObject({ name: 'Home', anonymousId: 'a1', sourceId: ws.sourceId });
    expect(page.enrichment).toMatchObject({ channel: 'paid_search', clickId: { type: 'gclid', value: 'abc' }, path: '/' });
    expect(data.find((e) => e.type === 'group')).toMatchObject({ groupId: 'acme', traits: { plan: 'pro' } });
    expect(data.find((e) => e.type === 'alias')).toMatchObject({ previousId: 'a1', userId: 'c7' });
    expect(data.find((e) => e.type === 'identify')).toMatchObject({ traits: { email: 'lia@mail.it' } });
  });

  it.each([
    ['/v1/track', { event: 'Signed Up' }, 'track'],
    ['/v1/t', { event: 'Signed Up' }, 'track'],
    ['/v1/page', { name: 'Home' }, 'page'],
    ['/v1/p', { name: 'Home' }, 'page'],
    ['/v1/screen', { name: 'Cart' }, 'screen'],
    ['/v1/s', { name: 'Cart' }, 'screen'],
    ['/v1/identify', { traits: { name: 'Lia' } }, 'identify'],
    ['/v1/i', { traits: { name: 'Lia' } }, 'identify'],
    ['/v1/group', { groupId: 'g1' }, 'group'],
    ['/v1/g', { groupId: 'g1' }, 'group'],
    ['/v1/alias', { previousId: 'anon-9' }, 'alias'],
    ['/v1/a', { previousId: 'anon-9' }, 'alias'],
  ])('%s stores one %s message typed by its path', async (path, fields, type) => {
    const ws = await h.workspace();
    const messageId = id('single');
    // A wrong `type` in the body does not win over the path, as in Segment's API.
    const res = await h.post(path, { ...fields, type: 'bogus', userId: 'u1', messageId }, { key: ws.writeKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1 });
    const { data } = await h.events(ws);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ messageId, type });
  });

  it.each(['/v1/b', '/v1/import'])('%s takes batches like /v1/batch', async (path) => {
    const ws = await h.workspace();
    const res = await h.post(path, { batch: [{ type: 'track', userId: 'u', event: 'Short', messageId: id('b') }] }, { key: ws.writeKey });
    expect(await res.json()).toMatchObject({ stored: 1 });
    expect((await h.events(ws)).data.map((e) => e.event)).toEqual(['Short']);
  });

  it('accepts the write key as Basic user, as ?key= and as writeKey in the body; 401 otherwise', async () => {
    const ws = await h.workspace();
    const msg = () => ({ userId: 'u1', event: 'E', messageId: id('k') });
    expect((await h.post('/v1/track', msg(), { key: ws.writeKey })).status).toBe(200);
    expect((await h.post(`/v1/track?key=${ws.writeKey}`, msg())).status).toBe(200);
    expect((await h.post('/v1/track', { ...msg(), writeKey: ws.writeKey })).status).toBe(200);
    expect((await h.post('/v1/batch', { batch: [{ ...msg(), type: 'track' }], writeKey: ws.writeKey })).status).toBe(200);

    const missing = await h.post('/v1/track', msg());
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_key' } });
    const wrong = await h.post('/v1/track', msg(), { key: 'vw_nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_key' } });
    const secret = await h.post('/v1/track', msg(), { key: ws.secretKey });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({ error: { code: 'wrong_key_kind' } });
    expect((await h.events(ws)).data).toHaveLength(4);
  });

  it('stores the valid items of a partial batch and names each rejected one', async () => {
    const ws = await h.workspace();
    const good = id('good');
    const batch = [
      { type: 'track', userId: 'u1', event: 'Ok', messageId: good },
      { type: 'track', userId: 'u1', messageId: 'no-event' },
      { type: 'teleport', userId: 'u1', messageId: 'bad-type' },
      { type: 'page', messageId: 'no-ids' },
      { type: 'track', userId: 'u1', event: 'Big', messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } },
      { type: 'track', userId: 'u1', event: 'When', messageId: 'bad-time', timestamp: 'yesterday' },
      { type: 'track', userId: { nested: true }, event: 'Obj', messageId: 'bad-id' },
      'not an object',
    ];
    const res = await h.post('/v1/batch', { batch }, { key: ws.writeKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stored: number; errors: unknown[] };
    expect(body.stored).toBe(1);
    expect(body.errors).toEqual([
      expect.objectContaining({ index: 1, messageId: 'no-event', code: 'invalid_field', field: 'event' }),
      expect.objectContaining({ index: 2, messageId: 'bad-type', code: 'invalid_type', field: 'type' }),
      expect.objectContaining({ index: 3, messageId: 'no-ids', code: 'no_valid_identifier' }),
      expect.objectContaining({ index: 4, messageId: 'big', code: 'message_too_large' }),
      expect.objectContaining({ index: 5, messageId: 'bad-time', code: 'invalid_field', field: 'timestamp' }),
      expect.objectContaining({ index: 6, messageId: 'bad-id', code: 'invalid_field', field: 'userId' }),
      expect.objectContaining({ index: 7, messageId: null, code: 'invalid_message' }),
    ]);
    expect((await h.events(ws)).data.map((e) => e.messageId)).toEqual([good]);
  });

  it('stores a duplicate messageId once and acknowledges the copy with a warning', async () => {
    const ws = await h.workspace();
    const messageId = id('dup');
    const first = await h.post('/v1/track', { userId: 'u1', event: 'Once', messageId }, { key: ws.writeKey });
    expect(await first.json()).toMatchObject({ stored: 1, warnings: [] });
    const again = await h.post('/v1/track', { userId: 'u1', event: 'Different payload', messageId }, { key: ws.writeKey });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ stored: 0, warnings: [{ index: 0, messageId, code: 'duplicate' }] });
    const inOneBatch = await h.post(
      '/v1/batch',
      { batch: [1, 2, 3].map(() => ({ type: 'track', userId: 'u1', event: 'Same', messageId: `${messageId}-b` })) },
      { key: ws.writeKey },
    );
    expect(await inOneBatch.json()).toMatchObject({ stored: 1, warnings: [{ index: 1 }, { index: 2 }] });
    const concurrent = await Promise.all(
      [1, 2, 3, 4].map(() => h.post('/v1/track', { userId: 'u1', event: 'Race', messageId: `${messageId}-c` }, { key: ws.writeKey })),
    );
    const stored = await Promise.all(concurrent.map(async (r) => ((await r.json()) as { stored: number }).stored));
    expect(stored.reduce((a, b) => a + b, 0)).toBe(1);
    const { data } = await h.events(ws);
    expect(data.filter((e) => e.messageId === messageId)).toMatchObject([{ event: 'Once' }]);
    expect(data).toHaveLength(3);
  });

  it('keeps messageIds of different workspaces apart', async () => {
    const [a, b] = [await h.workspace(), await h.workspace()];
    const messageId = id('shared');
    for (const ws of [a, b]) {
      expect(await (await h.post('/v1/track', { userId: 'u', event: 'E', messageId }, { key: ws.writeKey })).json()).toMatchObject({ stored: 1 });
    }
  });

  it('reads text/plain and gzip bodies, and refuses other media types and encodings', async () => {
    const ws = await h.workspace();
    const batch = { batch: [{ type: 'track', userId: 'u', event: 'Beacon', messageId: id('b') }] };
    const plain = await h.post(`/v1/batch?key=${ws.writeKey}`, JSON.stringify(batch), { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(plain.status).toBe(200);
    const gz = await h.app.request('/v1/batch', {
      method: 'POST',
      headers: { authorization: basicAuth(ws.writeKey), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'Zipped', messageId: id('z') }] })),
    });
    expect(gz.status).toBe(200);
    expect(await gz.json()).toMatchObject({ stored: 1 });
    const form = await h.post('/v1/track', 'a=b', { key: ws.writeKey, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const br = await h.post('/v1/track', '{}', { key: ws.writeKey, headers: { 'content-encoding': 'br' } });
    expect(br.status).toBe(415);
    expect(await br.json()).toMatchObject({ error: { code: 'unsupported_encoding' } });
    const corrupt = await h.post('/v1/track', 'not gzip at all', { key: ws.writeKey, headers: { 'content-encoding': 'gzip' } });
    expect(corrupt.status).toBe(400);
    expect(await corrupt.json()).toMatchObject({ error: { code: 'invalid_body' } });
    expect((await h.events(ws)).data.map((e) => e.event).sort()).toEqual(['Beacon', 'Zipped']);
  });

  it('answers 400 for bodies that are not a batch or not JSON, and stores nothing', async () => {
    const ws = await h.workspace();
    const cases: Array<[string, string, string]> = [
      ['/v1/batch', '{"batch": [', 'invalid_json'],
      ['/v1/batch', '[]', 'invalid_body'],
      ['/v1/batch', '{"batch": {}}', 'invalid_body'],
      ['/v1/batch', '{"batch": []}', 'invalid_body'],
      ['/v1/track', '', 'invalid_body'],
      ['/v1/track', '{"userId": "u"}', 'invalid_message'],
      ['/v1/alias', '{"userId": "u"}', 'invalid_message'],
    ];
    for (const [path, body, code] of cases) {
      const res = await h.post(path, body, { key: ws.writeKey });
      expect(res.status, `${path} ${body}`).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(5);
    }
    const missingEvent = await h.post('/v1/track', { userId: 'u' }, { key: ws.writeKey });
    expect(await missingEvent.json()).toMatchObject({ error: { field: 'event', reason: 'invalid_field', message: 'event: required' } });
    expect((await h.events(ws)).data).toHaveLength(0);
  });

  it('refuses a message over 32 KB and a batch over 500 KB with 413, storing nothing', async () => {
    const ws = await h.workspace();
    const big = await h.post('/v1/track', { userId: 'u', event: 'E', properties: { x: 'é'.repeat(17 * 1024) } }, { key: ws.writeKey });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'message_too_large' } });
    const items = Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: id(`m${i}`), properties: { x: 'y'.repeat(26 * 1024) } }));
    const huge = await h.post('/v1/batch', { batch: items }, { key: ws.writeKey });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 'batch_too_large' } });
    // A small gzip body that inflates past the limit is refused the same way.
    const bomb = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'E', properties: { x: 'a'.repeat(600 * 1024) } }] }));
    expect(bomb.byteLength).toBeLessThan(10 * 1024);
    const zipped = await h.app.request('/v1/batch', { method: 'POST', headers: { authorization: basicAuth(ws.writeKey), 'content-encoding': 'gzip' }, body: bomb });
    expect(zipped.status).toBe(413);
    expect((await h.events(ws)).data).toHaveLength(0);
  });

  it('answers CORS preflights for any origin with the headers Segment clients send', async () => {
    const res = await h.app.request('/v1/t', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-retry-count']) expect(allowed).toContain(header);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('enforces a source’s allowed origins on the real request', async () => {
    const ws = await h.workspace({}, ['https://shop.example']);
    const send = (origin?: string) =>
      h.post('/v1/track', { userId: 'u', event: 'E', messageId: id('o') }, { key: ws.writeKey, headers: origin ? { origin } : {} });
    expect((await send('https://shop.example')).status).toBe(200);
    expect((await send()).status).toBe(200);
    const other = await send('https://evil.example');
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect((await h.events(ws)).data).toHaveLength(2);
  });

  it('corrects client clock skew and keeps the raw times (R2)', async () => {
    const ws = await h.workspace();
    const messageId = id('skew');
    // The device clock runs two hours fast: its timestamps and sentAt are both shifted.
    const device = (iso: string) => new Date(Date.parse(iso) + 2 * 3600_000).toISOString();
    const now = new Date();
    const before = new Date(now.getTime() - 60_000).toISOString();
    const res = await h.post('/v1/batch', { sentAt: device(now.toISOString()), batch: [{ type: 'track', userId: 'u', event: 'E', messageId, timestamp: device(before) }] }, { key: ws.writeKey });
    expect(res.status).toBe(200);
    const [event] = (await h.events(ws)).data;
    const stored = Date.parse(event!.timestamp as string);
    expect(Math.abs(stored - Date.parse(before))).toBeLessThan(5_000);
    expect(event!.originalTimestamp).toBe(device(before));
    expect(Math.abs(Date.parse(event!.receivedAt as string) - now.getTime())).toBeLessThan(5_000);
  });

  it('never stores the raw IP; truncates it when the workspace asks', async () => {
    const drop = await h.workspace();
    const truncate = await h.workspace({ ipMode: 'truncate' });
    for (const ws of [drop, truncate]) {
      await h.post('/v1/track', { userId: 'u', event: 'E', messageId: id('ip'), context: { ip: '203.0.113.77' } }, { key: ws.writeKey });
    }
    const [dropped] = (await h.events(drop)).data;
    const [kept] = (await h.events(truncate)).data;
    expect(dropped!.enrichment.ip).toBeNull();
    expect(kept!.enrichment.ip).toBe('203.0.113.0');
    for (const event of [dropped!, kept!]) expect(JSON.stringify(event)).not.toContain('203.0.113.77');
  });

  it('applies batch-level context and strips characters PostgreSQL cannot store', async () => {
    const ws = await h.workspace();
    const body = `{"context":{"library":{"name":"analytics-python"}},"batch":[{"type":"track","userId":"u","event":"Nul\\u0000byte","messageId":"${id('nul')}","properties":{"lone":"\\ud800x"}}]}`;
    const res = await h.post('/v1/batch', body, { key: ws.writeKey });
    expect(res.status).toBe(200);
    const [event] = (await h.events(ws)).data;
    expect(event).toMatchObject({ event: 'Nulbyte', properties: { lone: '\ufffdx' }, context: { library: { name: 'analytics-python' } } });
  });

  it('enriches device, bot flag, campaign and channel from the message context', async () => {
    const ws = await h.workspace();
    await h.post('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'a', messageId: id('dev'), context: { userAgent: UA_CHROME, page: { url: 'https://shop.example/p', referrer: 'https://www.facebook.com/' } } },
        { type: 'page', anonymousId: 'b', messageId: id('bot'), context: { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', page: { url: 'https://shop.example/' } } },
        { type: 'track', userId: 'c', event: 'Email Opened', messageId: id('mail'), context: { campaign: { name: 'spring', source: 'newsletter', medium: 'email' } } },
      ],
    }, { key: ws.writeKey });
    const data = (await h.events(ws)).data;
    const byAnon = (a: string) => data.find((e) => e.anonymousId === a)!;
    expect(byAnon('a').enrichment).toMatchObject({ channel: 'organic_social', referrerHost: 'facebook.com', isBot: false, device: { type: 'desktop', browser: 'Chrome', os: 'Windows' } });
    expect(byAnon('b').enrichment).toMatchObject({ isBot: true });
    expect(data.find((e) => e.userId === 'c')!.enrichment).toMatchObject({ channel: 'email', campaign: { name: 'spring', source: 'newsletter', medium: 'email' } });
  });
});
