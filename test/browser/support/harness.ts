// The real collector for browser tests: the Vista app (ingest, events API, tracker script) on a
// real database, plus the test pages. Assertions read what the collector STORED, through
// GET /v1/events. The harness can take the ingest path "offline" (connections reset, or 503),
// and registers on first use any write key a test page names, as a marketer would create it.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../../packages/collector/src/http/app.ts';
import { keyCache } from '../../../packages/collector/src/http/key-cache.ts';
import { insertKey } from '../../../packages/collector/src/db/tenancy.ts';
import { nodeServices } from '../../../packages/collector/src/runtime/node-services.ts';
import { testDrivers } from '../../../packages/collector/src/testing/databases.ts';
import { hashKey, keyHint } from '../../../packages/collector/src/tenancy/keys.ts';
import { addSource, createWorkspace } from '../../../packages/collector/src/tenancy/tenancy.ts';
import { ensureBuilt, scriptPath } from '../../../packages/tracker/src/ensure-built';

/** A stored Segment message (the fields tests look at). */
export interface Message {
  type: string;
  messageId: string;
  anonymousId: string;
  userId?: string | null;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: Record<string, unknown> & { page?: Record<string, unknown> };
  /** As the browser sent it (the collector also stores a clock-corrected time). */
  timestamp: string;
  sentAt: string;
  previousId?: string;
  groupId?: string;
}

export interface Harness {
  /** http://127.0.0.1:port */
  origin: string;
  /** The same server as another site: http://localhost:port */
  altOrigin: string;
  /** Serves `html` and returns its URL on `origin`. */
  page(html: string): string;
  /** Messages the collector stored, each once, in the order they were stored. */
  received(): Promise<Message[]>;
  /** Write keys seen with batches. */
  keys(): string[];
  /** The test workspace's secret key, to read the collector's own API. */
  secretKey: string;
  /** Offline: batches are refused, by resetting the connection or (how = 'unavailable') with 503. */
  setOffline(offline: boolean, how?: 'reset' | 'unavailable'): void;
  close(): Promise<void>;
}

// PostgreSQL when CI provides it, else embedded PGlite.
const driver = testDrivers().at(-1)!;

interface Stored {
  messageId: string;
  type: string;
  anonymousId: string;
  userId: string | null;
  event?: string;
  name?: string;
  previousId?: string;
  groupId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: Message['context'];
  timestamp: string;
  originalTimestamp: string | null;
  sentAt: string;
}

export async function startHarness({ ingestPath = '/v1/batch' } = {}): Promise<Harness> {
  ensureBuilt();
  const database = await driver.open();
  const ws = await createWorkspace(database.db, 'Browser tests');
  const source = await addSource(database.db, ws.id, 'Test pages');
  const collector = createApp({
    services: (() => {
      const services = nodeServices(database);
      return () => services;
    })(),
    keys: keyCache({ ttlMs: 0, unknownTtlMs: 0 }),
    tracker: { script: readFileSync(scriptPath, 'utf8') },
    ingestPath: ingestPath === '/v1/batch' ? undefined : ingestPath,
  });
  const pages: string[] = [];
  const keys = new Set<string>();
  let offline: false | 'reset' | 'unavailable' = false;

  const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
  app.post(ingestPath, async (c, next) => {
    if (offline === 'reset') {
      c.env.incoming.socket.destroy();
      return c.body(null, 503);
    }
    if (offline) return c.body(null, 503);
    const key = c.req.query('key') ?? '';
    if (key && !keys.has(key)) {
      keys.add(key);
      await insertKey(database.db, { hash: await hashKey(key), kind: 'write', workspaceId: ws.id, sourceId: source.id, hint: keyHint(key) }).catch(() => {});
    }
    await next();
  });
  app.get('/p/:n', (c) => {
    const html = pages[Number(c.req.param('n'))];
    return html === undefined ? c.text('', 404) : c.html(html);
  });
  app.route('/', collector);
  app.notFound((c) => c.html('<!doctype html><title>other</title><p>other page</p>'));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  async function received(): Promise<Message[]> {
    const out: Stored[] = [];
    let cursor: string | null = null;
    do {
      const res = await collector.request(`/v1/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${ws.secretKey}` } });
      const page = (await res.json()) as { data: Stored[]; nextCursor: string | null };
      out.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return out.reverse().map(({ originalTimestamp, timestamp, ...m }) => ({ ...m, anonymousId: m.anonymousId, timestamp: originalTimestamp ?? timestamp }));
  }

  return {
    origin,
    altOrigin: `http://localhost:${port}`,
    page: (html) => `${origin}/p/${pages.push(html) - 1}`,
    received,
    keys: () => [...keys],
    secretKey: ws.secretKey,
    setOffline: (on, how = 'reset') => {
      offline = on && how;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await database.dispose();
    },
  };
}
