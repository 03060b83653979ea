import type { Database } from '../db/database.ts';
import { withDatabase, type TestDriver } from './databases.ts';
import type { WorkspaceSettings } from '../db/schema.ts';
import { createApp, type App } from '../http/app.ts';
import { keyCache } from '../http/key-cache.ts';
import { rfmCache } from '../http/rfm-cache.ts';
import { nodeServices } from '../runtime/node-services.ts';
import { addSource, createWorkspace } from '../tenancy/tenancy.ts';

export interface TestWorkspace {
  workspaceId: string;
  sourceId: string;
  writeKey: string;
  secretKey: string;
}

export interface Harness {
  app: App;
  database: Database;
  /** Waits until profiles reflect everything acknowledged so far. */
  settle(): Promise<void>;
  /** A workspace of its own per test keeps tests independent of each other and of order. */
  workspace(settings?: WorkspaceSettings, allowedOrigins?: string[]): Promise<TestWorkspace>;
  post(path: string, body: unknown, init?: { key?: string; headers?: Record<string, string> }): Promise<Response>;
  events(ws: TestWorkspace, query?: string): Promise<EventsPage>;
}

export interface EventsPage {
  data: Array<Record<string, unknown> & { messageId: string; enrichment: Record<string, unknown> }>;
  nextCursor: string | null;
}

export function basicAuth(key: string): string {
  return `Basic ${btoa(`${key}:`)}`;
}

export function createHarness(database: Database): Harness {
  const services = nodeServices(database);
  const app = createApp({ services: () => services, keys: keyCache({ ttlMs: 0, unknownTtlMs: 0 }), rfm: rfmCache({ ttlMs: 0 }) });
  return {
    app,
    database,
    settle: () => services.settleProfiles?.() ?? Promise.resolve(),
    async workspace(settings = {}, allowedOrigins = []) {
      const ws = await createWorkspace(database.db, 'Test brand', settings);
      const source = await addSource(database.db, ws.id, 'Test site', allowedOrigins);
      return { workspaceId: ws.id, sourceId: source.id, writeKey: source.writeKey, secretKey: ws.secretKey };
    },
    post(path, body, init = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
      if (init.key) headers.authorization = basicAuth(init.key);
      return Promise.resolve(
        app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }),
      );
    },
    async events(ws, query = '') {
      const res = await app.request(`/v1/events${query ? `?${query}` : ''}`, {
        headers: { authorization: `Bearer ${ws.secretKey}` },
      });
      if (res.status !== 200) throw new Error(`GET /v1/events answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as EventsPage;
    },
  };
}

/** Registers a harness on a fresh database of `driver` for the enclosing suite, disposed after it. */
export function withHarness(driver: TestDriver, ready: (h: Harness) => void): void {
  withDatabase(driver, (database) => ready(createHarness(database)));
}
