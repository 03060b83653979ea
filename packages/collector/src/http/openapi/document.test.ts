// Protects the API reference: every route the app serves is described in /openapi.json, its schemas come from the validating zod schemas, and /docs renders it.
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../../db/database.ts';

const app = createApp({ services: () => ({ db: {} as Db, writeEvents: async () => [] }) });

describe('/openapi.json', () => {
  it('describes every route of the app', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
    expect(doc.openapi).toBe('3.1.0');
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const shortAliases = new Set(['/v1/t', '/v1/p', '/v1/s', '/v1/i', '/v1/g', '/v1/a', '/v1/b', '/v1/import']);
    for (const route of new Set(served)) {
      const [method, path] = route.split(' ') as [string, string];
      if (shortAliases.has(path)) continue;
      expect(doc.paths[path]?.[method], route).toBeDefined();
    }
    // Generated from the zod schemas that validate requests.
    expect(doc.components.schemas.track!.required).toContain('event');
    expect(doc.components.schemas.alias!.required).toEqual(expect.arrayContaining(['userId', 'previousId']));
    const events = doc.paths['/v1/events']!.get as { parameters: Array<{ name: string }> };
    expect(events.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['type', 'event', 'anonymousId', 'userId', 'since', 'limit', 'cursor']));
  });

  it('renders a readable reference page', async () => {
    const res = await app.request('/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<code>/v1/batch</code>');
    expect(html).toContain('<code>/v1/profiles/{id}/events</code>');
  });
});
