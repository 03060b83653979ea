import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv, Services } from './env.ts';
import { errorHandler, notFound, type ErrorLogger } from './errors.ts';
import { ingestCors } from './cors.ts';
import { keyCache, type KeyCache } from './key-cache.ts';
import { rfmCache, type RfmCache } from './rfm-cache.ts';
import { eventRoutes } from './routes/events.ts';
import { ingestRoutes, type IngestRouteOptions } from './routes/ingest.ts';
import { profileRoutes } from './routes/profiles.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { referenceRoutes } from './routes/reference.ts';
import { trackerRoutes, type TrackerScriptOptions } from './routes/tracker.ts';
import { demoRoutes, type DemoOptions } from './routes/demo.ts';

export interface AppOptions extends IngestRouteOptions {
  /** The tracker script to serve, when the runtime has it. */
  tracker?: TrackerScriptOptions;
  /** The demo landing page (Node's `npm start`). */
  demo?: DemoOptions;
  /** The database and writer for this request: shared on Node, built per request on Workers. */
  services: (c: Context) => Services;
  keys?: KeyCache;
  /** RFM cut points per workspace (default: kept a minute). */
  rfm?: RfmCache;
  log?: ErrorLogger;
}

/** The one app both runtimes serve; runtime glue lives in `runtime/`. */
export function createApp(options: AppOptions) {
  const keys = options.keys ?? keyCache();
  const rfm = options.rfm ?? rfmCache();
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(options.log));
  app.notFound(notFound);
  const withServices: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('services', options.services(c));
    c.set('keys', keys);
    c.set('rfm', rfm);
    await next();
  };
  for (const path of ['/v1/*', ...(options.ingestPath ? [options.ingestPath] : [])]) {
    app.use(path, ingestCors());
    app.use(path, withServices);
  }
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/', referenceRoutes());
  app.route('/', ingestRoutes(options));
  if (options.tracker) app.route('/', trackerRoutes(options.tracker));
  if (options.demo) app.route('/', demoRoutes(options.demo));
  app.route('/', eventRoutes());
  app.route('/', profileRoutes());
  app.route('/', suppressionRoutes());
  return app;
}

export type App = ReturnType<typeof createApp>;
