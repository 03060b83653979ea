// Protects how the collector serves the tracker: the built script at its path, a day's caching revalidated by ETag, a year for versioned URLs, and an extra ingest path for ad-blocked sites.
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../../db/database.ts';
import type { EventRow } from '../../db/schema.ts';
import type { KeyOwner } from '../../db/tenancy.ts';

const owner: KeyOwner = { kind: 'write', workspaceId: 'ws', sourceId: 'src', allowedOrigins: [], settings: {}, hasSuppressions: false };
const written: EventRow[] = [];
const app = createApp({
  services: () => ({ db: {} as Db, writeEvents: async (rows) => (written.push(...rows), rows.map(() => ({ stored: true }))) }),
  keys: { lookup: async () => owner, clear: () => {} },
  tracker: { script: 'console.log("vista")', path: '/t/s.js' },
  ingestPath: '/t/e',
});

describe('tracker script and ingest path', () => {
  it('serves the script with an ETag and answers 304 when it has not changed', async () => {
    const res = await app.request('/t/s.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log("vista")');
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const again = await app.request('/t/s.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const versioned = await app.request(`/t/s.js?v=${etag.slice(1, -1)}`);
    expect(versioned.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/v.js')).status).toBe(404);
  });

  it('takes batches at the extra ingest path, with CORS', async () => {
    const res = await app.request('/t/e?key=vw_x', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
      body: JSON.stringify({ batch: [{ type: 'track', anonymousId: 'a', event: 'Via alias', messageId: 'alias-1' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(written.map((r) => r.event)).toEqual(['Via alias']);
  });
});
