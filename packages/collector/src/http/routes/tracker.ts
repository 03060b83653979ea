import { Hono } from 'hono';

export interface TrackerScriptOptions {
  /** The built dist/v.js. */
  script: string;
  /** Where it is served; a neutral name keeps ad-blockers' lists from matching it. */
  path?: string;
}

async function etagOf(script: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Serves the tracker so a site needs only the collector's host. A day of caching with an ETag
 * for the plain URL (sites get fixes within a day); `?v=<etag>` URLs never change, so they
 * are cached for a year.
 */
export function trackerRoutes({ script, path = '/v.js' }: TrackerScriptOptions) {
  const app = new Hono();
  const tag = etagOf(script);
  app.get(path, async (c) => {
    const etag = `"${await tag}"`;
    const versioned = c.req.query('v') === (await tag);
    c.header('ETag', etag);
    c.header('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=86400');
    c.header('Access-Control-Allow-Origin', '*');
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304);
    return c.body(script, 200, { 'Content-Type': 'application/javascript; charset=utf-8' });
  });
  return app;
}
