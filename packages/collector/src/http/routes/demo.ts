import { Hono } from 'hono';
import { listEvents } from '../../db/list-events.ts';
import { demoPage, type DemoConfig } from '../../demo/pages.ts';
import type { AppEnv, Services } from '../env.ts';
import { presentEvent } from './present-event.ts';

export interface DemoOptions extends DemoConfig {
  workspaceId: string;
  services: () => Services;
}

/**
 * The demo landing page and, for that demo workspace only, its latest events, so a newcomer
 * sees them arrive without handling the secret key. Only the Node runtime mounts it.
 */
export function demoRoutes(options: DemoOptions) {
  const app = new Hono<AppEnv>();
  const page = demoPage(options);
  app.get('/demo', (c) => c.redirect('/demo/'));
  for (const path of ['/demo/', '/demo/shop']) app.get(path, (c) => c.html(page));
  app.get('/demo/events', async (c) => {
    const { rows } = await listEvents(options.services().db, { workspaceId: options.workspaceId, limit: 30 });
    return c.json({ data: rows.map(presentEvent) });
  });
  app.get('/', (c) => c.redirect('/demo/'));
  return app;
}
