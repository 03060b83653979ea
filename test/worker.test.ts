// Invariant: the collector runs unchanged in workerd (Cloudflare Workers) against PostgreSQL through Hyperdrive, with one postgres.js client per request that is closed after the response and never reused by another request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../packages/collector/src/testing/databases.ts';
import { addSource, createWorkspace } from '../packages/collector/src/tenancy/tenancy.ts';
import { bundleWorker, wranglerCompatibility } from './support/worker-bundle.ts';

const serverUrl = process.env.DATABASE_URL;

interface Keys {
  workspaceId: string;
  writeKey: string;
  secretKey: string;
}

interface IngestAnswer {
  success: boolean;
  stored: number;
  errors: Array<{ index: number; code: string }>;
  warnings: Array<{ index: number; code: string; messageId: string }>;
}

interface EventsPage {
  data: Array<{ messageId: string; type: string; event?: string; enrichment: { country: string | null; ip: string | null; path: string | null } }>;
  nextCursor: string | null;
}

const ORIGIN = 'https://shop.example';

function track(event: string, extra: Record<string, unknown> = {}) {
  return { type: 'track', event, anonymousId: 'anon-1', messageId: crypto.randomUUID(), timestamp: new Date().toISOString(), ...extra };
}

/**
 * Miniflare refuses a Hyperdrive URL without a password (Hyperdrive itself requires one); a
 * trust-auth server such as CI's ignores it.
 */
function withPassword(connection: string): string {
  const parsed = new URL(connection);
  if (!parsed.password) parsed.password = 'unused';
  return parsed.toString();
}

if (!serverUrl) {
  describe('worker in workerd (needs DATABASE_URL)', () => {
    it('runs only against a real PostgreSQL server', () => {
      console.log('worker.test.ts: DATABASE_URL is not set, so the Workers runtime was not exercised (CI sets it)');
    });
  });
} else {
  describe('worker in workerd', () => {
    let dir: string;
    let mf: Miniflare;
    let scratch: TestDatabase & { url: string };
    let check: postgres.Sql;
    let ws: Keys;
    let truncating: Keys;
    let baselineConnections: number;

    const url = (path: string) => `http://vista.test${path}`;

    async function send(key: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await mf.dispatchFetch(url('/v1/batch'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${key}:`)}`, ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as IngestAnswer };
    }

    async function events(keys: Keys, query = 'limit=500'): Promise<EventsPage> {
      const res = await mf.dispatchFetch(url(`/v1/events?${query}`), { headers: { authorization: `Bearer ${keys.secretKey}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as EventsPage;
    }

    /** Connections to the scratch database other than this test's own checking client. */
    async function otherConnections(): Promise<number> {
      const [row] = await check<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
      return row!.n;
    }

    async function storedIds(workspaceId: string): Promise<string[]> {
      const rows = await check<{ message_id: string }[]>`select message_id from events where workspace_id = ${workspaceId}`;
      return rows.map((r) => r.message_id).sort();
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vista-worker-'));
      const [script, compat] = await Promise.all([bundleWorker(dir), wranglerCompatibility()]);
      scratch = await scratchPostgres(serverUrl);
      check = postgres(scratch.url, { max: 1, onnotice: () => {} });

      const workspace = await createWorkspace(scratch.db, 'Worker brand');
      const source = await addSource(scratch.db, workspace.id, 'Worker site');
      ws = { workspaceId: workspace.id, writeKey: source.writeKey, secretKey: workspace.secretKey };
      const other = await createWorkspace(scratch.db, 'Truncating brand', { ipMode: 'truncate' });
      const otherSource = await addSource(scratch.db, other.id, 'Truncating site');
      truncating = { workspaceId: other.id, writeKey: otherSource.writeKey, secretKey: other.secretKey };
      // The scratch pool stays idle from here on; anything above this count is the Worker's.
      baselineConnections = await otherConnections();

      mf = new Miniflare({
        modules: true,
        scriptPath: script,
        modulesRoot: dir, // the bundle lives outside the working directory
        compatibilityDate: compat.date,
        compatibilityFlags: compat.flags,
        hyperdrives: { HYPERDRIVE: withPassword(scratch.url) },
      });
      await mf.ready;
    });

    afterAll(async () => {
      // Each step runs even if an earlier one fails (a Miniflare that never started throws on dispose).
      const steps = [
        () => mf?.dispose(),
        () => check?.end(),
        () => scratch?.dispose(),
        () => (dir ? rm(dir, { recursive: true, force: true }) : undefined),
      ];
      const failed: unknown[] = [];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          failed.push(error);
        }
      }
      if (failed.length > 0) throw new AggregateError(failed, 'worker test cleanup failed');
    });

    it('answers /health and CORS preflights', async () => {
      const health = await mf.dispatchFetch(url('/health'));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });

      const preflight = await mf.dispatchFetch(url('/v1/batch'), {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    });

    it('answers 401 for unknown or wrong keys', async () => {
      const unknown = await send('vw_notarealkey', { batch: [track('Signed Up')] });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ error: { code: 'invalid_key' } });

      const badSecret = await mf.dispatchFetch(url('/v1/events'), { headers: { authorization: 'Bearer vs_notarealkey' } });
      expect(badSecret.status).toBe(401);
      await badSecret.arrayBuffer();

      const writeKeyForReading = await mf.dispatchFetch(url('/v1/events'), { headers: { authorization: `Bearer ${ws.writeKey}` } });
      expect(writeKeyForReading.status).toBe(401);
      expect(await writeKeyForReading.json()).toMatchObject({ error: { code: 'wrong_key_kind' } });
    });

    it('stores a batch, reports the invalid item, and ignores a repeated messageId', async () => {
      const first = [
        track('Product Viewed', { properties: { sku: 'A-1' } }),
        { type: 'identify', userId: 'user-1', anonymousId: 'anon-1', traits: { plan: 'pro' }, messageId: crypto.randomUUID() },
        { type: 'page', name: 'Home', anonymousId: 'anon-1', messageId: crypto.randomUUID(), context: { page: { url: 'https://shop.example/home?utm_source=news' } } },
        { type: 'track', anonymousId: 'anon-1', messageId: crypto.randomUUID() }, // no event name
      ];
      const a = await send(ws.writeKey, { batch: first, sentAt: new Date().toISOString() });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ success: true, stored: 3, warnings: [] });
      expect(a.body.errors).toHaveLength(1);
      expect(a.body.errors[0]).toMatchObject({ index: 3 });

      // A second request on the same isolate: a client kept at module scope would fail here.
      const again = track('Checkout Started');
      const b = await send(ws.writeKey, { batch: [first[0], again], sentAt: new Date().toISOString() });
      expect(b.status).toBe(200);
      expect(b.body).toMatchObject({ success: true, stored: 1, errors: [] });
      expect(b.body.warnings).toEqual([expect.objectContaining({ index: 0, code: 'duplicate', messageId: first[0]!.messageId })]);

      const expected = [first[0], first[1], first[2], again].map((m) => m!.messageId as string).sort();
      const page = await events(ws);
      expect(page.data.map((e) => e.messageId).sort()).toEqual(expected);
      expect(page.data.find((e) => e.type === 'page')?.enrichment.path).toBe('/home');
      expect(await storedIds(ws.workspaceId)).toEqual(expected);
    });

    it('serves concurrent requests, each on its own client', async () => {
      const before = await storedIds(ws.workspaceId);
      const batches = Array.from({ length: 8 }, (_, i) => Array.from({ length: 5 }, (_, j) => track(`Concurrent ${i}.${j}`)));
      const contested = track('Claimed Twice');
      const answers = await Promise.all([
        ...batches.map((batch) => send(ws.writeKey, { batch, sentAt: new Date().toISOString() })),
        send(ws.writeKey, { batch: [contested] }),
        send(ws.writeKey, { batch: [contested] }),
      ]);
      for (const answer of answers) expect(answer.status).toBe(200);
      expect(answers.slice(0, 8).map((a) => a.body.stored)).toEqual(Array(8).fill(5));
      // Exactly one of the two requests stored the contested message; the other was told it was a duplicate.
      const claims = answers.slice(8).map((a) => a.body);
      expect(claims.map((c) => c.stored).sort()).toEqual([0, 1]);
      expect(claims.flatMap((c) => c.warnings.map((w) => w.code))).toEqual(['duplicate']);

      const expected = [...before, ...batches.flat().map((m) => m.messageId), contested.messageId].sort();
      expect(await storedIds(ws.workspaceId)).toEqual(expected);
      expect((await events(ws)).data.map((e) => e.messageId).sort()).toEqual(expected);
    });

    it('keeps workspaces apart and reads the edge headers of browser requests', async () => {
      const message = track('Browser Event');
      const res = await send(truncating.writeKey, { batch: [message] }, {
        origin: ORIGIN,
        'cf-ipcountry': 'de',
        'cf-connecting-ip': '203.0.113.7',
      });
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(1);
      const page = await events(truncating);
      expect(page.data.map((e) => e.messageId)).toEqual([message.messageId]);
      expect(page.data[0]!.enrichment).toMatchObject({ country: 'DE', ip: '203.0.113.0' });
      expect(await storedIds(truncating.workspaceId)).toEqual([message.messageId]);
    });

    it('leaves no database connection open after its requests', async () => {
      // The Worker ends its client through ctx.waitUntil; workerd also drops a request's
      // sockets when the request ends, so this guards against leaks, not the close call itself.
      const deadline = Date.now() + 10_000;
      let open = await otherConnections();
      while (open > baselineConnections && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        open = await otherConnections();
      }
      expect(open).toBe(baselineConnections);
    });
  });
}
